"""A paginated JSON API, its pages combined into one JSON document.

Pages are followed through a next-page URL in the answer (`fetch.next_key`, Django REST
framework style) or, when `next_key` is null, through page numbers (`fetch.page_param`) until
a page comes back empty, shorter than the first, or 404. The records of every page are put
under the same `format.record_path` in one document, so the reader reads a live answer and the
bundled sample alike: `{"results": [...]}` for the usual `results` path.
"""

import json
from urllib.parse import urljoin

import requests

from ess_assets.sources.connectors.base import FetchError, check_complete, get, parse_json
from ess_assets.sources.registry import Source


def fetch_pages(
    source: Source, url: str, session: requests.Session, headers: dict[str, str]
) -> bytes:
    """Every record of the API at `url`, as one JSON document (UTF-8 bytes)."""
    fetch, record_path = source.fetch, source.format.record_path or "results"
    by_number = fetch.next_key is None
    records: list[object] = []
    page_url, params, first_size = url, dict(fetch.params), 0
    for page in range(1, fetch.max_pages + 1):
        if by_number:
            params[fetch.page_param] = str(page)
        response = get(
            session,
            source.name,
            page_url,
            params=params,
            headers=headers,
            timeout=fetch.timeout,
            missing_ok=by_number and page > 1,
        )
        if response is None:
            return _combined(records, record_path)
        document = parse_json(check_complete(response, source.name), source.name, response.url)
        page_records = _dig(document, record_path)
        if not isinstance(page_records, list):
            where = f"{source.name}: {response.url}"
            raise FetchError(f"{where}: no list of records at {record_path!r} in the answer")
        records.extend(page_records)
        if by_number:
            first_size = first_size or len(page_records)
            if not page_records or len(page_records) < first_size:
                return _combined(records, record_path)
        else:
            next_url = _dig(document, fetch.next_key or "")
            if not next_url:
                return _combined(records, record_path)
            # the next URL carries its own query string
            page_url, params = urljoin(response.url, str(next_url)), {}
    raise FetchError(
        f"{source.name}: {url}: more than {fetch.max_pages} pages; raise fetch.max_pages in"
        " the registry if the source really is that large"
    )


def _dig(document: object, dotted: str) -> object:
    for key in dotted.split("."):
        document = document.get(key) if isinstance(document, dict) else None
    return document


def _combined(records: list[object], record_path: str) -> bytes:
    document: object = records
    for key in reversed(record_path.split(".")):
        document = {key: document}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
