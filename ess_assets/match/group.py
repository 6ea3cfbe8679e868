"""Group source records into clusters, one cluster per establishment.

Records sharing a valid SIRET form one cluster; every other record stays alone. This is the
first, certain step of matching: the linkage of records without a SIRET builds on it.
"""

import polars as pl

CLUSTER_SCHEMA = {
    "record_key": pl.String,
    "cluster_key": pl.String,
    "anchor": pl.String,
    "rule": pl.String,
}


def record_key() -> pl.Expr:
    """A record's key across sources: 'source:source_record_id'."""
    return pl.format("{}:{}", "source", "source_record_id")


def group_by_siret(records: pl.DataFrame) -> pl.DataFrame:
    """One row per record: its cluster, the cluster's anchor and the rule that placed it."""
    by_siret = pl.col("siret_valide") & pl.col("siret").is_not_null()
    return records.select(
        record_key=record_key(),
        cluster_key=pl.when(by_siret)
        .then(pl.format("siret:{}", "siret"))
        .otherwise(pl.format("record:{}", record_key())),
        anchor=pl.when(by_siret)
        .then(pl.format("siret:{}", "siret"))
        .otherwise(pl.format("record:{}", record_key())),
        rule=pl.when(by_siret).then(pl.lit("siret")).otherwise(pl.lit("singleton")),
    ).cast(CLUSTER_SCHEMA)
