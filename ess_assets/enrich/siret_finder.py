"""SIRET finding: candidate SIRETs for a supplier without one, by name within its commune.

The reference has the SIRENE shape: `siret`, `denomination` (legal name), optionally
`enseigne`, and `code_commune`. Names are compared on their matching key (legal form, kind
and articles removed, see ess_assets.match.keys.name_parts) with RapidFuzz's token-sort ratio,
against the legal name and the trading name, within the same commune (Lyon, Paris and
Marseille districts count as their commune). The token-set ratio was tried and dropped: a
short key inside a longer one scores 1 ("GEIQ 41" vs "ENVIRONNEMENT 41").

A candidate is accepted automatically only when its score reaches ACCEPT_SCORE and it leads
the next candidate of the same supplier by ACCEPT_MARGIN. Measured on the public lists
(Marché de l'inclusion structures with their SIRET hidden, looked up in a reference built
from the ASP list of the same regions, whose SIRETs are the truth; ess_assets_tests/enrich/
test_siret_finder.py keeps the first figure): Auvergne-Rhône-Alpes 417 of 417 accepted right
(precision 1.000, recall 0.99); the other regions' lists (benchmarks/data), not used to tune,
1 639 of 1 643 (precision 0.998, recall 0.96). Both lists often share their spelling: against
real SIRENE legal names, precision is expected lower, hence the margin and the review table.
Candidates not accepted go to review (match.siret_candidates). A reviewer answers by setting
`decision` to 'accepted' or 'rejected' in that table; the next run keeps the answer
(honour_reviews): an answer differs from `decision_auto`, what the machine decided, so a
reviewer's 'accepted' is told apart from an automatic one. An answered candidate stays in the
table while its supplier has no SIRET, even if the name search no longer finds it; a reviewer's
'accepted' on one candidate of a supplier sets its other automatic acceptance back to 'review'.
"""

import polars as pl
from rapidfuzz import fuzz

from ess_assets.enrich.geocode import parent_commune
from ess_assets.match.keys import name_parts

ACCEPT_SCORE = 0.9
ACCEPT_MARGIN = 0.10
MIN_SCORE = 0.6  # below this a candidate is not worth a reviewer's time
MAX_CANDIDATES = 3
CANDIDATE_SCHEMA = {
    "supplier_id": pl.String,
    "nom": pl.String,
    "code_commune": pl.String,
    "siret_candidat": pl.String,
    "denomination_candidat": pl.String,
    "score": pl.Float64,
    "rang": pl.Int64,
    "decision": pl.String,
    "decision_auto": pl.String,
}
ANSWERS = ("accepted", "rejected")


def name_score(left: str | None, right: str | None) -> float:
    """Similarity of two names (0..1) on their matching keys; 0 when one is empty."""
    if not left or not right:
        return 0.0
    return fuzz.token_sort_ratio(name_parts(left)[0], name_parts(right)[0]) / 100


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(parent_commune(pl.col("code_commune")).alias("_commune"))


