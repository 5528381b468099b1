"""Placeholder while the outcomes tables are being curated."""

FIELDS: dict = {}
SOURCES: dict = {}
RESOURCES: list = []
