"""Stable supplier ids across runs: growth, shrinkage, merges and splits."""

import polars as pl

from ess_assets.match.ids import anchor_id, assign_ids


def clusters(*rows: tuple[str, str, str]) -> pl.DataFrame:
    schema = dict.fromkeys(["record_key", "cluster_key", "anchor"], pl.String)
    return pl.DataFrame(rows, schema=schema, orient="row")


def previous(*rows: tuple[str, str]) -> pl.DataFrame:
    schema = {"record_key": pl.String, "supplier_id": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def ids_of(result) -> dict[str, str]:
    return dict(result[0].iter_rows())


def test_new_clusters_get_ids_from_their_anchor():
    today = clusters(("a:1", "c1", "siret:1"), ("b:2", "c2", "record:b:2"))
    result = assign_ids(today, previous())
    assert ids_of(result) == {"c1": anchor_id("siret:1"), "c2": anchor_id("record:b:2")}
    assert result[1].is_empty()


def test_cluster_keeps_its_id_when_it_loses_the_siret_record():
    today = clusters(("b:2", "c9", "record:b:2"))
    result = assign_ids(today, previous(("a:1", "ess-A"), ("b:2", "ess-A")))
    assert ids_of(result) == {"c9": "ess-A"}


def test_merge_keeps_the_majority_id_and_is_recorded():
    today = clusters(("a:1", "c1", "s"), ("a:2", "c1", "s"), ("b:3", "c1", "s"))
    result = assign_ids(today, previous(("a:1", "ess-A"), ("a:2", "ess-A"), ("b:3", "ess-B")))
    assert ids_of(result) == {"c1": "ess-A"}
    assert result[1].rows() == [("merge", "ess-A", "ess-B")]


def test_split_gives_the_larger_part_the_old_id():
    today = clusters(("a:1", "c1", "s"), ("a:2", "c1", "s"), ("b:3", "c2", "record:b:3"))
    old = previous(("a:1", "ess-A"), ("a:2", "ess-A"), ("b:3", "ess-A"))
    result = assign_ids(today, old)
    fresh = anchor_id("record:b:3")
    assert ids_of(result) == {"c1": "ess-A", "c2": fresh}
    assert result[1].rows() == [("split", "ess-A", fresh)]
