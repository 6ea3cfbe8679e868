"""Plain HTTP download of a partner's file, kept as received."""

import requests

from ess_assets.sources.connectors.base import check_complete, check_format, get
from ess_assets.sources.registry import Source


def download(source: Source, url: str, session: requests.Session, headers: dict[str, str]) -> bytes:
    """The bytes at `url`, unchanged, once checked complete (not empty, not cut short)."""
    response = get(
        session,
        source.name,
        url,
        params=source.fetch.params,
        headers=headers,
        timeout=source.fetch.timeout,
    )
    content = check_complete(response, source.name)
    check_format(content, source.format.kind, source.name, response.url)
    return content
