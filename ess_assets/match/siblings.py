"""Group evidence on records sharing a name: one establishment or several siblings?

Pair by pair, two same-name records at one address look alike whether they are one
establishment listed under two insertion schemes or two sibling establishments. The group of
same-name records tells them apart:

- sites: when a source lists the name at two different addresses in one commune, that source
  says there are two sites, so an address disagreement there is a sign of siblings; when no
  source does, the disagreement is more likely a moved or rewritten address.
- splits: within one site, a distinction (structure kind, postcode) that every one of its
  values is backed by at least two sources is taken as real, and records on either side are
  never merged. A single source listing two kinds at one address (one row per scheme, as the
  ASP list does) is not enough.
"""

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations

from ess_assets.match.features import Features
from ess_assets.match.score import Comparison

# Distinctions checked within a site: the postcode (a CEDEX code marks another office), and
# whether the name carries a legal form or a structure kind ("APPTE" vs "ASSOC APPTE",
# "VILLETTE EMPLOI" vs "VILLETTE EMPLOI ETTI"), a missing one being a value of its own.
SPLIT_ATTRIBUTES: dict[str, Callable[[Features], str | None]] = {
    "postcode": lambda f: f.postcode or None,
    "legal-form-in-name": lambda f: f.name_legal_family or "-",
    "kind-in-name": lambda f: f.name_kind or "-",
}


class _Components:
    """Union-find over record indices."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        self.parent.setdefault(i, i)
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _groups(members: list[int], components: _Components) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in members:
        groups[components.find(i)].append(i)
    return groups


def _split_pairs(site: list[int], features: list[Features]) -> dict[tuple[int, int], str]:
    """Pairs of one site separated by a distinction that two sources agree on."""
    out: dict[tuple[int, int], str] = {}
    for attribute, value_of in SPLIT_ATTRIBUTES.items():
        sources: dict[str, set[str]] = defaultdict(set)
        for i in site:
            value = value_of(features[i])
            if value:
                sources[value].add(features[i].source)
        if len(sources) < 2 or any(len(s) < 2 for s in sources.values()):
            continue
        for i in site:
            for j in site:
                vi, vj = value_of(features[i]), value_of(features[j])
                if i < j and vi and vj and vi != vj:
                    out.setdefault((i, j), f"sibling:{attribute}")
    return out


def group_evidence(
    blocks: list[list[int]],
    features: list[Features],
    comparisons: dict[tuple[int, int], Comparison],
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """(sites evidence 'one'/'several' per pair, sibling splits per pair) for name blocks."""
    sites_evidence: dict[tuple[int, int], str] = {}
    splits: dict[tuple[int, int], str] = {}
    for members in blocks:
        pairs = [pair for pair in combinations(sorted(members), 2) if pair in comparisons]
        places = _Components()
        for i, j in pairs:
            if comparisons[i, j].place == "same":
                places.union(i, j)
        for place in _groups(members, places).values():
            if len(place) < 2:
                continue
            in_place = set(place)
            addresses = _Components()
            for i, j in pairs:
                if i in in_place and j in in_place and comparisons[i, j].address == "same":
                    addresses.union(i, j)
            sites_by_source: dict[str, set[int]] = defaultdict(set)
            for i in place:
                if features[i].street:
                    sites_by_source[features[i].source].add(addresses.find(i))
            several = any(len(s) > 1 for s in sites_by_source.values())
            for i, j in pairs:
                if i in in_place and j in in_place and comparisons[i, j].address != "same":
                    sites_evidence[i, j] = "several" if several else "one"
            for site in _groups(place, addresses).values():
                if len(site) > 1:
                    splits.update(_split_pairs(site, features))
    return sites_evidence, splits