def find_candidates(suppliers: pl.DataFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Candidates (CANDIDATE_SCHEMA) of `suppliers` (supplier_id, nom, code_commune, optional
    enseigne), best first, at most MAX_CANDIDATES each, with their decision:
    'accepted' (ACCEPT_SCORE and ACCEPT_MARGIN reached, rank 1 only) or 'review'."""
    reference = reference.filter(
        pl.col("siret").is_not_null() & pl.col("code_commune").is_not_null()
    )
    if "enseigne" not in reference.columns:
        reference = reference.with_columns(pl.lit(None, pl.String).alias("enseigne"))
    if "enseigne" not in suppliers.columns:
        suppliers = suppliers.with_columns(pl.lit(None, pl.String).alias("enseigne"))
    named = reference.filter(
        pl.col("denomination").is_not_null() | pl.col("enseigne").is_not_null()
    )
    pairs = _keyed(suppliers.select("supplier_id", "nom", "enseigne", "code_commune")).join(
        _keyed(named.select("siret", "denomination", "enseigne", "code_commune")),
        on="_commune",
        suffix="_ref",
    )
    if pairs.is_empty():
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    scores = [
        max(name_score(a, b) for a in (nom, enseigne) for b in (denomination, enseigne_ref))
        for nom, enseigne, denomination, enseigne_ref in pairs.select(
            "nom", "enseigne", "denomination", "enseigne_ref"
        ).iter_rows()
    ]
    scored = (
        pairs.with_columns(pl.Series("score", scores, pl.Float64))
        .filter(pl.col("score") >= MIN_SCORE)
        .sort(["supplier_id", "score", "siret"], descending=[False, True, False])
        .unique(["supplier_id", "siret"], keep="first", maintain_order=True)
        .with_columns(pl.int_range(1, pl.len() + 1).over("supplier_id").alias("rang"))
        .filter(pl.col("rang") <= MAX_CANDIDATES)
    )
    runner_up = pl.col("score").shift(-1).over("supplier_id").fill_null(0.0)
    accepted = (
        (pl.col("rang") == 1)
        & (pl.col("score") >= ACCEPT_SCORE)
        & (pl.col("score") - runner_up >= ACCEPT_MARGIN)
    )
    return scored.select(
        "supplier_id",
        "nom",
        "code_commune",
        pl.col("siret").alias("siret_candidat"),
        pl.col("denomination").alias("denomination_candidat"),
        "score",
        pl.col("rang").cast(pl.Int64),
        pl.when(accepted).then(pl.lit("accepted")).otherwise(pl.lit("review")).alias("decision"),
    ).with_columns(pl.col("decision").alias("decision_auto"))


def reviewers_answers(previous: pl.DataFrame | None) -> pl.DataFrame:
    """The rows of the previous match.siret_candidates a person answered: `decision` 'accepted'
    or 'rejected' and not what the machine decided (a table written before `decision_auto`
    existed only tells a person's 'rejected' apart, the machine never writes it)."""
    if previous is None or previous.is_empty():
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    if "decision_auto" not in previous.columns:
        previous = previous.with_columns(pl.lit("accepted", pl.String).alias("decision_auto"))
    answered = pl.col("decision").is_in(ANSWERS) & (
        pl.col("decision") != pl.col("decision_auto").fill_null("")
    )
    return previous.filter(answered).select(list(CANDIDATE_SCHEMA)).cast(CANDIDATE_SCHEMA)  # type: ignore[arg-type]


def honour_reviews(
    candidates: pl.DataFrame, previous: pl.DataFrame | None, without_siret: pl.Series
) -> pl.DataFrame:
    """`candidates` (find_candidates) with the reviewers' answers of `previous` kept: their
    `decision` replaces the machine's, answered rows no longer found are kept while their
    supplier is in `without_siret`, and a supplier a reviewer accepted a candidate for has no
    other acceptance."""
    answers = reviewers_answers(previous).filter(pl.col("supplier_id").is_in(without_siret))
    if answers.is_empty():
        return candidates
    keys = ["supplier_id", "siret_candidat"]
    lost = answers.join(candidates, on=keys, how="anti")
    merged = pl.concat([candidates.cast(CANDIDATE_SCHEMA), lost]).join(  # type: ignore[arg-type]
        answers.select(*keys, pl.col("decision").alias("_answer")), on=keys, how="left"
    )
    reviewer_accepted = (pl.col("_answer") == "accepted").fill_null(False).any().over("supplier_id")
    decision = (
        pl.when(pl.col("_answer").is_not_null())
        .then(pl.col("_answer"))
        .when(reviewer_accepted & (pl.col("decision") == "accepted"))
        .then(pl.lit("review"))
        .otherwise(pl.col("decision"))
    )
    return (
        merged.with_columns(decision.alias("decision"))
        .select(list(CANDIDATE_SCHEMA))
        .sort("supplier_id", "rang", "siret_candidat")
    )
