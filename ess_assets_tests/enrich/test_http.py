"""The shared HTTP session: identity, default timeout, retry policy, optional rate limit."""

from requests.adapters import HTTPAdapter
from requests_ratelimiter import LimiterAdapter

from ess_assets.http import make_session


def test_user_agent_names_the_project_and_contact():
    session = make_session(contact="donnees@example.org")
    assert session.headers["User-Agent"].startswith("opendata-ess/")
    assert session.headers["User-Agent"].endswith("(+donnees@example.org)")
    assert make_session(user_agent="custom/1").headers["User-Agent"] == "custom/1"


def test_every_request_gets_the_default_timeout(mocked):
    mocked.get("https://example.test/x", json={})
    make_session(timeout=7).get("https://example.test/x")
    assert mocked.calls[0].request.req_kwargs["timeout"] == 7


def test_retry_policy_covers_429_5xx_and_post():
    retry = make_session(retries=4, backoff=0.2).get_adapter("https://example.test").max_retries
    assert retry.total == 4
    assert retry.backoff_factor == 0.2
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert "POST" in retry.allowed_methods
    assert retry.respect_retry_after_header


def test_rate_limit_is_opt_in():
    assert type(make_session().get_adapter("https://example.test")) is HTTPAdapter
    limited = make_session(per_second=7)
    assert isinstance(limited.get_adapter("https://example.test"), LimiterAdapter)
    limited.close()
