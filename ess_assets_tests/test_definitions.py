from datetime import timedelta

import dagster as dg

from ess_assets.definitions import defs
from ess_assets.sources.registry import registry


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)


def test_one_raw_and_one_staging_asset_per_source():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    for source in registry():
        assert f"raw/{source.name}" in keys
        assert f"staging/{source.name}" in keys
    assert {"marts/suppliers", "marts/source_records", "export/opendata_ess"} <= keys


def test_daily_schedule_in_paris_time():
    schedule = defs.resolve_schedule_def("daily_ingest")
    assert schedule.execution_timezone == "Europe/Paris"


def test_every_asset_tells_the_person_on_call_what_it_is():
    graph = defs.resolve_asset_graph()
    steps = {"sources", "normalise", "match", "enrich", "publish"}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        assert node.group_name in steps, name
        assert node.kinds, name
        assert node.owners and all(o.startswith("team:") for o in node.owners), name
        assert node.description and len(node.description) > 40, name


def test_sources_carry_a_freshness_policy():
    graph = defs.resolve_asset_graph()
    for source in registry():
        assert graph.get(dg.AssetKey(["raw", source.name])).freshness_policy is not None


def test_the_export_is_late_after_26_hours_and_failed_after_two_days():
    export = defs.resolve_asset_graph().get(dg.AssetKey(["export", "opendata_ess"]))
    policy = export.freshness_policy
    assert policy.warn_window.to_timedelta() == timedelta(hours=26)
    assert policy.fail_window.to_timedelta() == timedelta(days=2)


def test_every_step_that_opens_the_warehouse_is_in_its_pool():
    graph = defs.resolve_asset_graph()
    opening = [a.node_def for a in graph.assets_defs if "warehouse" in a.required_resource_keys]
    assert len(opening) > 50  # raw and staging assets, their checks, matching to publication
    assert [node.name for node in opening if node.pool != "warehouse"] == []
