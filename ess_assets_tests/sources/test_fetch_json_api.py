"""The paginated JSON API connector against recorded answers (Marché de l'inclusion, emplois)."""

import dataclasses
import json
import time
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from ess_assets.http import make_session
from ess_assets.sources.fetch import FetchError, fetch_source
from ess_assets.sources.registry import source_named
from ess_assets_tests.sources.http_fixtures import fast_session, recorded_page

DATA = Path("/nonexistent")  # a live fetch must never fall back to bundled files
MARCHE = "https://lemarche.inclusion.beta.gouv.fr/api/siae/"
EMPLOIS = "https://emplois.inclusion.beta.gouv.fr/api/v1/siaes/"
MARCHE_ENV = {"ESS_MARCHE_INCLUSION_API_URL": MARCHE, "ESS_MARCHE_INCLUSION_API_TOKEN": "t0k"}
EMPLOIS_ENV = {"ESS_EMPLOIS_INCLUSION_URL": EMPLOIS}


def _add_pages(service: str, base: str) -> None:
    for number in (1, 2, 3):
        query = {"departement" if service == "emplois" else "department": "69"}
        if number > 1:
            query["page"] = str(number)
        responses.get(
            base,
            json=recorded_page(service, number),
            match=[matchers.query_param_matcher(query)],
        )


def _records(content: bytes) -> list[dict]:
    return json.loads(content)["results"]


@responses.activate
def test_three_pages_are_combined_with_token_and_user_agent():
    session = fast_session()
    _add_pages("lemarche", MARCHE)
    fetched = fetch_source(
        source_named("marche_inclusion_api"), data_dir=DATA, env=MARCHE_ENV, session=session
    )
    assert len(_records(fetched.content)) == 7
    assert fetched.origin == MARCHE and fetched.name == "marche_inclusion_api.json"
    first = responses.calls[0].request
    assert first.headers["Authorization"] == "Bearer t0k"
    assert first.headers["User-Agent"].startswith("opendata-ess/")
    assert len(responses.calls) == 3


@responses.activate
def test_public_list_needs_no_token():
    session = fast_session()
    _add_pages("emplois", EMPLOIS)
    fetched = fetch_source(
        source_named("emplois_inclusion"), data_dir=DATA, env=EMPLOIS_ENV, session=session
    )
    assert [r["siret"] for r in _records(fetched.content)][:1] == [
        recorded_page("emplois", 1)["results"][0]["siret"]
    ]
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_429_with_retry_after_is_retried():
    session = fast_session()
    responses.get(MARCHE, status=429, headers={"Retry-After": "1"})
    responses.get(MARCHE, json={"next": None, "results": [{"name": "A"}]})
    fetched = fetch_source(
        source_named("marche_inclusion_api"), data_dir=DATA, env=MARCHE_ENV, session=session
    )
    assert _records(fetched.content) == [{"name": "A"}]
    assert [call.response.status_code for call in responses.calls] == [429, 200]


@responses.activate
def test_500_after_retries_fails_naming_source_and_url():
    session = fast_session()
    responses.get(MARCHE, status=500)
    with pytest.raises(FetchError, match=r"marche_inclusion_api: .*lemarche.*retries"):
        fetch_source(
            source_named("marche_inclusion_api"), data_dir=DATA, env=MARCHE_ENV, session=session
        )
    assert len(responses.calls) == 3  # the first call and two retries


@responses.activate
def test_timeout_fails():
    session = fast_session()
    responses.get(MARCHE, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(FetchError, match=r"marche_inclusion_api: .*no answer within 30 s"):
        fetch_source(
            source_named("marche_inclusion_api"), data_dir=DATA, env=MARCHE_ENV, session=session
        )


@responses.activate
def test_malformed_page_fails_naming_the_url():
    session = fast_session()
    page2 = f"{MARCHE}?department=69&page=2"
    responses.get(MARCHE, json={"next": page2, "results": [{"name": "A"}]})
    responses.get(page2, body='{"next": null, "results": [{"name": "B"')
    with pytest.raises(FetchError, match=r"page=2: not valid JSON"):
        fetch_source(
            source_named("marche_inclusion_api"), data_dir=DATA, env=MARCHE_ENV, session=session
        )


@responses.activate
def test_empty_answer_fails():
    session = fast_session()
    responses.get(EMPLOIS, body=b"")
    with pytest.raises(FetchError, match="answer is empty"):
        fetch_source(
            source_named("emplois_inclusion"), data_dir=DATA, env=EMPLOIS_ENV, session=session
        )


@responses.activate
def test_missing_token_fails_before_any_call():
    session = fast_session()
    with pytest.raises(FetchError, match="ESS_MARCHE_INCLUSION_API_TOKEN"):
        fetch_source(
            source_named("marche_inclusion_api"),
            data_dir=DATA,
            env={"ESS_MARCHE_INCLUSION_API_URL": MARCHE},
            session=session,
        )
    assert not responses.calls


@responses.activate
def test_max_pages_bounds_an_endless_api():
    session = fast_session()
    source = source_named("emplois_inclusion")
    source = dataclasses.replace(source, fetch=dataclasses.replace(source.fetch, max_pages=2))
    responses.get(EMPLOIS, json={"next": EMPLOIS + "?page=2", "results": [{"siret": "1"}]})
    with pytest.raises(FetchError, match="more than 2 pages"):
        fetch_source(source, data_dir=DATA, env=EMPLOIS_ENV, session=session)


@responses.activate
def test_page_numbers_until_a_short_page():
    session = fast_session()
    url = "https://api.ronalpia.example/entrepreneurs"
    for page, count in ((1, 2), (2, 2), (3, 1)):
        responses.get(
            url,
            json={"data": [{"project": f"p{page}-{i}"} for i in range(count)]},
            match=[matchers.query_param_matcher({"page": str(page)})],
        )
    env = {"ESS_RONALPIA_URL": url, "ESS_RONALPIA_TOKEN": "x"}
    fetched = fetch_source(source_named("ronalpia"), data_dir=DATA, env=env, session=session)
    assert len(json.loads(fetched.content)["data"]) == 5


@responses.activate
def test_page_numbers_stop_at_404():
    session = fast_session()
    url = "https://api.ronalpia.example/entrepreneurs"
    responses.get(
        url, json={"data": [{"project": "a"}]}, match=[matchers.query_param_matcher({"page": "1"})]
    )
    responses.get(url, status=404, match=[matchers.query_param_matcher({"page": "2"})])
    env = {"ESS_RONALPIA_URL": url, "ESS_RONALPIA_TOKEN": "x"}
    fetched = fetch_source(source_named("ronalpia"), data_dir=DATA, env=env, session=session)
    assert json.loads(fetched.content) == {"data": [{"project": "a"}]}


@responses.activate
def test_rate_limit_spaces_the_calls():
    _add_pages("emplois", EMPLOIS)
    limited = make_session(retries=0, per_second=2)  # 2 calls a second: the third waits
    started = time.monotonic()
    fetch_source(source_named("emplois_inclusion"), data_dir=DATA, env=EMPLOIS_ENV, session=limited)
    assert time.monotonic() - started >= 0.8


def test_without_the_url_variable_the_recorded_answer_is_used():
    from ess_assets.settings import BUNDLED_DATA_DIR

    fetched = fetch_source(source_named("marche_inclusion_api"), data_dir=BUNDLED_DATA_DIR, env={})
    assert len(_records(fetched.content)) == 30
