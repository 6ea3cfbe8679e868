"""Fetch a source's file as bytes: from the bundled snapshot, or live when configured.

A source goes live when the environment variable its registry entry names in `fetch.url_env`
is set: a `json_api` source is then read page by page, any other kind is downloaded as one
file. Without that variable the bundled file (`fetch.path`, under the data folder) is used, so
the default run needs no network.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from ess_assets.sources.connectors.base import FetchError
from ess_assets.sources.connectors.http_file import download
from ess_assets.sources.connectors.json_api import fetch_pages
from ess_assets.sources.registry import Source

__all__ = ["FetchError", "Fetched", "fetch_source"]

ACCEPT = {"csv": "text/csv, */*;q=0.5", "json": "application/json", "xlsx": "*/*"}


@dataclass(frozen=True)
class Fetched:
    content: bytes
    name: str  # file name, for messages and the snapshot's extension
    origin: str  # where it came from: a path or a URL


def fetch_source(
    source: Source,
    *,
    data_dir: Path,
    env: Mapping[str, str],
    session: requests.Session | None = None,
) -> Fetched:
    """The source's file: live when its URL variable is set in `env`, else the bundled file.

    `session` is the HTTP session of a live fetch; by default one from `make_session` with
    the entry's rate limit and timeout (retries with backoff, User-Agent).
    """
    url = env.get(source.fetch.url_env or "") or ""
    if not url:
        return _bundled(source, data_dir)
    headers = {"Accept": ACCEPT[source.format.kind], **_token_header(source, env)}
    if session is None:
        from ess_assets.http import make_session

        session = make_session(per_second=source.fetch.per_second, timeout=source.fetch.timeout)
    if source.fetch.kind == "json_api":
        content = fetch_pages(source, url, session, headers)
        return Fetched(content, f"{source.name}.json", url)
    content = download(source, url, session, headers)
    return Fetched(content, _file_name(source, url), url)


def _token_header(source: Source, env: Mapping[str, str]) -> dict[str, str]:
    variable = source.fetch.token_env
    if not variable:
        return {}
    token = env.get(variable)
    if not token:
        raise FetchError(
            f"{source.name}: live URL set in {source.fetch.url_env} but no token in {variable}"
        )
    return {source.fetch.token_header: f"{source.fetch.token_prefix}{token}"}


def _file_name(source: Source, url: str) -> str:
    """The URL's last path segment when it names a file, else `<source>.<format>`."""
    last = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return last if "." in last else f"{source.name}.{source.format.kind}"


def _bundled(source: Source, data_dir: Path) -> Fetched:
    path = data_dir / (source.fetch.path or "")
    if not source.fetch.path or not path.is_file():
        raise FetchError(f"{source.name}: bundled file {path} not found")
    return Fetched(path.read_bytes(), path.name, str(path))
