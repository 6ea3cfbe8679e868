"""Clusters from scored links, under cannot-link constraints.

Links are applied strongest first; a link is refused when it would put two records that must
stay apart into one cluster (two different valid SIRETs, a sibling split, a confirmed
'different' decision). Refusing at merge time, rather than checking pairs only, keeps
transitivity from reuniting what a constraint separated: A~B and B~C never merge A and C if
A and C cannot be one establishment.
"""

from dataclasses import dataclass, field


@dataclass(slots=True)
class _Cluster:
    members: set[int]
    sirets: set[str]
    forbidden: set[int] = field(default_factory=set)


class ConstrainedClusters:
    """Union-find whose merges respect SIRET conflicts and explicit cannot-links."""

    def __init__(self, sirets: list[str | None], *, use_siret: bool) -> None:
        self.parent = list(range(len(sirets)))
        self.sirets = sirets if use_siret else [None] * len(sirets)
        # Only clusters that were merged or given a constraint are held here: most records
        # stay alone, and a cluster of one is known from its record's SIRET.
        self.clusters: dict[int, _Cluster] = {}
        self.joined_by: dict[int, tuple[str, float | None]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _cluster(self, root: int) -> _Cluster:
        """The cluster whose root is `root`, made on first use."""
        cluster = self.clusters.get(root)
        if cluster is None:
            siret = self.sirets[root]
            cluster = self.clusters[root] = _Cluster({root}, {siret} if siret else set())
        return cluster

    def forbid(self, i: int, j: int) -> None:
        """Records i and j must never end in one cluster."""
        self._cluster(self.find(i)).forbidden.add(j)
        self._cluster(self.find(j)).forbidden.add(i)

    def can_merge(self, i: int, j: int) -> bool:
        """False when merging the clusters of i and j would break a constraint."""
        ri, rj = self.find(i), self.find(j)
        return ri == rj or self._roots_can_merge(ri, rj)

    def _roots_can_merge(self, ri: int, rj: int) -> bool:
        a, b = self.clusters.get(ri), self.clusters.get(rj)
        if a is None and b is None:
            si, sj = self.sirets[ri], self.sirets[rj]
            return not (si and sj and si != sj)
        if a is None or b is None:
            # One side is a record still alone: its SIRET and itself are all there is to check.
            cluster, alone = (b, ri) if a is None else (a, rj)
            siret = self.sirets[alone]
            if siret and cluster.sirets and cluster.sirets != {siret}:
                return False
            return alone not in cluster.forbidden
        if a.sirets and b.sirets and a.sirets != b.sirets:
            return False
        return not (a.forbidden & b.members or b.forbidden & a.members)

    def _size(self, root: int) -> int:
        cluster = self.clusters.get(root)
        return 1 if cluster is None else len(cluster.members)

    def merge(self, i: int, j: int, rule: str, score: float | None) -> bool:
        """Merge the clusters of i and j if allowed; True when they end up together."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if not self._roots_can_merge(ri, rj):
            return False
        for k in (i, j):
            self.joined_by.setdefault(k, (rule, score))
        big, small = (ri, rj) if self._size(ri) >= self._size(rj) else (rj, ri)
        kept, gone = self._cluster(big), self.clusters.pop(small, None)
        if gone is None:
            kept.members.add(small)
            if self.sirets[small]:
                kept.sirets.add(self.sirets[small])
        else:
            kept.members |= gone.members
            kept.sirets |= gone.sirets
            kept.forbidden |= gone.forbidden
        self.parent[small] = big
        return True

    def labels(self) -> list[int]:
        """The root of every record's cluster, in record order."""
        return [self.find(i) for i in range(len(self.parent))]
