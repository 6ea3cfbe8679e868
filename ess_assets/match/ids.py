"""Stable supplier ids: a cluster keeps the id its members had yesterday.

Today's clusters are compared with yesterday's assignment of records to suppliers. A cluster
takes the id most of its members held (ties: the smallest id); when a cluster split, the
largest part keeps the id and the others get new ones. A cluster with no history gets an id
derived from its anchor (its valid SIRET, else its smallest record key), so the same input
gives the same ids even on an empty warehouse.
"""

import hashlib

import polars as pl

ID_PREFIX = "ess-"
EVENT_SCHEMA = {"event": pl.String, "supplier_id": pl.String, "other_ids": pl.String}


def anchor_id(anchor: str) -> str:
    return ID_PREFIX + hashlib.sha1(anchor.encode()).hexdigest()[:12]


def assign_ids(clusters: pl.DataFrame, previous: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Supplier ids for `clusters` (record_key, cluster_key, anchor), and the merges and splits.

    `previous` holds yesterday's (record_key, supplier_id). Returns (cluster_key, supplier_id)
    and the events: 'merge' (a supplier absorbed others) and 'split' (a supplier lost records
    to new suppliers).
    """
    held = clusters.join(previous, on="record_key", how="inner")
    votes = (
        held.group_by("cluster_key", "supplier_id")
        .agg(members=pl.len())
        .sort(["members", "supplier_id"], descending=[True, False])
    )
    # each old id goes to the cluster holding most of its records, then each cluster keeps its
    # best remaining id
    claims = votes.unique("supplier_id", keep="first", maintain_order=True)
    kept = claims.unique("cluster_key", keep="first", maintain_order=True)
    anchors = clusters.group_by("cluster_key").agg(anchor=pl.col("anchor").min())
    ids = anchors.join(kept.select("cluster_key", "supplier_id"), on="cluster_key", how="left")
    ids = ids.with_columns(
        supplier_id=pl.coalesce(
            "supplier_id",
            pl.col("anchor").map_elements(anchor_id, return_dtype=pl.String),
        )
    )
    # a fresh anchor id may collide with an id kept elsewhere: salt it with the cluster key
    taken = ids.filter(pl.col("supplier_id").is_duplicated())
    if taken.height:
        fresh = pl.col("anchor") + "|" + pl.col("cluster_key")
        ids = ids.with_columns(
            supplier_id=pl.when(
                pl.col("supplier_id").is_duplicated()
                & ~pl.col("cluster_key").is_in(kept.get_column("cluster_key").implode())
            )
            .then(fresh.map_elements(anchor_id, return_dtype=pl.String))
            .otherwise(pl.col("supplier_id"))
        )
    return ids.select("cluster_key", "supplier_id"), _events(votes, ids)


def _events(votes: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """Merges (today's id gathered several of yesterday's) and splits (the reverse)."""
    voted = votes.join(ids, on="cluster_key", suffix="_new")
    merges = _event(voted, "merge", owner="supplier_id_new", other="supplier_id")
    splits = _event(voted, "split", owner="supplier_id", other="supplier_id_new")
    return pl.concat([merges, splits]).cast(EVENT_SCHEMA).sort("event", "supplier_id")


def _event(voted: pl.DataFrame, event: str, *, owner: str, other: str) -> pl.DataFrame:
    """One row per `owner` id whose records carry several distinct ids in `other`."""
    return (
        voted.group_by(owner)
        .agg(
            spread=pl.col(other).n_unique(),
            other_ids=pl.col(other).filter(pl.col(other) != pl.col(owner)).unique(),
        )
        .filter(pl.col("spread") > 1)
        .select(
            event=pl.lit(event),
            supplier_id=pl.col(owner),
            other_ids=pl.col("other_ids").list.sort().list.join(","),
        )
    )
