"""Placeholder while the population tables are being curated."""

FIELDS: dict = {}
SOURCES: dict = {}
RESOURCES: list = []
