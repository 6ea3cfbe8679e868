"""The SIRENE reference of the suppliers: one row per supplier with a SIRET.

Three layers, the freshest first: the Recherche d'entreprises lookups (enrich.recherche_cache,
filled only when the API is configured), the SIRENE stock files in `<data>/enrich/`
(`stock_etablissement*`, `stock_unite_legale*`, `stock_liens_succession*`, CSV or Parquet),
then what the partners' files already carry (the NAF code of the golden record).
A SIRET that closed and has successors is described by its final successor: `actif` is the
successor's state and `siret_successeur` names it.

The bundled stock is an establishment extract without legal-unit columns, administrative state
nor diffusion status: with it, denomination, categorie_juridique, tranche_effectifs,
economie_sociale_solidaire, societe_mission, actif and the diffusion statuses stay null
(unknown, not 'no') unless the API was asked.
"""

from pathlib import Path

import polars as pl

from ess_assets.enrich.sirene import etablissement_reference, read_stock
from ess_assets.enrich.succession import DATE, PREDECESSEUR, SUCCESSEUR, follow_successions

FIELDS = (
    "denomination",
    "categorie_juridique",
    "naf",
    "tranche_effectifs",
    "economie_sociale_solidaire",
    "societe_mission",
    "actif",
    "statut_diffusion_etablissement",
    "statut_diffusion_unite_legale",
    "adresse",
)
STATE = {"A": True, "F": False, "C": False}


def _read_all(folder: Path, prefix: str, exclude: str | None = None) -> pl.DataFrame | None:
    paths = sorted(
        path
        for path in folder.glob(f"{prefix}*")
        if path.suffix.lower() in (".csv", ".parquet") and not (exclude and exclude in path.name)
    )
    frames = [read_stock(path) for path in paths]
    return pl.concat(frames, how="diagonal") if frames else None


def load_stock(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(reference of every stock establishment, succession links) from the files in `folder`."""
    etablissements = _read_all(folder, "stock_etablissement", exclude="succession")
    unites = _read_all(folder, "stock_unite_legale")
    links = _read_all(folder, "stock_liens_succession")
    if etablissements is None:
        etablissements = pl.DataFrame(schema={"siret": pl.String, "siren": pl.String})
    if links is None:
        links = pl.DataFrame(schema={c: pl.String for c in (PREDECESSEUR, SUCCESSEUR, DATE)})
    return etablissement_reference(etablissements, unites), links


def _from_api(cache: pl.DataFrame) -> pl.DataFrame:
    """Cached lookups in the reference's shape (found SIRETs only)."""
    state = pl.col("etat_administratif_etablissement").replace_strict(
        STATE, default=None, return_dtype=pl.Boolean
    )
    return (
        cache.filter(pl.col("trouve")).with_columns(state.alias("actif")).select("siret", *FIELDS)
    )


def supplier_reference(
    golden: pl.DataFrame, stock: pl.DataFrame, links: pl.DataFrame, cache: pl.DataFrame
) -> pl.DataFrame:
    """One row per supplier of `golden` with a SIRET: supplier_id, siret, siret_successeur,
    the FIELDS, `origine_sirene` (which registry layers know it: 'recherche', 'stock',
    'recherche+stock', null) and `naf_origine` ('recherche', 'stock', 'partenaires')."""
    suppliers = golden.filter(pl.col("siret").is_not_null()).select("supplier_id", "siret", "naf")
    chains = follow_successions(suppliers.get_column("siret"), links)
    described = suppliers.join(chains, on="siret", how="left").with_columns(
        pl.coalesce("siret_successeur_final", "siret").alias("_described")
    )
    api = _from_api(cache).rename(lambda c: f"{c}_api")
    registry = stock.select("siret", *FIELDS).rename(lambda c: f"{c}_stock")
    joined = described.join(api, left_on="_described", right_on="siret_api", how="left").join(
        registry, left_on="_described", right_on="siret_stock", how="left", coalesce=False
    )
    in_api = pl.col("denomination_api").is_not_null() | pl.col("actif_api").is_not_null()
    in_api = in_api | pl.col("naf_api").is_not_null()
    in_stock = pl.col("siret_stock").is_not_null()
    origin = (
        pl.when(in_api & in_stock)
        .then(pl.lit("recherche+stock"))
        .when(in_api)
        .then(pl.lit("recherche"))
        .when(in_stock)
        .then(pl.lit("stock"))
    )
    naf_origin = (
        pl.when(pl.col("naf_api").is_not_null())
        .then(pl.lit("recherche"))
        .when(pl.col("naf_stock").is_not_null())
        .then(pl.lit("stock"))
        .when(pl.col("naf").is_not_null())
        .then(pl.lit("partenaires"))
    )
    values = [pl.coalesce(f"{c}_api", f"{c}_stock").alias(c) for c in FIELDS if c != "naf"]
    return joined.select(
        "supplier_id",
        "siret",
        pl.when(pl.col("successions") > 0).then(pl.col("_described")).alias("siret_successeur"),
        *values,
        pl.coalesce("naf_api", "naf_stock", "naf").alias("naf"),
        origin.alias("origine_sirene"),
        naf_origin.alias("naf_origine"),
    )


def with_found_sirets(golden: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """`golden` with the SIRETs accepted by SIRET finding filled in (siret, siren), and
    `siret_origine`: 'source' (a partner gave it), 'recherche_nom' (found), null (none).
    One SIRET per supplier: the best-ranked accepted candidate."""
    accepted = (
        candidates.filter(pl.col("decision") == "accepted")
        .sort([c for c in ("supplier_id", "rang") if c in candidates.columns])
        .unique("supplier_id", keep="first", maintain_order=True)
        .select("supplier_id", pl.col("siret_candidat").alias("_found"))
    )
    joined = golden.join(accepted, on="supplier_id", how="left")
    origin = (
        pl.when(pl.col("siret").is_not_null())
        .then(pl.lit("source"))
        .when(pl.col("_found").is_not_null())
        .then(pl.lit("recherche_nom"))
    )
    return joined.with_columns(
        origin.alias("siret_origine"),
        pl.coalesce("siret", "_found").alias("siret"),
        pl.coalesce("siren", pl.col("_found").str.slice(0, 9)).alias("siren"),
    ).drop("_found")
