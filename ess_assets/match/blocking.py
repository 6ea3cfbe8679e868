"""Candidate pairs: only records that share a block are ever compared.

Three block keys keep the work near linear in the number of records: the folded name key
(where nearly every true pair lives), the address at one postcode (for a supplier listed under
two names at one address) and the trading name against the name. A block larger than
`MAX_BLOCK` is cut by department, then by postcode, so a common name ("REGIE DE QUARTIER")
never turns into a quadratic comparison.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

from ess_assets.match.features import Features

MAX_BLOCK = 40
MAX_ADDRESS_BLOCK = 12


def _pairs(members: list[int]) -> Iterator[tuple[int, int]]:
    yield from combinations(sorted(members), 2)


def _blocks(
    features: Iterable[Features], key: Callable[[Features], tuple | None]
) -> dict[tuple, list[int]]:
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for f in features:
        k = key(f)
        if k is not None:
            blocks[k].append(f.index)
    return blocks


def name_blocks(features: list[Features]) -> list[list[int]]:
    """Groups of records sharing a name key, cut by department then postcode when too large."""
    out: list[list[int]] = []
    for members in _blocks(features, lambda f: (f.name_key,) if f.name_key else None).values():
        if len(members) <= MAX_BLOCK:
            out.append(members)
            continue
        by_department = _blocks((features[i] for i in members), lambda f: (f.department,))
        for sub in by_department.values():
            if len(sub) <= MAX_BLOCK:
                out.append(sub)
            else:
                out.extend(_blocks((features[i] for i in sub), lambda f: (f.postcode,)).values())
    return [members for members in out if len(members) > 1]


def address_pairs(features: list[Features]) -> set[tuple[int, int]]:
    """Pairs at one numbered address of one postcode, whatever their names."""
    blocks = _blocks(
        features,
        lambda f: (
            (f.postcode, f.number, f.street) if f.number and f.street and f.postcode else None
        ),
    )
    return {p for m in blocks.values() if 1 < len(m) <= MAX_ADDRESS_BLOCK for p in _pairs(m)}


def trading_name_pairs(features: list[Features]) -> set[tuple[int, int]]:
    """Pairs where one record's trading name is the other's name (loose keys), in one
    department."""
    by_name = _blocks(features, lambda f: (f.loose_name, f.department) if f.loose_name else None)
    pairs: set[tuple[int, int]] = set()
    for f in features:
        if f.loose_enseigne and f.loose_enseigne != f.loose_name:
            for other in by_name.get((f.loose_enseigne, f.department), [])[:MAX_ADDRESS_BLOCK]:
                if other != f.index:
                    pairs.add((min(f.index, other), max(f.index, other)))
    return pairs


def candidate_pairs(features: list[Features]) -> tuple[list[list[int]], set[tuple[int, int]]]:
    """(name blocks, every candidate pair) with pairs as (smaller index, larger index)."""
    blocks = name_blocks(features)
    pairs = {p for members in blocks for p in _pairs(members)}
    pairs |= address_pairs(features) | trading_name_pairs(features)
    return blocks, pairs
