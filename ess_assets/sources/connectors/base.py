"""What every live connector shares: one GET with errors turned into FetchError, body checks.

Retries with backoff (429 and 5xx, honouring Retry-After), the User-Agent, the default timeout
and the rate limit belong to the session (`ess_assets.http.make_session`); this module turns
whatever still goes wrong into a FetchError that names the source and the URL.
"""

import json
import zipfile
from io import BytesIO

import requests

# a body shorter than announced, or a broken chunked transfer
CUT_OFF = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)


class FetchError(RuntimeError):
    """The source could not be fetched (missing file, HTTP error, timeout, truncated body...)."""


def get(
    session: requests.Session,
    source: str,
    url: str,
    *,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float,
    missing_ok: bool = False,
) -> requests.Response | None:
    """GET `url`; any transport failure or HTTP error becomes a FetchError naming source and URL.

    With `missing_ok`, a 404 answer returns None (a page-number API past its last page).
    """
    try:
        response = session.get(url, params=params or None, headers=headers, timeout=timeout)
    except requests.exceptions.RetryError as error:
        raise FetchError(f"{source}: {url}: still failing after retries ({error})") from error
    except requests.exceptions.Timeout as error:
        raise FetchError(f"{source}: {url}: no answer within {timeout:g} s") from error
    except CUT_OFF as error:
        raise FetchError(f"{source}: {url}: the body was cut off in transfer ({error})") from error
    except requests.exceptions.RequestException as error:
        raise FetchError(f"{source}: {url}: request failed: {error}") from error
    if missing_ok and response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise FetchError(
            f"{source}: {response.url}: HTTP {response.status_code} {response.reason}"
            f" (after retries when the status was transient)"
        )
    return response


def check_complete(response: requests.Response, source: str) -> bytes:
    """The body, after checking it is neither empty nor shorter than its Content-Length."""
    content = response.content
    if not content.strip():
        raise FetchError(f"{source}: {response.url}: the answer is empty")
    declared = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    if declared and declared.isdigit() and not encoded and len(content) < int(declared):
        raise FetchError(
            f"{source}: {response.url}: truncated: {len(content)} bytes received,"
            f" Content-Length announced {declared}"
        )
    return content


def parse_json(content: bytes, source: str, url: str) -> object:
    """The JSON document in `content`, or a FetchError saying where it breaks."""
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FetchError(
            f"{source}: {url}: not valid JSON (malformed or truncated): {error}"
        ) from error


def check_format(content: bytes, kind: str, source: str, url: str) -> None:
    """Catch a truncated JSON document or spreadsheet before it is stored as a snapshot."""
    if kind == "json":
        parse_json(content, source, url)
    elif kind == "xlsx" and not zipfile.is_zipfile(BytesIO(content)):
        raise FetchError(f"{source}: {url}: not a complete Excel workbook (truncated?)")
