"""Coordinates of every supplier, with their precision: partner point, BAN, town hall.

Order (see location.settle_coordinates): the partner's point when it agrees with the geocoder
or lies near its commune's town hall ('source'); else the accepted geocoder answer
('housenumber', 'street'); else the commune's town hall ('commune'); else 'aucune'.
The geocoder is asked only for addresses absent from the cache (enrich.geocode_cache), and
not at all offline (`geocoder=None`): cached answers still count.
A supplier whose SIRENE establishment is under partial diffusion ('P') is placed at its
town hall only: its address is neither geocoded nor its point kept.
"""

import duckdb
import polars as pl

from ess_assets.enrich.ban import BanGeocoder
from ess_assets.enrich.geocode import geocode_batch
from ess_assets.enrich.location import settle_coordinates

NO_PRECISION = "aucune"
LOCATION_SCHEMA = {
    "supplier_id": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "precision_coordonnees": pl.String,
    "geocode_status": pl.String,
    "geocode_score": pl.Float64,
    "geocode_label": pl.String,
}


def addresses(golden: pl.DataFrame, sirene: pl.DataFrame) -> pl.DataFrame:
    """supplier_id, adresse (the partner's, else SIRENE's when public), code_commune,
    latitude_source, longitude_source, partielle (establishment under partial diffusion)."""
    registry = sirene.select(
        "supplier_id",
        pl.col("adresse").alias("adresse_sirene"),
        pl.col("statut_diffusion_etablissement").alias("_statut"),
    )
    joined = golden.join(registry, on="supplier_id", how="left")
    partial = pl.col("_statut").fill_null("") == "P"
    public_registry = pl.when(pl.col("_statut") == "O").then(pl.col("adresse_sirene"))
    return joined.select(
        "supplier_id",
        pl.when(partial)
        .then(None)
        .otherwise(pl.coalesce("adresse", public_registry))
        .alias("adresse"),
        "code_commune",
        pl.when(partial).then(None).otherwise(pl.col("latitude")).alias("latitude_source"),
        pl.when(partial).then(None).otherwise(pl.col("longitude")).alias("longitude_source"),
        partial.alias("partielle"),
    )


def locate(
    places: pl.DataFrame,
    town_halls: pl.DataFrame,
    geocoder: BanGeocoder | None,
    con: duckdb.DuckDBPyConnection,
) -> pl.DataFrame:
    """One row per supplier of `places` (see addresses()) with LOCATION_SCHEMA."""
    wanted = places.filter(~pl.col("partielle")).select(
        pl.col("supplier_id").alias("id"), "adresse", "code_commune"
    )
    geocoded = geocode_batch(wanted, geocoder, con).select(
        pl.col("id").alias("supplier_id"),
        pl.col("latitude").alias("latitude_geocode"),
        pl.col("longitude").alias("longitude_geocode"),
        pl.col("precision").alias("precision_geocode"),
        pl.col("status").alias("geocode_status"),
        pl.col("score").alias("geocode_score"),
        pl.col("result_label").alias("geocode_label"),
    )
    settled = settle_coordinates(
        places.join(geocoded, on="supplier_id", how="left"), town_halls
    ).with_columns(pl.col("precision").fill_null(NO_PRECISION).alias("precision_coordonnees"))
    return settled.select(list(LOCATION_SCHEMA)).cast(LOCATION_SCHEMA)  # type: ignore[arg-type]
