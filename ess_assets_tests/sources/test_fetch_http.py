"""The plain HTTP download connector: the partner's file as received, or a clear FetchError."""

from pathlib import Path

import pytest
import requests
import responses

from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.fetch import FetchError, fetch_source
from ess_assets.sources.registry import source_named
from ess_assets_tests.sources.http_fixtures import fast_session

URL = "https://coorace.example/export/adherents.csv"
ENV = {"ESS_COORACE_URL": URL}
SAMPLE = (BUNDLED_DATA_DIR / "partners" / "coorace_adherents.csv").read_bytes()
COORACE = source_named("coorace")


def _fetch(session, source=COORACE, env=ENV):
    return fetch_source(source, data_dir=Path("/nonexistent"), env=env, session=session)


@responses.activate
def test_download_keeps_bytes_as_received():
    session = fast_session()
    responses.get(URL, body=SAMPLE, content_type="text/csv; charset=windows-1252")
    fetched = _fetch(session)
    assert fetched.content == SAMPLE  # Windows-1252 bytes, not re-encoded
    assert (fetched.name, fetched.origin) == ("adherents.csv", URL)
    assert responses.calls[0].request.headers["User-Agent"].startswith("opendata-ess/")


@responses.activate
def test_429_with_retry_after_then_success():
    session = fast_session()
    responses.get(URL, status=429, headers={"Retry-After": "1"})
    responses.get(URL, body=SAMPLE)
    assert _fetch(session).content == SAMPLE
    assert len(responses.calls) == 2


@responses.activate
def test_500_after_retries():
    session = fast_session()
    responses.get(URL, status=503)
    with pytest.raises(FetchError, match=r"^coorace: https://coorace\.example/.*retries"):
        _fetch(session)
    assert len(responses.calls) == 3


@responses.activate
def test_404_is_not_retried():
    session = fast_session()
    responses.get(URL, status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        _fetch(session)
    assert len(responses.calls) == 1


@responses.activate
def test_timeout():
    session = fast_session()
    responses.get(URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    with pytest.raises(FetchError, match=r"coorace: .* no answer within"):
        _fetch(session)


@responses.activate
def test_empty_body():
    session = fast_session()
    responses.get(URL, body=b"")
    with pytest.raises(FetchError, match=r"coorace: .* empty"):
        _fetch(session)


@responses.activate
def test_body_shorter_than_content_length():
    session = fast_session()
    responses.get(URL, body=SAMPLE[:500], headers={"Content-Length": str(len(SAMPLE))})
    with pytest.raises(FetchError, match=r"coorace: .*(truncated|cut off)"):
        _fetch(session)


@responses.activate
def test_malformed_json_file_names_the_url():
    session = fast_session()
    url = "https://preference-coop.example/annuaire.json"
    responses.get(url, body=b'{"cooperatives": [{"nom": "LES COOPAINS"')
    env = {"ESS_PREFERENCE_COOP_URL": url}
    with pytest.raises(FetchError, match=r"preference_coop: .*annuaire\.json: not valid JSON"):
        _fetch(session, source_named("preference_coop"), env)


@responses.activate
def test_truncated_workbook():
    session = fast_session()
    url = "https://urscop.example/cooperatives.xlsx"
    workbook = (BUNDLED_DATA_DIR / "partners" / "urscop_aura.xlsx").read_bytes()
    responses.get(url, body=workbook[: len(workbook) // 2])
    with pytest.raises(FetchError, match="not a complete Excel workbook"):
        _fetch(session, source_named("urscop"), {"ESS_URSCOP_URL": url})


def test_without_the_url_variable_the_bundled_sample_is_used():
    fetched = fetch_source(COORACE, data_dir=BUNDLED_DATA_DIR, env={})
    assert fetched.content == SAMPLE and fetched.name == "coorace_adherents.csv"


def test_missing_bundled_file():
    with pytest.raises(FetchError, match=r"coorace: bundled file .* not found"):
        fetch_source(COORACE, data_dir=Path("/nonexistent"), env={})
