"""The common supplier-record schema: one row per record of one source, after normalisation.

`COLUMNS` is the single description of the schema: the pandera model, the empty frame, the
warehouse comments and the README table are all read from it.
"""

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    meaning: str
    example: str


STRUCTURE_KINDS = (
    "ACI",
    "AI",
    "EI",
    "ETTI",
    "EITI",
    "GEIQ",
    "EA",
    "EATT",
    "ESAT",
    "SEP",
    "SCOP",
    "SCIC",
    "ASSOCIATION",
    "ESUS",
    "AUTRE",
)

COLUMNS: tuple[Column, ...] = (
    Column("source", pl.String, "Source the record comes from (registry name)", "asp_siae"),
    Column("source_record_id", pl.String, "Id of the record in its source", "41071771400035-ETTI"),
    Column("source_line", pl.Int64, "Line (CSV) or position (JSON) of the record in its file", "2"),
    Column("nom", pl.String, "Name as written by the source", "AINTERIM'AIR"),
    Column(
        "nom_normalise",
        pl.String,
        "Name folded: upper case, no accents, no punctuation",
        "AINTERIM AIR",
    ),
    Column("enseigne", pl.String, "Trading name (brand) given by the source", "Tremplin"),
    Column("siret_source", pl.String, "SIRET exactly as the source wrote it", "\t84302481100013"),
    Column(
        "siret", pl.String, "SIRET cleaned of spaces and tabs (14 digits) or null", "41071771400035"
    ),
    Column(
        "siret_valide",
        pl.Boolean,
        "True when `siret` passes the INSEE checks (python-stdnum)",
        "true",
    ),
    Column("siren", pl.String, "First 9 digits of a valid SIRET", "410717714"),
    Column(
        "forme_juridique", pl.String, "Legal form as written by the source", "Association déclarée"
    ),
    Column("type_structure", pl.String, "Kind of structure: " + ", ".join(STRUCTURE_KINDS), "ETTI"),
    Column("naf", pl.String, "Activity code, NAF rev2 with a dot", "78.20Z"),
    Column(
        "adresse",
        pl.String,
        "Street address line (number, street type, street name)",
        "62 AVENUE DU GEN SARRAIL",
    ),
    Column("code_postal", pl.String, "Postcode, 5 digits", "01500"),
    Column("commune", pl.String, "Commune name from the communes reference", "Ambérieu-en-Bugey"),
    Column(
        "code_commune", pl.String, "INSEE code of the commune (Lyon: arrondissement code)", "01004"
    ),
    Column("departement", pl.String, "Department code", "01"),
    Column("region", pl.String, "Region code (84 = Auvergne-Rhône-Alpes)", "84"),
    Column("latitude", pl.Float64, "WGS84 latitude given by the source", "45.9581"),
    Column("longitude", pl.Float64, "WGS84 longitude given by the source", "5.3574"),
    Column("telephone", pl.String, "Phone in E.164", "+33471767497"),
    Column("email", pl.String, "E-mail, lower case", "contact@cotiere-avenir.fr"),
    Column("site_web", pl.String, "Website URL", "https://www.example.org"),
    Column("reseau", pl.String, "Partner network the record was declared by, if any", "Coorace"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)

SCHEMA: dict[str, pl.DataType] = {
    column.name: column.dtype() if isinstance(column.dtype, type) else column.dtype
    for column in COLUMNS
}


def empty_records() -> pl.DataFrame:
    """An empty frame with the common schema."""
    return pl.DataFrame(schema=SCHEMA)


class SupplierRecord(pa.DataFrameModel):
    """Pandera model of a normalised source record."""

    source: str = pa.Field(nullable=False)
    source_record_id: str = pa.Field(nullable=False, unique=True)
    source_line: int = pa.Field(nullable=True, ge=1)
    nom: str = pa.Field(nullable=False)
    nom_normalise: str = pa.Field(nullable=False, str_length={"min_value": 1})
    enseigne: str = pa.Field(nullable=True)
    siret_source: str = pa.Field(nullable=True)
    siret: str = pa.Field(nullable=True, str_matches=r"^\d{14}$")
    siret_valide: bool = pa.Field(nullable=False)
    siren: str = pa.Field(nullable=True, str_matches=r"^\d{9}$")
    forme_juridique: str = pa.Field(nullable=True)
    type_structure: str = pa.Field(nullable=True, isin=list(STRUCTURE_KINDS))
    naf: str = pa.Field(nullable=True, str_matches=r"^\d{2}\.\d{2}[A-Z]$")
    adresse: str = pa.Field(nullable=True)
    code_postal: str = pa.Field(nullable=True, str_matches=r"^\d{5}$")
    commune: str = pa.Field(nullable=True)
    code_commune: str = pa.Field(nullable=True, str_matches=r"^(\d{5}|2[AB]\d{3})$")
    departement: str = pa.Field(nullable=True, str_matches=r"^(\d{2,3}|2[AB])$")
    region: str = pa.Field(nullable=True, str_matches=r"^\d{2}$")
    latitude: float = pa.Field(nullable=True, ge=-90, le=90)
    longitude: float = pa.Field(nullable=True, ge=-180, le=180)
    telephone: str = pa.Field(nullable=True, str_matches=r"^\+\d{6,15}$")
    email: str = pa.Field(nullable=True, str_matches=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    site_web: str = pa.Field(nullable=True)
    reseau: str = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
