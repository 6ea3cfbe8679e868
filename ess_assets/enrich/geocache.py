"""The persistent geocoding cache: one row per (cleaned address, commune code), in DuckDB.

The raw geocoder answer is stored, not the accepted one, so that changing the acceptance
threshold never calls the geocoder again. Not-found answers are stored too: a daily run only
geocodes addresses it has never seen. Per-row errors are not stored, to be tried again.
"""

import duckdb
import polars as pl

CACHE_TABLE = "enrich.geocode_cache"
KEY = ("adresse_nettoyee", "code_commune")
CACHED_COLUMNS = {
    "adresse_nettoyee": pl.String,
    "code_commune": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "result_score": pl.Float64,
    "result_type": pl.String,
    "result_label": pl.String,
    "result_citycode": pl.String,
    "result_oldcitycode": pl.String,
    "result_status": pl.String,
}


def ensure_cache(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and the cache table when they do not exist yet."""
    con.execute("CREATE SCHEMA IF NOT EXISTS enrich")
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {CACHE_TABLE} (
            adresse_nettoyee VARCHAR NOT NULL,
            code_commune VARCHAR NOT NULL,  -- '' when the row had none
            latitude DOUBLE, longitude DOUBLE, result_score DOUBLE,
            result_type VARCHAR, result_label VARCHAR,
            result_citycode VARCHAR, result_oldcitycode VARCHAR, result_status VARCHAR,
            geocoded_at TIMESTAMP DEFAULT current_timestamp,
            PRIMARY KEY (adresse_nettoyee, code_commune)
        )"""
    )


def read_cache(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame) -> pl.DataFrame:
    """The cached answers of `keys` (columns adresse_nettoyee, code_commune) that are known."""
    ensure_cache(con)
    con.register("geocode_wanted", keys.select(KEY).unique())
    columns = ", ".join(f"c.{name}" for name in CACHED_COLUMNS)
    found = con.sql(
        f"SELECT {columns} FROM {CACHE_TABLE} c "
        "JOIN geocode_wanted w USING (adresse_nettoyee, code_commune)"
    ).pl()
    con.unregister("geocode_wanted")
    return found.cast(CACHED_COLUMNS)  # type: ignore[arg-type]


def write_cache(con: duckdb.DuckDBPyConnection, answers: pl.DataFrame) -> int:
    """Store `answers` (CACHED_COLUMNS) except per-row errors; the number of rows stored."""
    ensure_cache(con)
    storable = answers.select(list(CACHED_COLUMNS)).filter(
        pl.col("result_status").fill_null("") != "error"
    )
    names = ", ".join(CACHED_COLUMNS)
    con.register("geocode_storable", storable)
    con.execute(
        f"INSERT OR REPLACE INTO {CACHE_TABLE} ({names}) SELECT {names} FROM geocode_storable"
    )
    con.unregister("geocode_storable")
    return storable.height
