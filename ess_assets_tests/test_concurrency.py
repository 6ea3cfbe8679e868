"""An analyst's read-only DuckDB connection held by another process while a run writes.

DuckDB lets one process write a database file, or several processes read it: a read-only
connection held by an analyst's process locks the writers out, so the daily run cannot open
the warehouse while it is held. This test records that behaviour; the way out for analysts is
to read a copy of the warehouse, never the file the run writes.
"""

import subprocess
import sys
import time

import duckdb
import pytest

from ess_assets.publish.analytics_copy import check_no_pending_log

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 20)
"""


def test_reader_process_blocks_the_writer(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(warehouse))
    finally:
        reader.kill()
        reader.wait()
    time.sleep(0.1)
    with duckdb.connect(str(warehouse)) as con:  # the lock goes with the reader
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_analysts_read_a_copy_while_the_run_writes(settings, run_day):
    run_day(settings)
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(settings.analytics_copy), "120"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        results = run_day(settings)  # a second daily run while the analyst holds the copy
        assert all(result.success for result in results.values())
        assert reader.poll() is None  # the analyst's connection was open all along
        tables = "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        with duckdb.connect(str(settings.analytics_copy), read_only=True) as con:
            copied = con.execute(tables).fetchall()
            suppliers = con.execute("SELECT count(*) FROM marts.suppliers").fetchall()[0][0]
            # the README's queries name the analytics schema: no clash with the file's name
            views = con.execute("SELECT count(*) FROM analytics.suppliers").fetchall()[0][0]
        assert views == suppliers
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM marts.suppliers").fetchall()[0][0] == suppliers
            assert con.execute(tables).fetchall() == copied
    finally:
        reader.kill()
        reader.wait()


def test_a_warehouse_with_changes_left_in_its_log_is_not_copied(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    (tmp_path / "warehouse.duckdb.wal").write_bytes(b"pending")
    with pytest.raises(RuntimeError, match="write-ahead log"):
        check_no_pending_log(database)
    (tmp_path / "warehouse.duckdb.wal").write_bytes(b"")
    check_no_pending_log(database)
