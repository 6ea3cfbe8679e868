"""One comparison record per input row: the keys the matcher compares, computed once."""

from collections.abc import Callable
from dataclasses import dataclass, fields

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


def _each(values: list, function: Callable) -> list:
    """`function(value)` for every value, in order, computed once per distinct value."""
    # Names, addresses and communes repeat across sources and rows, and folding is most of
    # the cost of building features: a dict beats an lru_cache sized for the largest list.
    results = {value: function(value) for value in set(values)}
    return [results[value] for value in values]


def _as_written(value: str | None) -> str:
    return " ".join((value or "").upper().split())


def _name_fields(name: str | None) -> tuple[str, str | None, str | None]:
    """(name key, structure kind, legal-form family) written in a name."""
    name_key, name_form, name_kind = keys.name_parts(name)
    return name_key, name_kind, keys.legal_family(name_form)


def _enseigne_key(enseigne: str | None) -> str:
    return keys.name_parts(enseigne)[0] if enseigne else ""


def _scheme(structure_kind: str | None) -> str | None:
    return (structure_kind or "").strip().upper() or None


def _legal_family_of(label: str | None) -> str | None:
    return keys.legal_family(keys.legal_form_of(label))


def _loose(name_key_and_commune: tuple[str, str]) -> str:
    return keys.loose_name_key(*name_key_and_commune)


def build_features(records: pl.DataFrame) -> list[Features]:
    """Comparison keys of every record, in input order."""
    check_columns(records)
    column = {
        name: records.get_column(name).cast(pl.String).to_list()
        if name in records.columns
        else [None] * records.height
        for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    }
    names = _each(column["nom"], _name_fields)
    name_keys = [name_key for name_key, _, _ in names]
    name_kinds = [name_kind for _, name_kind, _ in names]
    address_lines = _each(column["adresse"], keys.fold)
    addresses = _each(address_lines, keys.folded_address_parts)
    postcodes = _each(column["code_postal"], lambda value: (value or "").strip())
    commune_codes = _each(column["code_commune"], keys.commune_code_key)
    communes = _each(column["commune"], keys.commune_key)
    schemes = _each(column["type_structure"], _scheme)
    enseigne_keys = _each(column["enseigne"], _enseigne_key)
    values = {
        "index": range(records.height),
        "record_id": [str(record_id) for record_id in column["record_id"]],
        "source": [source or "" for source in column["source"]],
        "name_key": name_keys,
        "name_kind": name_kinds,
        "name_legal_family": [family for _, _, family in names],
        "legal_family": _each(column["forme_juridique"], _legal_family_of),
        "legal_form_text": _each(column["forme_juridique"], keys.fold),
        "kind": [scheme or kind for scheme, kind in zip(schemes, name_kinds, strict=True)],
        "scheme": schemes,
        "row_text": list(zip(*(_each(column[c], _as_written) for c in _WRITTEN), strict=True)),
        "enseigne_key": enseigne_keys,
        "loose_name": _each(list(zip(name_keys, communes, strict=True)), _loose),
        "loose_enseigne": _each(list(zip(enseigne_keys, communes, strict=True)), _loose),
        "siret": _each(column["siret"], valid_siret),
        "number": [number for number, _, _ in addresses],
        "street": [street for _, _, street in addresses],
        "address_line": address_lines,
        "postcode": postcodes,
        "commune": communes,
        "commune_code": commune_codes,
        "department": [
            (code or postcode)[:2] for code, postcode in zip(commune_codes, postcodes, strict=True)
        ],
        "phone": _each(column["telephone"], keys.phone_key),
        "email": _each(column["email"], keys.email_key),
        "website": _each(column["site_web"], keys.website_key),
    }
    # Arguments by position, matched to the fields by name: keywords cost twice as much.
    return list(map(Features, *(values[field.name] for field in fields(Features))))
