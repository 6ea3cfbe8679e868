"""Incremental days: unchanged inputs skip the work, one changed source recomputes its part."""

import shutil

import dagster as dg
import duckdb
import pytest

from ess_assets import incremental
from ess_assets.cli import run_daily
from ess_assets.definitions import build_definitions
from ess_assets.settings import BUNDLED_DATA_DIR

STAGING = [["staging", "adere"], ["staging", "asp_siae"], ["staging", "marche_inclusion"]]
MATCH = [["marts", "source_records"], ["match", "links"], ["match", "golden"]]
ENRICH = [
    ["match", "siret_candidates"],
    ["enrich", "sirene"],
    ["enrich", "locations"],
    ["enrich", "qualification"],
    ["marts", "suppliers"],
    ["enrich", "gap_report"],
]
PUBLISH = [
    ["export", "candidate"],
    ["export", "opendata_ess"],
    ["export", "partner_feeds"],
    ["export", "analytics_warehouse"],
]


def _skipped(results: dict[str, dg.ExecuteInProcessResult]) -> dict[tuple, bool]:
    """Asset key path -> whether its materialization in the build run was skipped."""
    out = {}
    for event in results["build"].get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        flag = materialization.metadata.get("skipped")
        out[tuple(materialization.asset_key.path)] = bool(flag and flag.value)
    return out


def _tables(query, settings) -> dict[str, list[tuple]]:
    return {
        table: query(settings, f"SELECT * FROM {table} ORDER BY ALL")
        for table in ("staging.asp_siae", "marts.source_records", "match.golden")
    }


@pytest.fixture
def own_data(tmp_path, make_settings):
    """Settings over a copy of the bundled data, which a test may edit."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    return make_settings(tmp_path, data)


def test_unchanged_inputs_skip_staging_and_matching(own_data, query):
    definitions = build_definitions(own_data)
    with dg.DagsterInstance.ephemeral() as instance:
        first = run_daily(definitions, instance)
        before = _tables(query, own_data)
        second = run_daily(definitions, instance)
    assert all(result.success for result in (*first.values(), *second.values()))

    assert not any(_skipped(first).values())
    skipped = _skipped(second)
    for key in STAGING + MATCH + ENRICH + PUBLISH:
        assert skipped[tuple(key)], key
    assert _tables(query, own_data) == before
    # nothing new to publish: one publication logged, no candidate waiting, checks passed
    assert query(own_data, "SELECT count(*) FROM publish.publications") == [(1,)]
    assert not (own_data.export_dir / ".next" / "datapackage.json").exists()
    checks = second["build"].get_asset_check_evaluations()
    assert checks and all(check.passed for check in checks)

    raw = second["ingest"].get_asset_materialization_events()
    assert all(e.step_materialization_data.materialization.metadata["skipped"].value for e in raw)

    # a reviewer's new decision is an input of matching, not of staging
    with duckdb.connect(str(own_data.warehouse)) as con:
        con.execute("INSERT INTO match.decisions VALUES ('a:1', 'b:2', 'different', 'test', now())")
    with dg.DagsterInstance.ephemeral() as instance:
        third = run_daily(definitions, instance)
    skipped = _skipped(third)
    assert skipped[("staging", "asp_siae")]
    assert not skipped[("marts", "source_records")]


def test_one_changed_source_recomputes_only_what_depends_on_it(own_data, query):
    definitions = build_definitions(own_data)
    partner = own_data.data_dir / "partners" / "adere_fournisseurs.csv"
    with dg.DagsterInstance.ephemeral() as instance:
        run_daily(definitions, instance)
        text = partner.read_bytes().replace(b"PENELOPE-ULYSSE", b"PENELOPE ULYSSE MONTLUCON")
        partner.write_bytes(text)
        changed = run_daily(definitions, instance)
    assert all(result.success for result in changed.values())

    skipped = _skipped(changed)
    assert not skipped[("staging", "adere")]
    assert skipped[("staging", "asp_siae")] and skipped[("staging", "marche_inclusion")]
    for key in MATCH + ENRICH + PUBLISH:
        assert not skipped[tuple(key)], key
    assert query(own_data, "SELECT count(*) FROM publish.publications") == [(2,)]
    names = query(own_data, "SELECT nom FROM staging.adere WHERE nom LIKE 'PENELOPE%'")
    assert names == [("PENELOPE ULYSSE MONTLUCON",)]


def test_reference_files_hash_follows_their_content(tmp_path):
    stock = tmp_path / "enrich" / "stock_etablissement.csv"
    stock.parent.mkdir()
    stock.write_text("siret\n73282932000074\n", encoding="utf-8")
    first = incremental.files(stock.parent)
    assert incremental.files(stock.parent) == first
    stock.write_text("siret\n73282932000074\n35600000000048\n", encoding="utf-8")
    assert incremental.files(stock.parent) != first


def test_steps_done_changes_with_a_step_or_a_table_but_not_with_a_step_left_out(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        incremental.remember(con, "staging.adere", "file-1")
        incremental.remember(con, "export.analytics_warehouse", "copy-1")
        first = incremental.steps_done(con, leave_out=("export.analytics_warehouse",))
        incremental.remember(con, "export.analytics_warehouse", "copy-2")
        assert incremental.steps_done(con, leave_out=("export.analytics_warehouse",)) == first
        incremental.remember(con, "staging.adere", "file-2")
        second = incremental.steps_done(con, leave_out=("export.analytics_warehouse",))
        assert second != first
        con.execute("CREATE TABLE t (x INTEGER)")
        assert incremental.steps_done(con, leave_out=("export.analytics_warehouse",)) != second
