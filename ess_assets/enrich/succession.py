"""Successions of establishments: from a SIRET that closed to the SIRET that carries on.

INSEE publishes the links as StockEtablissementLiensSuccession: one row per link
`siretEtablissementPredecesseur -> siretEtablissementSuccesseur`, dated `dateLienSuccession`.
A closed supplier is usually a moved one; following the chain to its end gives the SIRET to
look up instead. Chains can branch (one predecessor, several successors: the latest link wins)
and, in real files, loop (A -> B -> A): a loop stops the walk at the last SIRET not yet seen.
"""

import polars as pl

PREDECESSEUR = "siretEtablissementPredecesseur"
SUCCESSEUR = "siretEtablissementSuccesseur"
DATE = "dateLienSuccession"


def latest_links(links: pl.DataFrame) -> dict[str, str]:
    """predecessor SIRET -> successor SIRET, keeping the latest link of each predecessor."""
    ordered = links.select(PREDECESSEUR, SUCCESSEUR, pl.col(DATE).cast(pl.String)).filter(
        pl.col(PREDECESSEUR).is_not_null()
        & pl.col(SUCCESSEUR).is_not_null()
        & (pl.col(PREDECESSEUR) != pl.col(SUCCESSEUR))
    )
    ordered = ordered.sort(DATE, nulls_last=False)
    return dict(zip(ordered[PREDECESSEUR], ordered[SUCCESSEUR], strict=True))


def final_successor(siret: str, successors: dict[str, str]) -> tuple[str, int, bool]:
    """(last SIRET of the chain, number of links followed, whether a loop was met)."""
    seen = {siret}
    current, hops = siret, 0
    while current in successors:
        following = successors[current]
        if following in seen:
            return current, hops, True
        seen.add(following)
        current, hops = following, hops + 1
    return current, hops, False


def follow_successions(sirets: pl.Series | list[str], links: pl.DataFrame) -> pl.DataFrame:
    """For each SIRET: `siret_successeur_final` (itself when it has no successor), `successions`
    (links followed) and `succession_boucle` (True when the chain looped)."""
    successors = latest_links(links)
    rows = [(s, *final_successor(s, successors)) for s in pl.Series(sirets).drop_nulls().unique()]
    return pl.DataFrame(
        rows,
        schema={
            "siret": pl.String,
            "siret_successeur_final": pl.String,
            "successions": pl.Int64,
            "succession_boucle": pl.Boolean,
        },
        orient="row",
    )
