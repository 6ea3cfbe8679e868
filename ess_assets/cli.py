"""`python -m ess_assets.cli run`: the daily run, in this process, then a short summary."""

import argparse
import sys
import time

import dagster as dg

from ess_assets.definitions import defs
from ess_assets.jobs import BUILD, INGEST
from ess_assets.settings import Settings
from ess_assets.summary import summary_lines


def run_daily(
    definitions: dg.Definitions, instance: dg.DagsterInstance
) -> dict[str, dg.ExecuteInProcessResult]:
    """Run the ingest job, then the build job whatever ingest did (as the sensor would)."""
    results = {}
    for name in (INGEST, BUILD):
        job = definitions.resolve_job_def(name)
        results[name] = job.execute_in_process(instance=instance, raise_on_error=False)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ess_assets.cli", description=__doc__)
    parser.add_argument("command", choices=["run"], help="run: the whole daily job")
    parser.parse_args(argv)
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        results = run_daily(defs, instance)
    for name, result in results.items():
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        state = "succeeded" if result.success else f"failed steps: {', '.join(failed)}"
        print(f"{name} run {result.run_id}: {state}")
    for line in summary_lines(Settings.from_env()):
        print(line)
    print(f"wall time: {time.perf_counter() - started:.1f} s")
    return 0 if all(result.success for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
