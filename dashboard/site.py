"""The pages of the dashboard, in menu order (importable without running the app)."""

# (file, url_path, message key, section). The first page is the app's root ("/").
PAGES = [
    ("overview.py", "overview", "nav.overview", "public"),
    ("prevalence.py", "prevalence", "nav.prevalence", "public"),
    ("home_working.py", "home-working", "nav.home_working", "public"),
    ("outcomes.py", "outcomes", "nav.outcomes", "public"),
    ("sources.py", "sources", "nav.sources", "public"),
    ("clinic_data.py", "clinic-data", "nav.clinic_data", "clinic"),
]
