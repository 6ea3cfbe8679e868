"""One comparison record per input row: the keys the matcher compares, computed once."""

from dataclasses import dataclass

import polars as pl
from stdnum.fr import siret as stdnum_siret

from ess_assets.match import keys

REQUIRED_COLUMNS = (
    "record_id",
    "source",
    "nom",
    "enseigne",
    "siret",
    "adresse",
    "code_postal",
    "commune",
)
OPTIONAL_COLUMNS = (
    "code_commune",
    "type_structure",
    "forme_juridique",
    "telephone",
    "email",
    "site_web",
)

# Fields compared as written to tell a verbatim repeat of a row from another entry.
_WRITTEN = ("nom", "enseigne", "adresse", "code_postal", "commune", *OPTIONAL_COLUMNS[2:])


@dataclass(slots=True)
class Features:
    """What the matcher knows about one record, folded for comparison."""

    index: int
    record_id: str
    source: str
    name_key: str
    name_kind: str | None  # structure kind written in the name ("GERMA ETTI")
    name_legal_family: str | None  # family of the legal form written in the name ("SARL X")
    legal_family: str | None  # family of the legal form given in its own field
    legal_form_text: str  # the legal-form field as written, folded (see score.conflict)
    kind: str | None  # structure kind given by the source, else the one in the name
    scheme: str | None  # structure kind given by the source in its own field, only
    row_text: tuple[str, ...]  # every descriptive field as written (case and spaces aside)
    enseigne_key: str
    loose_name: str  # see keys.loose_name_key
    loose_enseigne: str
    siret: str | None  # valid SIRETs only
    number: str | None
    street: str
    address_line: str  # the address line as written, folded but not parsed
    postcode: str
    commune: str
    commune_code: str | None
    department: str
    phone: str | None
    email: str | None
    website: str | None

    def address_text(self) -> str:
        """The folded address, for messages and for the address block key."""
        return f"{self.number or ''} {self.street}".strip()


def valid_siret(value: str | None) -> str | None:
    """The SIRET without spaces or tabs when it passes the INSEE checks, else None."""
    cleaned = "".join((value or "").split())
    return cleaned if cleaned and stdnum_siret.is_valid(cleaned) else None


def check_columns(records: pl.DataFrame) -> None:
    """Raise ValueError naming the required columns the frame lacks."""
    missing = [column for column in REQUIRED_COLUMNS if column not in records.columns]
    if missing:
        raise ValueError(f"missing required column(s): {', '.join(missing)}")


def build_features(records: pl.DataFrame) -> list[Features]:
    """Comparison keys of every record, in input order."""
    check_columns(records)
    columns = {
        name: records.get_column(name).cast(pl.String).to_list()
        if name in records.columns
        else [None] * records.height
        for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    }
    out: list[Features] = []
    for i in range(records.height):
        row = {name: values[i] for name, values in columns.items()}
        name_key, name_form, name_kind = keys.name_parts(row["nom"])
        number, _street_type, street = keys.address_parts(row["adresse"])
        postcode = (row["code_postal"] or "").strip()
        commune_code = keys.commune_code_key(row["code_commune"])
        scheme = (row["type_structure"] or "").strip().upper() or None
        commune = keys.commune_key(row["commune"])
        enseigne_key = keys.name_parts(row["enseigne"])[0] if row["enseigne"] else ""
        out.append(
            Features(
                index=i,
                record_id=str(row["record_id"]),
                source=row["source"] or "",
                name_key=name_key,
                name_kind=name_kind,
                name_legal_family=keys.legal_family(name_form),
                legal_family=keys.legal_family(keys.legal_form_of(row["forme_juridique"])),
                legal_form_text=keys.fold(row["forme_juridique"]),
                kind=scheme or name_kind,
                scheme=scheme,
                row_text=tuple(" ".join((row[c] or "").upper().split()) for c in _WRITTEN),
                enseigne_key=enseigne_key,
                loose_name=keys.loose_name_key(name_key, commune),
                loose_enseigne=keys.loose_name_key(enseigne_key, commune),
                siret=valid_siret(row["siret"]),
                number=number,
                street=street,
                address_line=keys.fold(row["adresse"]),
                postcode=postcode,
                commune=commune,
                commune_code=commune_code,
                department=(commune_code or postcode)[:2],
                phone=keys.phone_key(row["telephone"]),
                email=keys.email_key(row["email"]),
                website=keys.website_key(row["site_web"]),
            )
        )
    return out
