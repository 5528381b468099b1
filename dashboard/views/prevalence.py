"""Placeholder until this page is built (see the open issues)."""

from dashboard.views._placeholder import show

show("nav.prevalence", "placeholder.prevalence")
