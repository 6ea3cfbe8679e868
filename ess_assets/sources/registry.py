"""The partner registry: one declarative entry per source, read from `registry.yaml`.

An entry says who the source is (name, family, owner), how to fetch it, how to read it, and
how its fields map onto the common record schema. One Dagster asset per entry is generated
from it, so adding a partner is one entry here and one sample file in `ess_assets/data/`.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from ess_assets.normalise.schema import COLUMN_NAMES

REGISTRY_FILE = Path(__file__).with_name("registry.yaml")

FAMILIES = (
    "insertion",
    "disability",
    "cooperative",
    "purchasing_centre",
    "incubator",
    "public_agency",
    "national_list",
    "self_referencing",
)

# Common columns a mapping may not set: they are computed by normalisation.
COMPUTED = frozenset(
    {"source", "source_record_id", "source_line", "nom_normalise", "siret_valide", "siren"}
)


class RegistryError(ValueError):
    """The registry file holds an entry that cannot be used."""


@dataclass(frozen=True)
class Fetch:
    """How to get the file: a bundled file, an HTTP download or a paginated JSON API."""

    kind: Literal["file", "http", "json_api"] = "file"
    path: str | None = None  # bundled file, relative to ess_assets/data
    url_env: str | None = None  # environment variable holding the live URL
    token_env: str | None = None  # environment variable holding the API token
    token_header: str = "Authorization"
    token_prefix: str = "Token "
    page_param: str = "page"
    next_key: str | None = "next"  # dotted JSON key of the next page URL; None: page numbers
    params: dict[str, str] = field(default_factory=dict)  # query parameters of a live call
    max_pages: int = 50  # safety bound of a paginated API: more pages than this fails the fetch
    per_second: float | None = None  # client-side rate limit of live calls; None: no limit
    timeout: float = 30.0  # seconds, per HTTP call


@dataclass(frozen=True)
class Format:
    """How to read the file once fetched."""

    kind: Literal["csv", "json", "xlsx"] = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"
    sheet: str | None = None
    header_row: int = 1  # 1-based row of the header in a spreadsheet
    record_path: str | None = None  # dotted path to the list of records in a JSON document


@dataclass(frozen=True)
class Mapping:
    """How source fields become common columns.

    `columns` maps a common column to one source column, or to several that are joined with a
    space (a street number and a street name). `values` maps a common column to a table of
    source value -> common value (a partner's own codes for structure kinds). `constants` sets
    a common column to the same value for every record (the network the source stands for).
    """

    columns: dict[str, str | list[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    point: str | None = None  # a column holding WKT "POINT (lon lat)", optionally SRID-prefixed


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    family: str
    owner: str
    priority: int  # survivorship: the lower, the more trusted
    fetch: Fetch
    format: Format
    mapping: Mapping
    record_id: tuple[str, ...] = ()  # source columns forming its record id; empty: line number
    freshness_days: int = 7
    description: str = ""

    @property
    def expected_columns(self) -> frozenset[str]:
        """Source columns the mapping reads: the file must carry every one of them."""
        used: set[str] = set(self.record_id)
        for value in self.mapping.columns.values():
            used.update([value] if isinstance(value, str) else value)
        if self.mapping.point:
            used.add(self.mapping.point)
        return frozenset(used)


def _source(entry: dict) -> Source:
    name = entry.get("name", "?")
    try:
        mapping = Mapping(**entry.get("mapping", {}))
        source = Source(
            name=entry["name"],
            title=entry["title"],
            family=entry["family"],
            owner=entry["owner"],
            priority=int(entry["priority"]),
            fetch=Fetch(**entry.get("fetch", {})),
            format=Format(**entry.get("format", {})),
            mapping=mapping,
            record_id=tuple(entry.get("record_id", ())),
            freshness_days=int(entry.get("freshness_days", 7)),
            description=entry.get("description", ""),
        )
    except (KeyError, TypeError) as error:
        raise RegistryError(f"{REGISTRY_FILE.name}: source {name!r}: {error}") from error
    if source.family not in FAMILIES:
        raise RegistryError(f"source {name!r}: family {source.family!r} not in {FAMILIES}")
    targets = {*mapping.columns, *mapping.values, *mapping.constants}
    unknown = targets - set(COLUMN_NAMES)
    if unknown or targets & COMPUTED:
        bad = sorted(unknown | (targets & COMPUTED))
        raise RegistryError(f"source {name!r}: mapping targets {bad} are not settable columns")
    if source.fetch.kind == "file" and not source.fetch.path:
        raise RegistryError(f"source {name!r}: a file source needs fetch.path")
    if source.fetch.kind != "file" and not source.fetch.url_env:
        raise RegistryError(f"source {name!r}: a {source.fetch.kind} source needs fetch.url_env")
    return source


def load_registry(path: Path = REGISTRY_FILE) -> tuple[Source, ...]:
    """Every source of the registry file, validated."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = tuple(_source(entry) for entry in document["sources"])
    names = [source.name for source in sources]
    duplicated = {name for name in names if names.count(name) > 1}
    if duplicated:
        raise RegistryError(f"{path.name}: source names used twice: {sorted(duplicated)}")
    return sources


@cache
def registry() -> tuple[Source, ...]:
    """The project's registry, read once."""
    return load_registry()


def source_named(name: str) -> Source:
    for source in registry():
        if source.name == name:
            return source
    raise KeyError(f"no source named {name!r} in {REGISTRY_FILE.name}")
