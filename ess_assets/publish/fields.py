"""The published columns, declared once: the files, the Table Schema and the spreadsheet read them.

Each field says its Table Schema type, its French description (for the data package and the
second sheet of the spreadsheet) and its constraints. A field marked `optional` comes from a
step that may not have run or may not exist yet (enrichment): it is published when
`marts.suppliers` has it and left out of the files and of the schema otherwise. A missing
field that is not optional stops the publication.
"""

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, number, integer, boolean
    description: str  # in French: read by buyers and developers
    required: bool = False  # every row has a value
    unique: bool = False
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    optional: bool = False  # the column may be absent from marts.suppliers

    def descriptor(self) -> dict:
        """The Table Schema field descriptor."""
        constraints = {
            key: value
            for key, value in {
                "required": self.required or None,
                "unique": self.unique or None,
                "pattern": self.pattern,
                "minimum": self.minimum,
                "maximum": self.maximum,
            }.items()
            if value is not None
        }
        descriptor = {"name": self.name, "type": self.type, "description": self.description}
        return {**descriptor, "constraints": constraints} if constraints else descriptor


LIST = "plusieurs valeurs séparées par une virgule"
FIELDS: tuple[Field, ...] = (
    Field("supplier_id", "string", "Identifiant stable du fournisseur dans la base", True, True),
    Field("nom", "string", "Raison sociale (vide pour une personne en diffusion partielle)"),
    Field("enseigne", "string", "Enseigne ou nom commercial"),
    Field("siret", "string", "SIRET de l'établissement (14 chiffres)", pattern=r"^\d{14}$"),
    Field("siren", "string", "SIREN de l'unité légale (9 chiffres)", pattern=r"^\d{9}$"),
    Field("forme_juridique", "string", "Forme juridique déclarée par la source"),
    Field("type_structure", "string", "Type de structure principal (ACI, AI, EI, ETTI, ESAT…)"),
    Field("types_structure", "string", f"Tous les types de structure connus ({LIST})"),
    Field("naf", "string", "Code d'activité NAF rév. 2", pattern=r"^\d{2}\.\d{2}[A-Z]$"),
    Field("adresse", "string", "Adresse (vide pour un établissement en diffusion partielle)"),
    Field("code_postal", "string", "Code postal", pattern=r"^\d{5}$"),
    Field("commune", "string", "Commune"),
    Field("code_commune", "string", "Code INSEE de la commune (arrondissement à Lyon)"),
    Field("departement", "string", "Code du département"),
    Field("region", "string", "Code de la région (84 : Auvergne-Rhône-Alpes)"),
    Field("latitude", "number", "Latitude WGS84", minimum=-90, maximum=90),
    Field("longitude", "number", "Longitude WGS84", minimum=-180, maximum=180),
    Field("precision_coordonnees", "string", "Précision des coordonnées", optional=True),
    Field("telephone", "string", "Téléphone au format international", pattern=r"^\+\d{6,15}$"),
    Field("email", "string", "Adresse e-mail de la structure (jamais celle d'une personne)"),
    Field("site_web", "string", "Site web"),
    Field("famille_ess", "string", "Famille de l'ESS (association, coopérative…)", optional=True),
    Field(
        "famille_ess_raison",
        "string",
        "Sur quoi repose la famille de l'ESS, ou pourquoi elle est inconnue",
        optional=True,
    ),
    Field("agrements", "string", f"Agréments (IAE, EA, ESAT, ESUS ; {LIST})", optional=True),
    Field(
        "marches_reserves",
        "string",
        f"Articles du code de la commande publique ouvrant un marché réservé ({LIST})",
        optional=True,
    ),
    Field(
        "marches_reserves_raison",
        "string",
        "Agrément ou statut qui ouvre chaque marché réservé",
        optional=True,
    ),
    Field(
        "cpv_divisions", "string", f"Divisions CPV probables d'après le NAF ({LIST})", optional=True
    ),
    Field(
        "cpv_divisions_raison",
        "string",
        "D'où viennent les divisions CPV (code NAF, type de structure) ou pourquoi il n'y en a pas",
        optional=True,
    ),
    Field("reseaux", "string", f"Réseaux partenaires qui déclarent le fournisseur ({LIST})"),
    Field("sources", "string", f"Sources où le fournisseur apparaît ({LIST})", required=True),
    Field("provenance", "string", "Pour chaque champ, l'enregistrement source (JSON)"),
)
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
_DTYPES = {"string": pl.String, "number": pl.Float64, "integer": pl.Int64, "boolean": pl.Boolean}


class MissingColumnsError(ValueError):
    """marts.suppliers lacks a published column that is not declared optional."""


def present_fields(columns: list[str]) -> tuple[Field, ...]:
    """The fields to publish from a table with `columns`; raises when a required one is missing."""
    missing = [field.name for field in FIELDS if field.name not in columns and not field.optional]
    if missing:
        raise MissingColumnsError(
            f"marts.suppliers has no column {', '.join(missing)}: declare it optional in "
            "ess_assets/publish/fields.py or add it to the supplier table"
        )
    return tuple(field for field in FIELDS if field.name in columns)


def published_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` restricted to the published fields, lists joined as text, typed as declared."""
    fields = present_fields(frame.columns)
    as_text = [
        pl.col(name).cast(pl.List(pl.String)).list.join(", ")
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List) and name in FIELD_NAMES
    ]
    typed = [pl.col(field.name).cast(_DTYPES[field.type]) for field in fields]
    blank_as_null = [
        pl.when(pl.col(field.name).str.strip_chars() != "").then(pl.col(field.name))
        for field in fields
        if field.type == "string"
    ]
    return frame.with_columns(as_text).select(typed).with_columns(blank_as_null).sort("supplier_id")


def table_schema(fields: tuple[Field, ...]) -> dict:
    """The Frictionless Table Schema of the published table."""
    return {
        "fields": [field.descriptor() for field in fields],
        "primaryKey": ["supplier_id"],
        "missingValues": [""],
    }
