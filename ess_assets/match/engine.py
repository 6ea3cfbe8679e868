"""`match_records`: which records of a list are one establishment.

Steps, in order:

1. confirmed human decisions: 'different' pairs are kept apart, 'same' pairs merged;
2. exact SIRET (when `use_siret`): records sharing a valid SIRET are merged, and two
   different valid SIRETs are never merged, whatever else agrees (sibling establishments of
   one company are different suppliers);
3. blocking on name key, numbered address and trading name (see `blocking`);
4. pairwise comparison and scoring (see `score`), adjusted by the group of same-name records
   (see `siblings`);
5. constrained clustering, strongest link first (see `cluster`).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl

from ess_assets.match.blocking import candidate_pairs
from ess_assets.match.cluster import ConstrainedClusters
from ess_assets.match.features import Features, build_features
from ess_assets.match.score import MATCH_THRESHOLD, REVIEW_THRESHOLD, compare, weigh
from ess_assets.match.siblings import group_evidence

CLUSTER_SCHEMA = {
    "record_id": pl.String,
    "cluster_key": pl.String,
    "rule": pl.String,
    "score": pl.Float64,
}
LINK_SCHEMA = {
    "record_id_l": pl.String,
    "record_id_r": pl.String,
    "score": pl.Float64,
    "rule": pl.String,
    "decision": pl.String,
}


@dataclass(frozen=True)
class MatchResult:
    """Clusters (one row per record) and scored links (one row per compared pair kept).

    `clusters`: record_id, cluster_key (the smallest record_id of the cluster), rule (how the
    record joined its cluster: 'siret', 'decision:same', 'name+address', ..., 'singleton') and
    score (the match probability of that link, null for SIRET, decisions and singletons).
    `links`: record_id_l < record_id_r, score, rule, decision ('match', 'review' for a person
    to confirm, 'non-match' for pairs kept apart by a rule despite a high score).
    """

    clusters: pl.DataFrame
    links: pl.DataFrame


def _decision_pairs(
    decisions: pl.DataFrame | None, index: dict[str, int]
) -> list[tuple[int, int, str]]:
    if decisions is None or decisions.is_empty():
        return []
    out = []
    for left, right, decision in decisions.select(
        "record_id_l", "record_id_r", "decision"
    ).iter_rows():
        if left in index and right in index and decision in ("same", "different"):
            i, j = sorted((index[left], index[right]))
            out.append((i, j, decision))
    return out


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while the block runs, then restored."""
    # Matching builds millions of small objects (features, comparisons, links, pairs) with no
    # reference cycles among them; at 300k records the collector spent 4 s of 13 rescanning
    # them. Reference counting still frees what is dropped.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def match_records(
    records: pl.DataFrame, *, use_siret: bool = True, decisions: pl.DataFrame | None = None
) -> MatchResult:
    """Cluster `records` into establishments; see the module docstring for the steps.

    `records` needs record_id (unique), source, nom, enseigne, siret, adresse, code_postal and
    commune; code_commune, type_structure, forme_juridique, telephone, email and site_web are
    used when present. `decisions` (record_id_l, record_id_r, decision 'same'|'different')
    are confirmed human decisions that force or forbid a link.
    """
    features = build_features(records)
    ids = [f.record_id for f in features]
    if len(set(ids)) != len(ids):
        raise ValueError("record_id must be unique")
    index = {record_id: i for i, record_id in enumerate(ids)}
    clusters = ConstrainedClusters([f.siret for f in features], use_siret=use_siret)
    links: dict[tuple[int, int], tuple[float, str, str]] = {}

    confirmed = _decision_pairs(decisions, index)
    for i, j, decision in confirmed:
        if decision == "different":
            clusters.forbid(i, j)
            links[i, j] = (0.0, "decision:different", "non-match")
    if use_siret:
        _merge_same_siret(features, clusters)
    for i, j, decision in confirmed:
        if decision == "same" and clusters.merge(i, j, "decision:same", None):
            links[i, j] = (1.0, "decision:same", "match")

    blocks, pairs = candidate_pairs(features)
    comparisons = {(i, j): compare(features[i], features[j], use_siret=use_siret) for i, j in pairs}
    sites, splits = group_evidence(blocks, features, comparisons)
    candidates = []
    for pair, comparison in comparisons.items():
        if pair in links:
            continue
        probability, rule = weigh(comparison, sites.get(pair))
        veto = comparison.conflict or splits.get(pair)
        if veto:
            clusters.forbid(*pair)
            if probability >= REVIEW_THRESHOLD:
                links[pair] = (probability, veto, "non-match")
        elif probability >= MATCH_THRESHOLD:
            # Ties go to names written identically first ("L'EQUIPAGE" with "L'EQUIPAGE",
            # not with "L EQUIPAGE"), then to record ids, so the order never depends on luck.
            spelled_apart = features[pair[0]].row_text[0] != features[pair[1]].row_text[0]
            candidates.append((-probability, spelled_apart, ids[pair[0]], ids[pair[1]], pair, rule))
        elif probability >= REVIEW_THRESHOLD:
            links[pair] = (probability, rule, "review")
    for negative, _, _, _, (i, j), rule in _in_order(candidates):
        merged = clusters.merge(i, j, rule, -negative)
        links[i, j] = (-negative, rule, "match" if merged else "review")
    return MatchResult(_cluster_frame(ids, clusters), _link_frame(ids, links))


