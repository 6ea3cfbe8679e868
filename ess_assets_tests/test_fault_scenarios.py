"""A partner's bad day, end to end: the other sources flow, and nothing already published is lost.

Day one runs on a copy of the bundled data; each test copies day one's folders, breaks one
source in one way, runs day two, and compares the export with day one's.
"""

import http.server
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from ess_assets.cli import failure_lines
from ess_assets.settings import BUNDLED_DATA_DIR

COORACE = Path("partners") / "coorace_adherents.csv"


@pytest.fixture(scope="module")
def day_one(tmp_path_factory, make_settings, run_day) -> Path:
    root = tmp_path_factory.mktemp("day_one")
    shutil.copytree(BUNDLED_DATA_DIR, root / "data")
    results = run_day(make_settings(root, root / "data"))
    assert all(result.success for result in results.values())
    return root


@pytest.fixture
def day_two(day_one, tmp_path, make_settings):
    """Settings of a copy of day one, whose data files the test may break."""
    shutil.copytree(day_one, tmp_path, dirs_exist_ok=True)
    return make_settings(tmp_path, tmp_path / "data")


def published(settings) -> set[str]:
    frame = pl.read_csv(settings.export_dir / "opendata_ess.csv", infer_schema=False)
    return set(frame.get_column("supplier_id"))


def failures(result) -> dict[str, str]:
    """Failed step -> its error message."""
    return {
        event.step_key: event.step_failure_data.error.message
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error
    }


def check_held(settings, run_day, query, reason: str) -> None:
    """Day two: coorace fails with `reason`, the build succeeds, the export is unchanged."""
    before = published(settings)
    coorace_rows = query(settings, "SELECT count(*) FROM raw.coorace")
    results = run_day(settings)
    failed = failures(results["ingest"])
    assert list(failed) == ["raw__coorace"]
    assert reason in failed["raw__coorace"]
    assert "last good snapshot stays published" in failed["raw__coorace"]
    assert results["build"].success
    assert published(settings) == before
    assert query(settings, "SELECT count(*) FROM raw.coorace") == coorace_rows


class _Server(http.server.ThreadingHTTPServer):
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, headers, body = self.server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 whose answer each test sets."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_partner_down(day_two, run_day, query, monkeypatch, server):
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more: connection refused
    monkeypatch.setenv("ESS_COORACE_URL", f"http://127.0.0.1:{port}/coorace.csv")
    check_held(day_two, run_day, query, "request failed")


def test_partner_answers_http_500(day_two, run_day, query, monkeypatch, server):
    server.answer = (500, {"Content-Length": "5"}, b"oops!")
    monkeypatch.setenv("ESS_COORACE_URL", f"http://127.0.0.1:{server.server_address[1]}/c.csv")
    check_held(day_two, run_day, query, "coorace")


def test_partner_sends_truncated_file(day_two, run_day, query, monkeypatch, server):
    body = (day_two.data_dir / COORACE).read_bytes()
    server.answer = (200, {"Content-Length": str(len(body) + 500)}, body)
    monkeypatch.setenv("ESS_COORACE_URL", f"http://127.0.0.1:{server.server_address[1]}/c.csv")
    check_held(day_two, run_day, query, "coorace")


@pytest.mark.parametrize(
    ("share", "at_line_end", "reason"),
    [
        (0.3, False, "the file ends inside a row"),
        (0.3, True, "in the last good file, a fall of"),  # 7 of coorace's 22 rows
        (0.7, False, "the file ends inside a row"),  # 16 rows: a fall the guard lets through
    ],
)
def test_partner_file_cut_short_on_disk_is_refused(
    day_two, run_day, query, share, at_line_end, reason
):
    """A bundled file cut after `share` of its bytes, inside a row or at the line end before."""
    path = day_two.data_dir / COORACE
    content = path.read_bytes()
    head = content[: int(len(content) * share)]
    path.write_bytes(head[: head.rindex(b"\n") + 1] if at_line_end else head)
    check_held(day_two, run_day, query, reason)


def test_partner_file_in_another_encoding_is_refused_for_its_encoding(day_two, run_day, query):
    """15 of coorace's 22 rows get a byte its encoding does not know: the failure says so,
    not "a fall of 68 %"."""
    path = day_two.data_dir / COORACE
    lines = path.read_bytes().split(b"\n")
    lines[1:16] = [b"\x81" + line for line in lines[1:16]]  # a byte cp1252 leaves undefined
    path.write_bytes(b"\n".join(lines))
    check_held(day_two, run_day, query, "15 of 22 rows unreadable (line 2: bytes that are not")


def test_partner_sends_empty_file(day_two, run_day, query):
    (day_two.data_dir / COORACE).write_bytes(b"")
    check_held(day_two, run_day, query, "empty file")


def test_the_summary_names_the_failed_step_and_its_reason_without_a_trace(day_two, run_day):
    (day_two.data_dir / COORACE).write_bytes(b"")
    results = run_day(day_two)
    assert failure_lines(results["build"]) == []
    [line] = failure_lines(results["ingest"])
    assert line.startswith("  raw__coorace: coorace: ")
    assert line.endswith(
        "line 1: empty file, a header row was expected. Its last good snapshot stays published."
    )
    assert "Traceback" not in line and "dagster." not in line


def test_partner_renames_a_column(day_two, run_day, query):
    path = day_two.data_dir / COORACE
    path.write_bytes(path.read_bytes().replace(b"LIBELLE VOIE", b"RUE", 1))
    check_held(day_two, run_day, query, "missing ['LIBELLE VOIE'], unexpected ['RUE']")


def test_badly_encoded_row_is_quarantined(day_two, run_day, query):
    """Line 3 of the ASP list (COTIERE AVENIR) gets Latin-1 bytes in a UTF-8 file."""
    path = day_two.data_dir / "iae" / "liste_siae_asp_2019-07.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace("é".encode(), b"\xe9")
    path.write_bytes(b"\n".join(lines))
    before = published(day_two)
    results = run_day(day_two)
    assert all(result.success for result in results.values())
    held = query(day_two, "SELECT source_line, reason FROM quarantine.asp_siae")
    assert held == [(3, "unreadable row: bytes that are not valid utf-8")]
    # the Marché de l'inclusion still lists COTIERE AVENIR: the supplier stays published
    assert published(day_two) == before


def test_stale_source_is_flagged(day_two, run_day, query):
    """coorace fails again, and its last good fetch is older than its freshness expectation."""
    import duckdb

    with duckdb.connect(str(day_two.warehouse)) as con:
        con.execute(
            "UPDATE raw.snapshots SET fetched_at = fetched_at - INTERVAL 400 DAY "
            "WHERE source = 'coorace'"
        )
    (day_two.data_dir / COORACE).write_bytes(b"")
    results = run_day(day_two)
    checks = {
        (
            e.asset_check_evaluation_data.asset_key.to_user_string(),
            e.asset_check_evaluation_data.check_name,
        ): e.asset_check_evaluation_data.passed
        for e in results["build"].all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks[("staging/coorace", "source_is_fresh")] is False
    assert checks[("staging/fei", "source_is_fresh")] is True
