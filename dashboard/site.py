"""The pages of the dashboard, in menu order (importable without running the app)."""

from pathlib import Path

DASHBOARD_DIR = Path(__file__).resolve().parent

# (script under dashboard/, url_path, message key, section). The first page is the app's root.
# The scripts live in streamlit_pages/, not "pages/": a folder of that name beside app.py
# switches Streamlit to its old file routing, which bypasses st.navigation (and app.py).
PAGES = [
    ("streamlit_pages/overview.py", "overview", "nav.overview", "public"),
    ("streamlit_pages/prevalence.py", "prevalence", "nav.prevalence", "public"),
    ("streamlit_pages/home_working.py", "home-working", "nav.home_working", "public"),
    ("streamlit_pages/outcomes.py", "outcomes", "nav.outcomes", "public"),
    ("streamlit_pages/patients.py", "patients", "nav.patients", "public"),
    ("streamlit_pages/sources.py", "sources", "nav.sources", "public"),
    ("streamlit_pages/clinic_data.py", "clinic-data", "nav.clinic_data", "clinic"),
]


def script_for(url_path: str) -> str:
    """The page script of `url_path`, relative to dashboard/ (what st.page_link expects)."""
    for file, path, _, _ in PAGES:
        if path == url_path:
            return file
    raise KeyError(f"no page at {url_path!r}")
