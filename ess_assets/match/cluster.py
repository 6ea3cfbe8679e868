"""Clusters from scored links, under cannot-link constraints.

Links are applied strongest first; a link is refused when it would put two records that must
stay apart into one cluster (two different valid SIRETs, a sibling split, a confirmed
'different' decision). Refusing at merge time, rather than checking pairs only, keeps
transitivity from reuniting what a constraint separated: A~B and B~C never merge A and C if
A and C cannot be one establishment.
"""

from dataclasses import dataclass, field


@dataclass
class _Cluster:
    members: set[int]
    sirets: set[str]
    forbidden: set[int] = field(default_factory=set)


class ConstrainedClusters:
    """Union-find whose merges respect SIRET conflicts and explicit cannot-links."""

    def __init__(self, sirets: list[str | None], *, use_siret: bool) -> None:
        self.parent = list(range(len(sirets)))
        self.clusters = {
            i: _Cluster({i}, {s} if s and use_siret else set()) for i, s in enumerate(sirets)
        }
        self.joined_by: dict[int, tuple[str, float | None]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def forbid(self, i: int, j: int) -> None:
        """Records i and j must never end in one cluster."""
        self.clusters[self.find(i)].forbidden.add(j)
        self.clusters[self.find(j)].forbidden.add(i)

    def can_merge(self, i: int, j: int) -> bool:
        """False when merging the clusters of i and j would break a constraint."""
        a, b = self.clusters[self.find(i)], self.clusters[self.find(j)]
        if a is b:
            return True
        if a.sirets and b.sirets and a.sirets != b.sirets:
            return False
        return not (a.forbidden & b.members or b.forbidden & a.members)

    def merge(self, i: int, j: int, rule: str, score: float | None) -> bool:
        """Merge the clusters of i and j if allowed; True when they end up together."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if not self.can_merge(i, j):
            return False
        for k in (i, j):
            self.joined_by.setdefault(k, (rule, score))
        big, small = (
            (ri, rj)
            if len(self.clusters[ri].members) >= len(self.clusters[rj].members)
            else (rj, ri)
        )
        kept, gone = self.clusters[big], self.clusters.pop(small)
        kept.members |= gone.members
        kept.sirets |= gone.sirets
        kept.forbidden |= gone.forbidden
        self.parent[small] = big
        return True

    def labels(self) -> list[int]:
        """The root of every record's cluster, in record order."""
        return [self.find(i) for i in range(len(self.parent))]
