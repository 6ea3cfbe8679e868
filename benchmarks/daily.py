"""`python -m benchmarks.daily [SIZES...]`: the whole daily run on generated workloads.

For each size: generate the workload (benchmarks/workload.py) in a temp folder, run ingest then
build through Dagster (ephemeral instance, fresh warehouse), run again with unchanged inputs,
and print one JSON line: seconds per stage (sum of step durations, STEP_START to STEP_SUCCESS
or STEP_FAILURE, grouped by the asset's group), wall time, peak RSS, pairwise matching F1
against the generated truth, and the second run's wall time and compute.
"""

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from benchmarks.workload import generate
from ess_assets.cli import run_daily
from ess_assets.definitions import build_definitions
from ess_assets.settings import Settings

STAGES = {"sources": "ingest", "normalise": "normalise", "match": "match"}
END_EVENTS = {"STEP_SUCCESS", "STEP_FAILURE"}


def step_stages(definitions: dg.Definitions) -> dict[str, str]:
    """Step key (the op's name) -> stage, from the group of the assets the op computes."""
    stages = {}
    for assets_def in definitions.resolve_asset_graph().assets_defs:
        groups = set(assets_def.group_names_by_key.values())
        if assets_def.is_executable and groups:
            group = sorted(groups)[0]
            stages[assets_def.node_def.name] = STAGES.get(group, group)
    return stages


def stage_seconds(
    instance: dg.DagsterInstance, results: dict, stages: dict[str, str]
) -> tuple[dict[str, float], list[str]]:
    """Seconds of compute per stage over every run in `results`, and the failed steps."""
    seconds: dict[str, float] = defaultdict(float)
    failed = []
    for result in results.values():
        started = {}
        for entry in instance.all_logs(result.run_id):
            event = entry.dagster_event
            kind = event.event_type_value if event else None
            if kind == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif kind in END_EVENTS and event.step_key in started:
                stage = stages.get(event.step_key, "other")
                seconds[stage] += entry.timestamp - started[event.step_key]
                if kind == "STEP_FAILURE":
                    failed.append(event.step_key)
    return {k: round(v, 2) for k, v in sorted(seconds.items())}, failed


def _pairs(counts: pl.Series) -> int:
    return int((counts * (counts - 1) // 2).sum())


def pairwise_f1(warehouse: Path, truth: pl.DataFrame) -> dict[str, float]:
    """Pairwise precision, recall and F1 of supplier_id against the true establishments."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.sql("SELECT source, source_line, supplier_id FROM marts.source_records").pl()
    joined = found.join(
        truth.with_columns(pl.col("source_line").cast(pl.Int64)), on=["source", "source_line"]
    )
    both = _pairs(joined.group_by("supplier_id", "establishment_id").len().get_column("len"))
    predicted = _pairs(joined.group_by("supplier_id").len().get_column("len"))
    actual = _pairs(joined.group_by("establishment_id").len().get_column("len"))
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "records_scored": len(joined),
        "records_generated": len(truth),
    }


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="ess-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        truth = generate(root / "data", size)
        generated = time.perf_counter() - started
        settings = Settings.from_env(
            {
                "ESS_WAREHOUSE": str(root / "warehouse.duckdb"),
                "ESS_EXPORT_DIR": str(root / "export"),
                "ESS_SNAPSHOT_DIR": str(root / "snapshots"),
                "ESS_DATA_DIR": str(root / "data"),
            }
        )
        definitions = build_definitions(settings)
        stages = step_stages(definitions)
        with dg.DagsterInstance.ephemeral() as instance:
            started = time.perf_counter()
            first = run_daily(definitions, instance)
            wall = time.perf_counter() - started
            started = time.perf_counter()
            second = run_daily(definitions, instance)
            rerun_wall = time.perf_counter() - started
            seconds, failed = stage_seconds(instance, first, stages)
            rerun_seconds, rerun_failed = stage_seconds(instance, second, stages)
        compute = sum(seconds.values())
        rerun_compute = sum(rerun_seconds.values())
        return {
            "records": size,
            "generate_s": round(generated, 2),
            "stages_s": seconds,
            "wall_s": round(wall, 2),
            "peak_rss_mib": peak_rss_mib(),
            "matching": pairwise_f1(settings.warehouse, truth),
            "failed_steps": failed,
            "rerun_unchanged": {
                "wall_s": round(rerun_wall, 2),
                "compute_s": round(rerun_compute, 2),
                "share_of_first": round(rerun_compute / compute, 3) if compute else None,
                "failed_steps": rerun_failed,
            },
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.daily", description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 300_000])
    args = parser.parse_args(argv)
    for size in args.sizes:
        print(json.dumps(measure(size)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