def _in_order(candidates: list[tuple]) -> list[tuple]:
    """`sorted(candidates)` for tuples whose first four items differ between any two."""
    # Scores tie often, so Python compared record ids for most of the 280k tuples at 300k
    # records; polars sorts the four columns in half the time.
    order = pl.DataFrame(
        [[candidate[k] for candidate in candidates] for k in range(4)],
        schema={"minus_score": pl.Float64, "spelled": pl.Boolean, "l": pl.String, "r": pl.String},
        orient="col",
    ).with_row_index()
    positions = order.sort("minus_score", "spelled", "l", "r")["index"].to_list()
    return [candidates[k] for k in positions]


def _merge_same_siret(features: list[Features], clusters: ConstrainedClusters) -> None:
    first_with: dict[str, int] = {}
    for f in features:
        if f.siret:
            if f.siret in first_with:
                clusters.merge(first_with[f.siret], f.index, "siret", None)
            else:
                first_with[f.siret] = f.index


def _cluster_frame(ids: list[str], clusters: ConstrainedClusters) -> pl.DataFrame:
    rules = ["singleton"] * len(ids)
    scores: list[float | None] = [None] * len(ids)
    for i, (rule, score) in clusters.joined_by.items():
        rules[i], scores[i] = rule, score
    frame = pl.DataFrame(
        {"record_id": ids, "cluster": clusters.labels(), "rule": rules, "score": scores},
        schema={
            "record_id": pl.String,
            "cluster": pl.Int64,
            "rule": pl.String,
            "score": pl.Float64,
        },
    )
    return frame.select(
        "record_id", pl.col("record_id").min().over("cluster").alias("cluster_key"), "rule", "score"
    )


def _link_frame(
    ids: list[str], links: dict[tuple[int, int], tuple[float, str, str]]
) -> pl.DataFrame:
    # Built by column and ordered by polars: row tuples cost twice as much at 300k records.
    values = list(links.values())
    frame = pl.DataFrame(
        {
            "a": [ids[i] for i, _ in links],
            "b": [ids[j] for _, j in links],
            "score": [round(score, 6) for score, _, _ in values],
            "rule": [rule for _, rule, _ in values],
            "decision": [decision for _, _, decision in values],
        },
        schema={
            "a": pl.String,
            "b": pl.String,
            "score": pl.Float64,
            "rule": pl.String,
            "decision": pl.String,
        },
    )
    a_first = pl.col("a") < pl.col("b")
    return frame.select(
        pl.when(a_first).then("a").otherwise("b").alias("record_id_l"),
        pl.when(a_first).then("b").otherwise("a").alias("record_id_r"),
        "score",
        "rule",
        "decision",
    ).sort("record_id_l", "record_id_r")
