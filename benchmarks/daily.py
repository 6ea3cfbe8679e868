"""`python -m benchmarks.daily [SIZES...]`: the whole daily run on generated workloads.

For each size: generate the workload (benchmarks/workload.py) in a temp folder, run ingest then
build through Dagster (ephemeral instance, fresh warehouse), run again with unchanged inputs,
then again after one partner added a row, and print one JSON line: seconds per stage (sum of
step durations, STEP_START to STEP_SUCCESS or STEP_FAILURE, grouped by the asset's group, a
check with its asset's), wall time, peak RSS after the first run (this process's, and with
its child processes', sampled every 0.1 s) and the steps holding the most memory, pairwise
matching F1 against the generated truth, and each re-run's wall time, compute and skipped
materializations.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
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
from ess_assets.sources.registry import registry

STAGES = {
    "sources": "ingest",
    "normalise": "normalise",
    "match": "match",
    "enrich": "enrich",
    "publish": "publish",
}
END_EVENTS = {"STEP_SUCCESS", "STEP_FAILURE"}


def step_stages(definitions: dg.Definitions) -> dict[str, str]:
    """Step key (the op's name) -> stage, from the group of the assets the op computes.

    A check's own step counts with its asset's group; so do checks computed with their asset.
    """
    graph = definitions.resolve_asset_graph()
    group_of = {key: graph.get(key).group_name for key in graph.get_all_asset_keys()}
    stages = {}
    for assets_def in graph.assets_defs:
        keys = list(assets_def.keys) or [check.asset_key for check in assets_def.check_keys]
        groups = sorted({group_of[key] for key in keys if key in group_of})
        if groups:
            stages[assets_def.node_def.name] = STAGES.get(groups[0], groups[0])
    return stages


def step_spans(instance: dg.DagsterInstance, results: dict):
    """(step key, start, end, failed) of every step of the runs in `results`, from their logs."""
    for result in results.values():
        started = {}
        for entry in instance.all_logs(result.run_id):
            event = entry.dagster_event
            kind = event.event_type_value if event else None
            if kind == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif kind in END_EVENTS and event.step_key in started:
                begin = started[event.step_key]
                yield event.step_key, begin, entry.timestamp, kind == "STEP_FAILURE"


def stage_seconds(
    instance: dg.DagsterInstance, results: dict, stages: dict[str, str]
) -> tuple[dict[str, float], list[str], dict[str, float]]:
    """Seconds of compute per stage over every run in `results`, the failed steps, and the
    five slowest steps with their seconds."""
    seconds: dict[str, float] = defaultdict(float)
    steps: dict[str, float] = defaultdict(float)
    failed = []
    for step, begin, end, broke in step_spans(instance, results):
        seconds[stages.get(step, "other")] += end - begin
        steps[step] += end - begin
        if broke:
            failed.append(step)
    slowest = sorted(steps.items(), key=lambda item: -item[1])[:5]
    return (
        {k: round(v, 2) for k, v in sorted(seconds.items())},
        failed,
        {k: round(v, 2) for k, v in slowest},
    )


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


class MemorySampler:
    """Samples resident memory every `every` seconds, in a thread: this process's, and this
    process's together with its child processes' (the spreadsheet writer and the Frictionless
    validation run in their own). ru_maxrss gives only the peak of one process."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.samples, self.with_children = every, [], []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            own = _resident("self")
            children = sum(_resident(pid) for pid in _child_pids())
            self.samples.append((time.time(), own))
            self.with_children.append(own + children)
            self._stop.wait(self.every)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def peak_with_children(self) -> float:
        """The highest sum of this process's and its children's resident memory, in MiB."""
        return round(max(self.with_children, default=0.0), 1)

    def by_step(self, instance: dg.DagsterInstance, results: dict, top: int = 5) -> dict:
        """The `top` steps by highest resident memory sampled while they ran, in MiB."""
        peaks: dict[str, float] = {}
        for step, begin, end, _ in step_spans(instance, results):
            during = [rss for at, rss in self.samples if begin <= at <= end]
            if during:
                peaks[step] = round(max(during), 1)
        return dict(sorted(peaks.items(), key=lambda item: -item[1])[:top])


def _resident(pid: str) -> float:
    """Resident memory of process `pid` ('self' for this one) in MiB; 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def _child_pids() -> list[str]:
    """The processes this one started and that still run (Linux /proc, every thread's)."""
    pids = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += (task / "children").read_text().split()
        except FileNotFoundError:
            continue
    return pids


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def skipped_steps(results: dict) -> int:
    """Materializations of the runs in `results` that were skipped (inputs unchanged)."""
    count = 0
    for result in results.values():
        for event in result.get_asset_materialization_events():
            flag = event.step_materialization_data.materialization.metadata.get("skipped")
            count += bool(flag and flag.value)
    return count


def change_one_source(data_dir: Path) -> str:
    """A partner adds a row: the last record of the first CSV source is listed once more."""
    source = next(s for s in registry() if s.format.kind == "csv")
    path = data_dir / source.fetch.path
    content = path.read_bytes()
    last = content.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
    path.write_bytes(content.rstrip(b"\r\n") + b"\n" + last + b"\n")
    return source.name


def _rerun(instance, definitions, stages, compute: float) -> tuple[dict, dict]:
    started = time.perf_counter()
    results = run_daily(definitions, instance)
    wall = time.perf_counter() - started
    seconds, failed, slowest = stage_seconds(instance, results, stages)
    rerun_compute = sum(seconds.values())
    return results, {
        "wall_s": round(wall, 2),
        "compute_s": round(rerun_compute, 2),
        "share_of_first": round(rerun_compute / compute, 3) if compute else None,
        "stages_s": seconds,
        "slowest_steps_s": slowest,
        "skipped_materializations": skipped_steps(results),
        "failed_steps": failed,
    }


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
            with MemorySampler() as memory:
                started = time.perf_counter()
                first = run_daily(definitions, instance)
                wall = time.perf_counter() - started
            peak, by_step = peak_rss_mib(), memory.by_step(instance, first)
            peak_with_children = memory.peak_with_children()
            seconds, failed, slowest = stage_seconds(instance, first, stages)
            compute = sum(seconds.values())
            matching = pairwise_f1(settings.warehouse, truth)
            _, unchanged = _rerun(instance, definitions, stages, compute)
            changed_source = change_one_source(root / "data")
            _, changed = _rerun(instance, definitions, stages, compute)
        return {
            "records": size,
            "generate_s": round(generated, 2),
            "stages_s": seconds,
            "slowest_steps_s": slowest,
            "steps": sum(len(r.get_step_success_events()) for r in first.values()),
            "compute_s": round(compute, 2),
            "wall_s": round(wall, 2),
            "peak_rss_mib": peak,
            "peak_rss_with_children_mib": peak_with_children,
            "rss_by_step_mib": by_step,
            "matching": matching,
            "failed_steps": failed,
            "rerun_unchanged": unchanged,
            "rerun_one_source_changed": {"source": changed_source, **changed},
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
