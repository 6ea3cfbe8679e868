"""One way to build the HTTP sessions every outside-service client uses.

A session made here retries the transient answers (429 and 5xx, honouring `Retry-After`),
identifies the project in its User-Agent, applies a default timeout to every request (requests
itself has no session-wide timeout) and, when asked, spaces its calls to stay under a service's
rate limit (`requests-ratelimiter`, a maintained library built on `pyrate-limiter`).

Configuration (contact address, rates) arrives as arguments: settings.py reads the environment.
"""

from importlib import metadata

import requests
from requests.adapters import HTTPAdapter
from requests_ratelimiter import LimiterAdapter
from urllib3.util import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)
# POST is retried too: the only POST we send is the geocoder's batch search, which is idempotent.
RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST"})
DEFAULT_TIMEOUT = 30.0


def project_version() -> str:
    """The installed version of the project, or "dev" when it runs from a bare checkout."""
    try:
        return metadata.version("ess-assets")
    except metadata.PackageNotFoundError:
        return "dev"


def default_user_agent(contact: str | None = None) -> str:
    """`opendata-ess/<version>`, followed by `(+<contact>)` when a contact is configured."""
    agent = f"opendata-ess/{project_version()}"
    return f"{agent} (+{contact})" if contact else agent


class TimeoutSession(requests.Session):
    """A `requests.Session` that applies `timeout` to every request that does not set its own."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def make_retry(retries: int = 3, backoff: float = 0.5) -> Retry:
    """The retry policy: `retries` attempts on 429/5xx and connection errors, with backoff."""
    return Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=RETRY_METHODS,
        respect_retry_after_header=True,
    )


def make_session(
    user_agent: str | None = None,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = DEFAULT_TIMEOUT,
    per_second: float | None = None,
    contact: str | None = None,
) -> TimeoutSession:
    """A session with retries, a User-Agent, a default timeout and an optional rate limit.

    `per_second` caps the calls per second and per host (the Recherche d'entreprises API allows
    about 7); None means no client-side limit. `contact` (an e-mail or URL) is added to the
    default User-Agent so a service operator can reach us; `user_agent` replaces it entirely.
    """
    session = TimeoutSession(timeout=timeout)
    session.headers["User-Agent"] = user_agent or default_user_agent(contact)
    retry = make_retry(retries, backoff)
    if per_second:
        adapter: HTTPAdapter = LimiterAdapter(per_second=per_second, max_retries=retry)
    else:
        adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
