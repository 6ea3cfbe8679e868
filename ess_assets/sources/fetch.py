"""Fetch a source's file as bytes: from the bundled snapshot, or live when configured."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ess_assets.sources.registry import Source


class FetchError(RuntimeError):
    """The source could not be fetched (missing file, HTTP error, timeout...)."""


@dataclass(frozen=True)
class Fetched:
    content: bytes
    name: str  # file name, for messages and the snapshot's extension
    origin: str  # where it came from: a path or a URL


def fetch_source(source: Source, *, data_dir: Path, env: Mapping[str, str]) -> Fetched:
    """The source's file: live when its URL variable is set in `env`, else the bundled file."""
    if source.fetch.kind == "file" or not env.get(source.fetch.url_env or ""):
        return _bundled(source, data_dir)
    raise FetchError(f"{source.name}: fetch kind {source.fetch.kind!r} is not supported yet")


def _bundled(source: Source, data_dir: Path) -> Fetched:
    path = data_dir / (source.fetch.path or "")
    if not path.is_file():
        raise FetchError(f"{source.name}: bundled file {path} not found")
    return Fetched(path.read_bytes(), path.name, str(path))
