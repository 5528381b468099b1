"""The clinic export contract (DESIGN.md section 4): the columns of one row per treatment visit,
the English and Dutch headers and values accepted for them (matched after `normalise`), and the
identifier columns refused. The validation, the store's table definitions and the README's
contract table (`contract_markdown`) are all built from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from analysis.vocabulary import COMPLAINT_DURATIONS, PAIN_SCALE, SEXES


@dataclass(frozen=True)
class ClinicColumn:
    """One column of the canonical visit table: what it holds and what is allowed."""

    name: str
    kind: str  # "text", "date", "integer", "number", "category"
    required: bool
    description: str
    minimum: float | None = None
    maximum: float | None = None
    categories: tuple[str, ...] = ()


COLUMNS: tuple[ClinicColumn, ...] = (
    ClinicColumn("patient_id", "text", True, "The clinic's own pseudonym for the patient. "
                 "Stored only as a keyed hash; never shown to viewers."),
    ClinicColumn("visit_date", "date", True, "Date of the treatment visit."),
    ClinicColumn("pain_nrs", "number", True, "Pain on the {}-{} numeric rating scale."
                 .format(*PAIN_SCALE), *PAIN_SCALE),
    ClinicColumn("complaint_duration", "category", True,
                 "Duration of the complaint at the start of the episode: acute (< 6 weeks), "
                 "subacute (6-12 weeks) or chronic (> 12 weeks).",
                 categories=COMPLAINT_DURATIONS),
    ClinicColumn("episode_id", "text", False, "The clinic's id of a treatment episode. Without "
                 "it, a gap of more than 90 days between visits starts a new episode."),
    ClinicColumn("session_number", "integer", False, "Number of the visit within its episode, "
                 "starting at 1.", 1, 200),
    ClinicColumn("sex", "category", False, "men or women.", categories=SEXES),
    ClinicColumn("age", "integer", False, "Age in years at the visit.", 0, 120),
    ClinicColumn("birth_year", "integer", False, "Year of birth (used for age when age is "
                 "missing; a full date of birth is refused).", 1900, 2100),
    ClinicColumn("region", "category", False, "Where the complaint is: low back, neck or upper "
                 "back.", categories=("low_back", "neck", "upper_back")),
    ClinicColumn("odi", "number", False, "Oswestry Disability Index, 0-100.", 0, 100),
    ClinicColumn("rmdq", "number", False, "Roland-Morris Disability Questionnaire, 0-24.", 0, 24),
    ClinicColumn("treatment", "text", False, "Treatment given (free text, kept for the owner)."),
    ClinicColumn("practitioner", "text", False, "Who treated (kept for the owner only)."),
)  # fmt: skip

BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)

# Accepted header spellings, after `normalise()`. The canonical English names are accepted too.
HEADER_ALIASES: dict[str, str] = {
    **{c.name: c.name for c in COLUMNS},
    "patientid": "patient_id",
    "patient": "patient_id",
    "patientnummer": "patient_id",
    "patientnr": "patient_id",
    "patient_nummer": "patient_id",
    "clientnummer": "patient_id",
    "clientnr": "patient_id",
    "date": "visit_date",
    "datum": "visit_date",
    "bezoekdatum": "visit_date",
    "behandeldatum": "visit_date",
    "pain": "pain_nrs",
    "nrs": "pain_nrs",
    "pijn": "pain_nrs",
    "pijnscore": "pain_nrs",
    "pijn_nrs": "pain_nrs",
    "duration": "complaint_duration",
    "klachtduur": "complaint_duration",
    "duur_klacht": "complaint_duration",
    "klacht_duur": "complaint_duration",
    "duur_klachten": "complaint_duration",
    "episode": "episode_id",
    "episodenummer": "episode_id",
    "episode_nr": "episode_id",
    "session": "session_number",
    "sessie": "session_number",
    "sessienummer": "session_number",
    "behandelnummer": "session_number",
    "behandeling_nr": "session_number",
    "geslacht": "sex",
    "gender": "sex",
    "leeftijd": "age",
    "geboortejaar": "birth_year",
    "regio": "region",
    "lokalisatie": "region",
    "klachtgebied": "region",
    "behandeling": "treatment",
    "behandelaar": "practitioner",
    "therapeut": "practitioner",
}

# Category values as clinics write them, after `normalise()`.
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "sex": {
        "men": "men", "man": "men", "m": "men", "male": "men", "mannen": "men",
        "women": "women", "vrouw": "women", "v": "women", "female": "women", "vrouwen": "women",
    },
    "complaint_duration": {
        "acute": "acute", "acuut": "acute",
        "subacute": "subacute", "subacuut": "subacute",
        "chronic": "chronic", "chronisch": "chronic",
    },
    "region": {
        "low_back": "low_back", "lower_back": "low_back", "lage_rug": "low_back",
        "onderrug": "low_back", "rug": "low_back",
        "neck": "neck", "nek": "neck",
        "upper_back": "upper_back", "bovenrug": "upper_back",
    },
}  # fmt: skip

# Direct identifiers: a file with any of these columns is refused whole (after `normalise()`).
IDENTIFIER_HEADERS: dict[str, str] = {
    "name": "name", "naam": "name", "voornaam": "name", "achternaam": "name",
    "first_name": "name", "last_name": "name", "surname": "name", "patientnaam": "name",
    "email": "e-mail", "e_mail": "e-mail", "mail": "e-mail", "emailadres": "e-mail",
    "phone": "phone", "telefoon": "phone", "telefoonnummer": "phone", "tel": "phone",
    "mobiel": "phone", "mobile": "phone",
    "address": "address", "adres": "address", "straat": "address", "street": "address",
    "huisnummer": "address", "postcode": "address", "zip": "address", "woonplaats": "address",
    "bsn": "BSN", "burgerservicenummer": "BSN", "sofinummer": "BSN",
    "geboortedatum": "date of birth", "date_of_birth": "date of birth", "dob": "date of birth",
    "birth_date": "date of birth",
}  # fmt: skip


def normalise(text: str) -> str:
    """Fold a header or value for matching: accents off, lower case, runs of spaces, dashes and
    dots to one underscore ('Patiënt-nummer ' -> 'patient_nummer'; 'E-mail' -> 'e_mail')."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    folded = folded.strip().lower().lstrip("\ufeff")
    return re.sub(r"[\s\-./]+", "_", folded).strip("_")


