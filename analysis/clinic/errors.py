"""The errors the clinic store raises, each worded for the owner: `ClinicStoreError` when the
database (or the secret) cannot do what was asked, `ClinicDatabaseBusy` when another holds it.
"""


class ClinicStoreError(RuntimeError):
    """The clinic database cannot do what was asked; the message says why, in plain words."""


class ClinicDatabaseBusy(ClinicStoreError):
    """Another program (or another import) holds the clinic database."""
