"""Shared fixtures: a settings object and a daily run, each test in its own tmp_path."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ess_assets.cli import run_daily
from ess_assets.definitions import build_definitions
from ess_assets.settings import BUNDLED_DATA_DIR, Settings


def make_settings(root: Path, data_dir: Path = BUNDLED_DATA_DIR) -> Settings:
    return Settings.from_env(
        {
            "ESS_WAREHOUSE": str(root / "warehouse.duckdb"),
            "ESS_EXPORT_DIR": str(root / "export"),
            "ESS_SNAPSHOT_DIR": str(root / "snapshots"),
            "ESS_DATA_DIR": str(data_dir),
        }
    )


def run_day(settings: Settings) -> dict[str, dg.ExecuteInProcessResult]:
    """One daily run (ingest then build) on `settings`, with a throwaway Dagster instance."""
    with dg.DagsterInstance.ephemeral() as instance:
        return run_daily(build_definitions(settings), instance)


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(name="make_settings", scope="session")
def make_settings_fixture():
    return make_settings


@pytest.fixture(name="run_day", scope="session")
def run_day_fixture():
    return run_day


@pytest.fixture(name="query", scope="session")
def query_fixture():
    return query