# The canonical visit table, in this order (birth_year only fills in age and is not kept).
VISIT_COLUMNS: tuple[str, ...] = (
    "patient_id", "episode_id", "visit_date", "session_number", "pain_nrs",
    "complaint_duration", "sex", "age", "region", "odi", "rmdq", "treatment", "practitioner",
)  # fmt: skip
assert set(VISIT_COLUMNS) == {c.name for c in COLUMNS} - {"birth_year"}, "COLUMNS changed"

# The pandas dtype of each kind of column.
DTYPES = {"text": "str", "category": "str", "date": "datetime64[us]", "integer": "Int64"}
DTYPES["number"] = "float64"


def contract_markdown() -> str:
    """The import contract as a Markdown table, generated from `COLUMNS` (the README
    carries this text; a test keeps the two the same)."""
    lines = [
        "| column | required | what it holds | values | other accepted headers |",
        "|---|---|---|---|---|",
    ]
    for column in COLUMNS:
        if column.categories:
            aliases = VALUE_ALIASES[column.name]
            also = [a.replace("_", " ") for a in aliases if a not in column.categories]
            values = ", ".join(f"`{c}`" for c in column.categories)
            values += f" (also {', '.join(also)})"
        elif column.minimum is not None:
            kind = "whole number" if column.kind == "integer" else "number"
            values = f"{kind} {column.minimum:g}-{column.maximum:g}"
        elif column.kind == "date":
            values = "dd-mm-yyyy, d-m-yyyy, yyyy-mm-dd or an Excel date"
        else:
            values = "text"
        headers = [a for a, target in HEADER_ALIASES.items() if target == column.name]
        headers = [a for a in headers if a != column.name]
        lines.append(
            f"| `{column.name}` | {'yes' if column.required else 'no'} | {column.description} "
            f"| {values} | {', '.join(headers) or '-'} |"
        )
    return "\n".join(lines)
