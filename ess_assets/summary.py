"""The figures a person wants after a run: where things are and how many records went where."""

from datetime import datetime

import duckdb

from ess_assets.settings import Settings
from ess_assets.sources.registry import registry
from ess_assets.sources.snapshots import last_good
from ess_assets.warehouse import table_exists


def summary_lines(settings: Settings, since: datetime | None = None) -> list[str]:
    """Where things are, and per source what was read; a source not fetched since `since`
    (UTC, naive) is marked as kept from its last good snapshot."""
    lines = [f"warehouse: {settings.warehouse}", f"export: {settings.export_dir}"]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        for source in registry():
            if not table_exists(con, f"staging.{source.name}"):
                lines.append(f"  {source.name}: not loaded")
                continue
            kept = con.execute(f"SELECT count(*) FROM staging.{source.name}").fetchall()[0][0]
            held = con.execute(f"SELECT count(*) FROM quarantine.{source.name}").fetchall()[0][0]
            line = f"  {source.name}: {kept + held} read, {kept} normalised, {held} quarantined"
            last = last_good(con, source.name)
            if since and last and last["fetched_at"] < since:
                line += f" (fetch failed: kept from {last['fetched_at']:%Y-%m-%d %H:%M} UTC)"
            lines.append(line)
        if table_exists(con, "marts.suppliers"):
            count = con.execute("SELECT count(*) FROM marts.suppliers").fetchall()[0][0]
            lines.append(f"suppliers published: {count}")
    return lines
