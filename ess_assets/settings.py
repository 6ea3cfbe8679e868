"""Every setting of the project, read from the environment once, with its default.

| variable | default | meaning |
| --- | --- | --- |
| ESS_WAREHOUSE | var/warehouse.duckdb | the DuckDB warehouse file |
| ESS_ANALYTICS_WAREHOUSE | analytics_warehouse.duckdb beside the warehouse | analysts' copy |
| ESS_EXPORT_DIR | var/export | folder of the published files |
| ESS_SNAPSHOT_DIR | var/snapshots | raw files as received, one folder per source |
| ESS_DATA_DIR | the bundled snapshot (ess_assets/data) | where bundled source files are read |
| ESS_MAX_DROP | 0.10 | largest share of suppliers a publication may lose (circuit breaker) |
| ESS_SOURCE_MAX_DROP | 0.50 | largest share of rows a source's file may lose (else: refused) |
| ESS_RECHERCHE_ENTREPRISES_URL | unset: no call | Recherche d'entreprises API base URL |
| ESS_RECHERCHE_PER_SECOND | 7 | calls per second allowed to that API |
| ESS_BAN_URL | unset: cache only | BAN geocoder base URL (https://data.geopf.fr/geocodage) |
| ESS_WEBHOOK_URL | unset: no call | URL receiving a JSON message when a run fails |
| ESS_DUCKDB_MEMORY | 1GB | memory DuckDB may use before spilling to disk |

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
    analytics_copy: Path  # the copy analysts query, replaced at the end of each build
    env: Mapping[str, str]  # the environment, for the per-source variables of the registry
    max_drop: float = 0.10  # publication refused when the supplier count falls by more
    source_max_drop: float = 0.50  # a source's file refused when its row count falls by more
    recherche_url: str | None = None  # Recherche d'entreprises API; None: no live lookup
    recherche_per_second: float = 7.0
    ban_url: str | None = None  # BAN geocoder; None: geocoding cache only
    webhook_url: str | None = None  # run-failure messages POSTed here; None: no call
    duckdb_memory: str = "1GB"  # DuckDB's memory_limit: above it, it spills to disk

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        var = PROJECT_DIR / "var"
        warehouse = Path(env.get("ESS_WAREHOUSE") or var / "warehouse.duckdb")
        return cls(
            warehouse=warehouse,
            export_dir=Path(env.get("ESS_EXPORT_DIR") or var / "export"),
            snapshot_dir=Path(env.get("ESS_SNAPSHOT_DIR") or var / "snapshots"),
            data_dir=Path(env.get("ESS_DATA_DIR") or BUNDLED_DATA_DIR),
            analytics_copy=Path(
                env.get("ESS_ANALYTICS_WAREHOUSE")
                or warehouse.with_name("analytics_warehouse.duckdb")
            ),
            env=env,
            max_drop=_share(env.get("ESS_MAX_DROP"), default=0.10, name="ESS_MAX_DROP"),
            source_max_drop=_share(
                env.get("ESS_SOURCE_MAX_DROP"), default=0.50, name="ESS_SOURCE_MAX_DROP"
            ),
            recherche_url=env.get("ESS_RECHERCHE_ENTREPRISES_URL") or None,
            recherche_per_second=float(env.get("ESS_RECHERCHE_PER_SECOND") or 7.0),
            ban_url=env.get("ESS_BAN_URL") or None,
            webhook_url=env.get("ESS_WEBHOOK_URL") or None,
            duckdb_memory=env.get("ESS_DUCKDB_MEMORY") or "1GB",
        )


def _share(text: str | None, default: float, name: str) -> float:
    """A share between 0 and 1 read from `text` ('0.1' or '10%'), `default` when unset."""
    if not text:
        return default
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError as error:
        raise ValueError(f"{name}={text!r}: expected a share such as 0.1 or 10%") from error
    if not 0 <= share <= 1:
        raise ValueError(f"{name}={text!r}: expected a share between 0 and 1 (or 0% and 100%)")
    return share
