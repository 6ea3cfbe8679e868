"""Scores of a clustering against the SIRET ground truth: pairwise and B-cubed."""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import polars as pl

from ess_assets.match import keys

# Fields a matcher sees; two records equal on every field both fill cannot be told apart.
_FIELDS = (
    "nom",
    "enseigne",
    "adresse",
    "code_postal",
    "commune",
    "type_structure",
    "forme_juridique",
    "telephone",
    "email",
    "site_web",
)


def _folded(row: dict) -> tuple:
    return (
        keys.name_parts(row["nom"]),
        keys.fold(row["enseigne"]) or None,
        keys.address_parts(row["adresse"]) if row["adresse"] else None,
        row["code_postal"],
        keys.commune_key(row["commune"]) or None,
        row["type_structure"],
        keys.legal_form_of(row["forme_juridique"]),
        keys.phone_key(row["telephone"]),
        keys.email_key(row["email"]),
        keys.website_key(row["site_web"]),
    )


def indistinguishable(a: tuple, b: tuple) -> bool:
    """Equal on every folded field that both records fill."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    bcubed_f1: float
    excluded: int
    false_merges: list[tuple[str, str]]
    misses: list[tuple[str, str]]


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(records: pl.DataFrame, clusters: pl.DataFrame) -> Scores:
    """Pairwise P/R/F1 (indistinguishable sibling pairs left out) and B-cubed F1."""
    data = records.filter(pl.col("truth").is_not_null()).join(
        clusters.select("record_id", "cluster_key"), on="record_id"
    )
    rows = {row["record_id"]: row for row in data.iter_rows(named=True)}
    truth: dict[str, list[str]] = defaultdict(list)
    predicted: dict[str, list[str]] = defaultdict(list)
    for record_id, row in rows.items():
        truth[row["truth"]].append(record_id)
        predicted[row["cluster_key"]].append(record_id)
    true_pairs, predicted_pairs = _pairs(truth), _pairs(predicted)
    folded = {record_id: _folded(row) for record_id, row in rows.items()}
    excluded = {
        p for p in predicted_pairs - true_pairs if indistinguishable(folded[p[0]], folded[p[1]])
    }
    by_place: dict[tuple, list[str]] = defaultdict(list)
    for record_id, f in folded.items():
        by_place[f[0][0], f[3]].append(record_id)
    excluded |= {
        p
        for p in _pairs(by_place)
        if rows[p[0]]["truth"] != rows[p[1]]["truth"]
        and indistinguishable(folded[p[0]], folded[p[1]])
    }
    predicted_pairs -= excluded
    tp = len(true_pairs & predicted_pairs)
    precision = tp / len(predicted_pairs) if predicted_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    b_precision = b_recall = 0.0
    for row in rows.values():
        cluster = set(predicted[row["cluster_key"]])
        same = set(truth[row["truth"]])
        common = len(cluster & same)
        b_precision += common / len(cluster)
        b_recall += common / len(same)
    n = len(rows) or 1
    return Scores(
        precision,
        recall,
        _f1(precision, recall),
        _f1(b_precision / n, b_recall / n),
        len(excluded),
        sorted(predicted_pairs - true_pairs),
        sorted(true_pairs - predicted_pairs),
    )
