"""marts.suppliers: the golden records with their gaps filled, ready to publish.

Golden fields stay as survivorship chose them; SIRENE only fills what they lack (NAF code,
address when the establishment is public), coordinates come from enrich.locations, the ESS
qualification from enrich.qualification. `provenance` records where every filled value came
from ('sirene:stock', 'sirene:recherche', 'ban', 'mairie'). The diffusion rule is applied
last: a 'P' establishment loses address and point (its town hall stays, precision
'commune'), a 'P' legal unit its names.
"""

import json

import polars as pl

from ess_assets.enrich.diffusion import apply_diffusion, apply_unit_diffusion
from ess_assets.enrich.location import commune_fallback

SIRENE_COLUMNS = (
    "denomination",
    "categorie_juridique",
    "tranche_effectifs",
    "economie_sociale_solidaire",
    "societe_mission",
    "actif",
    "siret_successeur",
    "statut_diffusion_etablissement",
    "statut_diffusion_unite_legale",
    "origine_sirene",
)
NAME_COLUMNS = ("denomination", "nom", "enseigne")
ORIGIN_OF_PRECISION = {"housenumber": "ban", "street": "ban", "commune": "mairie"}


def _provenance(row: dict) -> str:
    provenance = json.loads(row["provenance"] or "{}")
    for field in ("naf", "adresse", "coordonnees"):
        if row[f"_{field}"]:
            provenance[field] = row[f"_{field}"]
    return json.dumps(provenance, ensure_ascii=False)


def _fill(golden: pl.DataFrame, sirene: pl.DataFrame, locations: pl.DataFrame) -> pl.DataFrame:
    registry = sirene.select(
        "supplier_id",
        *SIRENE_COLUMNS,
        pl.col("naf").alias("naf_sirene"),
        "naf_origine",
        pl.col("adresse").alias("adresse_sirene"),
    )
    joined = (
        golden.drop("latitude", "longitude")
        .join(registry, on="supplier_id", how="left")
        .join(locations, on="supplier_id", how="left")
    )
    layer = pl.col("origine_sirene").str.split("+").list.first()
    naf_filled = pl.col("naf").is_null() & pl.col("naf_origine").is_in(["recherche", "stock"])
    address_filled = (
        pl.col("adresse").is_null()
        & pl.col("adresse_sirene").is_not_null()
        & (pl.col("statut_diffusion_etablissement") == "O")
    )
    coordinates_from = pl.col("precision_coordonnees").replace_strict(
        ORIGIN_OF_PRECISION, default=None, return_dtype=pl.String
    )
    return joined.with_columns(
        pl.when(naf_filled).then(pl.format("sirene:{}", "naf_origine")).alias("_naf"),
        pl.when(address_filled).then(pl.format("sirene:{}", layer)).alias("_adresse"),
        pl.when(coordinates_from == "mairie")
        .then(pl.format("mairie:{}", "code_commune"))
        .otherwise(coordinates_from)
        .alias("_coordonnees"),
        pl.when(naf_filled).then(pl.col("naf_sirene")).otherwise(pl.col("naf")).alias("naf"),
        pl.when(address_filled)
        .then(pl.col("adresse_sirene"))
        .otherwise(pl.col("adresse"))
        .alias("adresse"),
    )


def enriched_suppliers(
    golden: pl.DataFrame,
    sirene: pl.DataFrame,
    locations: pl.DataFrame,
    qualification: pl.DataFrame,
    town_halls: pl.DataFrame,
) -> pl.DataFrame:
    """One row per golden supplier: golden columns, SIRENE_COLUMNS, coordinates with
    precision_coordonnees, and the qualification columns."""
    filled = _fill(golden, sirene, locations)
    provenance = pl.struct("provenance", "_naf", "_adresse", "_coordonnees").map_elements(
        _provenance, return_dtype=pl.String
    )
    filled = filled.with_columns(provenance.alias("provenance")).drop(
        "_naf", "_adresse", "_coordonnees", "naf_sirene", "naf_origine", "adresse_sirene"
    )
    joined = filled.join(qualification, on="supplier_id", how="left")
    public = apply_unit_diffusion(apply_diffusion(joined), columns=NAME_COLUMNS)
    # a 'P' establishment keeps its commune's town hall, which the registry keeps public
    placed = commune_fallback(
        public.rename({"precision_coordonnees": "precision"}), town_halls
    ).rename({"precision": "precision_coordonnees"})
    return placed.select(joined.columns).sort("supplier_id")
