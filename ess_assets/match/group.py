"""From source records to clusters: the matcher's input, and each cluster's anchor.

The anchor is what a brand-new cluster's supplier_id is derived from: its smallest valid
SIRET when it has one, else its smallest record key. The same input then gives the same ids.
"""

import polars as pl

from ess_assets.match.engine import MatchResult, match_records

MATCH_INPUT = (
    "source",
    "nom",
    "enseigne",
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "type_structure",
    "forme_juridique",
    "telephone",
    "email",
    "site_web",
)
DECISION_SCHEMA = {
    "record_key_l": pl.String,
    "record_key_r": pl.String,
    "decision": pl.String,  # 'same' or 'different'
    "decided_by": pl.String,
    "decided_at": pl.Datetime,
}


def record_key() -> pl.Expr:
    """A record's key across sources: 'source:source_record_id'."""
    return pl.format("{}:{}", "source", "source_record_id")


def match(records: pl.DataFrame, decisions: pl.DataFrame) -> MatchResult:
    """Run the matcher on normalised records (common schema) with confirmed decisions."""
    keyed = records.select(record_key().alias("record_id"), *MATCH_INPUT)
    confirmed = decisions.select(
        record_id_l="record_key_l", record_id_r="record_key_r", decision="decision"
    )
    return match_records(keyed, use_siret=True, decisions=confirmed)


def anchors(records: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """clusters (record_id, cluster_key) with each cluster's anchor, as assign_ids wants them."""
    valid = records.select(
        record_id=record_key(),
        siret=pl.when(pl.col("siret_valide")).then(pl.col("siret")),
    )
    joined = clusters.join(valid, on="record_id", how="left")
    per_cluster = joined.group_by("cluster_key").agg(
        anchor=pl.coalesce(
            pl.format("siret:{}", pl.col("siret").drop_nulls().min()),
            pl.format("record:{}", pl.col("record_id").min()),
        )
    )
    return joined.join(per_cluster, on="cluster_key").select(
        record_key="record_id", cluster_key="cluster_key", anchor="anchor"
    )
