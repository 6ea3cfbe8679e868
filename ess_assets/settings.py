"""Every setting of the project, read from the environment once, with its default.

| variable | default | meaning |
| --- | --- | --- |
| ESS_WAREHOUSE | var/warehouse.duckdb | the DuckDB warehouse file |
| ESS_EXPORT_DIR | var/export | folder of the published files |
| ESS_SNAPSHOT_DIR | var/snapshots | raw files as received, one folder per source |
| ESS_DATA_DIR | the bundled snapshot (ess_assets/data) | where bundled source files are read |

Live fetching is configured per source by the variables its registry entry names
(`url_env`, `token_env`); see README.md.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    export_dir: Path
    snapshot_dir: Path
    data_dir: Path
    env: Mapping[str, str]  # the environment, for the per-source variables of the registry

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        var = PROJECT_DIR / "var"
        return cls(
            warehouse=Path(env.get("ESS_WAREHOUSE") or var / "warehouse.duckdb"),
            export_dir=Path(env.get("ESS_EXPORT_DIR") or var / "export"),
            snapshot_dir=Path(env.get("ESS_SNAPSHOT_DIR") or var / "snapshots"),
            data_dir=Path(env.get("ESS_DATA_DIR") or BUNDLED_DATA_DIR),
            env=env,
        )
