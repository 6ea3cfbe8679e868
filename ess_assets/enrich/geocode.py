"""Geocoding of supplier addresses: clean, look in the cache, ask BAN for the rest, judge.

An answer is accepted when the geocoder found it, its type is precise enough (house number or
street), its score reaches the threshold and its commune agrees with the one asked. Commune
agreement understands Lyon, Paris and Marseille: the geocoder answers with district codes
(69381-69389 for Lyon) where sources often give the commune (69123), and the reverse; and a
merged commune's former code agrees through `result_oldcitycode`.
Municipality-level answers are flagged (`status` 'municipality') and not accepted: the commune
fallback gives the town hall, with the honest precision 'commune'.
"""

import duckdb
import polars as pl

from ess_assets.enrich.address import clean_address
from ess_assets.enrich.ban import BanGeocoder
from ess_assets.enrich.geocache import CACHED_COLUMNS, KEY, read_cache, write_cache

DEFAULT_THRESHOLD = 0.6
ACCEPTED_TYPES = ("housenumber", "street")
# commune code -> city name, for the three communes split into districts
DISTRICT_CITIES = {"69123": "Lyon", "75056": "Paris", "13055": "Marseille"}
OUTPUT_COLUMNS = (
    "id",
    "latitude",
    "longitude",
    "score",
    "result_type",
    "result_label",
    "result_citycode",
    "status",
    "precision",
)


def parent_commune(code: pl.Expr) -> pl.Expr:
    """The commune of a district code (69381-69389 -> 69123, Paris, Marseille), else the code."""
    number = code.cast(pl.Int64, strict=False)
    return (
        pl.when(number.is_between(69381, 69389))
        .then(pl.lit("69123"))
        .when(number.is_between(75101, 75120))
        .then(pl.lit("75056"))
        .when(number.is_between(13201, 13216))
        .then(pl.lit("13055"))
        .otherwise(code)
    )


def judge(
    answers: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    accepted_types: tuple[str, ...] = ACCEPTED_TYPES,
) -> pl.DataFrame:
    """Add `status` and `precision` to raw answers (code_commune asked + CACHED_COLUMNS) and
    null the coordinates of rejected ones. Status: ok, not_found, error, municipality,
    wrong_commune, low_score, imprecise (a locality or other type not accepted)."""
    asked = pl.col("code_commune").fill_null("")
    agrees = (
        (asked == "")
        | (parent_commune(asked) == parent_commune(pl.col("result_citycode")))
        | (asked == pl.col("result_oldcitycode").fill_null(""))
    )
    status = (
        pl.when(pl.col("result_status") == "error")
        .then(pl.lit("error"))
        .when((pl.col("result_status") != "ok") | pl.col("latitude").is_null())
        .then(pl.lit("not_found"))
        .when(pl.col("result_type") == "municipality")
        .then(pl.lit("municipality"))
        .when(~agrees.fill_null(False))
        .then(pl.lit("wrong_commune"))
        .when(pl.col("result_score").fill_null(0.0) < threshold)
        .then(pl.lit("low_score"))
        .when(~pl.col("result_type").is_in(list(accepted_types)))
        .then(pl.lit("imprecise"))
        .otherwise(pl.lit("ok"))
    )
    judged = answers.with_columns(status.alias("status"))
    accepted = pl.col("status") == "ok"
    return judged.with_columns(
        pl.when(accepted).then(pl.col("result_type")).otherwise(None).alias("precision"),
        pl.when(accepted).then(pl.col("latitude")).otherwise(None).alias("latitude"),
        pl.when(accepted).then(pl.col("longitude")).otherwise(None).alias("longitude"),
    )


