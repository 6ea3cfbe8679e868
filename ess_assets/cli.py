"""`python -m ess_assets.cli run`: the daily run, in this process, then a short summary."""

import argparse
import os
import shutil
import sys
import time
from datetime import UTC, datetime

import dagster as dg

from ess_assets.definitions import defs
from ess_assets.jobs import BUILD, INGEST
from ess_assets.settings import PROJECT_DIR, Settings
from ess_assets.summary import summary_lines


def run_daily(
    definitions: dg.Definitions, instance: dg.DagsterInstance, log_level: str = "WARNING"
) -> dict[str, dg.ExecuteInProcessResult]:
    """Run the ingest job, then the build job whatever ingest did (as the sensor would).

    `log_level` is the console's: the whole log stays in the run's history (Dagster UI).
    """
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    results = {}
    for name in (INGEST, BUILD):
        job = definitions.resolve_job_def(name)
        results[name] = job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    return results


def instance() -> dg.DagsterInstance:
    """The instance of DAGSTER_HOME; when unset, `.dagster_home` in the project (as `make`
    sets it), created with the project's dagster.yaml, so run history is kept either way."""
    if not os.environ.get("DAGSTER_HOME"):
        home = PROJECT_DIR / ".dagster_home"
        home.mkdir(exist_ok=True)
        if not (home / "dagster.yaml").exists():
            shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
        os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def skipped(result: dg.ExecuteInProcessResult) -> tuple[int, int]:
    """(materializations skipped because their inputs did not change, materializations)."""
    events = result.get_asset_materialization_events()
    flags = [e.step_materialization_data.materialization.metadata.get("skipped") for e in events]
    return sum(bool(flag and flag.value) for flag in flags), len(events)


def failure_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per failed step: its name and the reason it gave, without the stack trace
    (the trace stays in the run's history, and `--verbose` prints it)."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            text = error.message.strip() if error else "no message"
            # "dagster._core.definitions.events.Failure: coorace: ..." -> "coorace: ..."
            reason = text.split(": ", 1)[1] if text.split(": ", 1)[0].count(".") > 1 else text
            lines.append(f"  {event.step_key}: {reason}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ess_assets.cli", description=__doc__)
    parser.add_argument("command", choices=["run"], help="run: the whole daily job")
    parser.add_argument("--verbose", action="store_true", help="print every step's log")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    with instance() as dagster:
        results = run_daily(defs, dagster, "DEBUG" if args.verbose else "CRITICAL")
    for name, result in results.items():
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        state = "succeeded" if result.success else f"failed steps: {', '.join(failed)}"
        kept, total = skipped(result)
        print(f"{name} run {result.run_id}: {state}; {kept} of {total} assets unchanged, skipped")
        for line in failure_lines(result):
            print(line)
    for line in summary_lines(Settings.from_env(), since=started_at):
        print(line)
    print(f"wall time: {time.perf_counter() - started:.1f} s")
    return 0 if all(result.success for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
