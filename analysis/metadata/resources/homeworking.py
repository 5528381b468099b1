"""Placeholder while the homeworking tables are being curated."""

FIELDS: dict = {}
SOURCES: dict = {}
RESOURCES: list = []