def query_keys(rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` (id, adresse, code_commune) with the cache key: cleaned address, code or ''."""
    return rows.with_columns(
        pl.col("adresse")
        .map_elements(clean_address, return_dtype=pl.String, skip_nulls=False)
        .alias("adresse_nettoyee"),
        pl.col("code_commune").fill_null("").alias("code_commune"),
    )


def ask_geocoder(geocoder: BanGeocoder, missing: pl.DataFrame) -> pl.DataFrame:
    """Raw answers (CACHED_COLUMNS) for the keys in `missing`, by batch CSV.

    The three communes split into districts are not sent as a commune filter (the geocoder
    knows their addresses by district code): their name is added to the query text instead.
    """
    queries = missing.with_row_index("cle").select(
        pl.col("cle").cast(pl.String),
        pl.col("adresse_nettoyee").alias("adresse"),
        pl.col("code_commune").replace_strict(DISTRICT_CITIES, default="").alias("ville"),
        pl.when(pl.col("code_commune").is_in(list(DISTRICT_CITIES)))
        .then(pl.lit(""))
        .otherwise(pl.col("code_commune"))
        .alias("code_commune"),
    )
    answers = geocoder.search_csv(queries)
    keyed = missing.with_row_index("cle").with_columns(pl.col("cle").cast(pl.String))
    return keyed.join(answers, on="cle", how="left").select(list(CACHED_COLUMNS))


def geocode_batch(
    rows: pl.DataFrame,
    geocoder: BanGeocoder | None,
    con: duckdb.DuckDBPyConnection | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Geocode `rows` (id, adresse, code_commune): one row per id, with OUTPUT_COLUMNS.

    Answers come from the cache in `con` (table enrich.geocode_cache) when known, else from
    `geocoder`, and are stored back. `geocoder=None` is the offline mode: unknown addresses get
    status 'not_geocoded'. An address that cleaning empties gets status 'empty_address'.
    """
    keyed = query_keys(rows)
    keys = keyed.filter(pl.col("adresse_nettoyee") != "").select(KEY).unique(maintain_order=True)
    cached = read_cache(con, keys) if con is not None else pl.DataFrame(schema=CACHED_COLUMNS)
    missing = keys.join(cached, on=list(KEY), how="anti")
    fresh = pl.DataFrame(schema=CACHED_COLUMNS)
    if geocoder is not None and missing.height:
        fresh = ask_geocoder(geocoder, missing)
        if con is not None:
            write_cache(con, fresh)
    answers = pl.concat([cached, fresh], how="vertical_relaxed")
    judged = judge(keyed.join(answers, on=list(KEY), how="left"), threshold)
    status = (
        pl.when(pl.col("adresse_nettoyee") == "")
        .then(pl.lit("empty_address"))
        .when(pl.col("result_status").is_null())
        .then(pl.lit("not_geocoded"))
        .otherwise(pl.col("status"))
    )
    return judged.with_columns(status.alias("status")).select(
        pl.col("id"),
        pl.col("latitude"),
        pl.col("longitude"),
        pl.col("result_score").alias("score"),
        *OUTPUT_COLUMNS[4:7],
        pl.col("status"),
        pl.col("precision"),
    )


def geocode_one(
    geocoder: BanGeocoder,
    adresse: str,
    code_commune: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict:
    """One address through `/search/`, judged like a batch row (OUTPUT_COLUMNS but `id`)."""
    cleaned = clean_address(adresse)
    if not cleaned:
        return {name: None for name in OUTPUT_COLUMNS[1:]} | {"status": "empty_address"}
    city = DISTRICT_CITIES.get(code_commune or "")
    query, citycode = (f"{cleaned} {city}", None) if city else (cleaned, code_commune)
    answer = geocoder.search(query, citycode) or {"result_status": "not-found"}
    record = dict.fromkeys(CACHED_COLUMNS) | answer | {"code_commune": code_commune}
    row = judge(pl.DataFrame([record], schema=CACHED_COLUMNS), threshold).row(0, named=True)
    return {name: row.get(name) for name in OUTPUT_COLUMNS[1:]} | {"score": row["result_score"]}
