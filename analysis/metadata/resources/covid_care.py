"""Placeholder while the covid_care tables are being curated."""

FIELDS: dict = {}
SOURCES: dict = {}
RESOURCES: list = []
