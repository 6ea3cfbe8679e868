"""ESS qualification of the golden records: family, agreements, reserved contracts, CPV.

Inputs per supplier: its golden record (legal form as text, structure kinds, NAF code), its
SIRENE reference (legal category, ESS flag, NAF when the partners gave none) and the families
of the partner sources it appears in (`sources` -> registry `family`). A cooperative network
makes a cooperative (qualify.ess_family); membership of another partner network is not proof
of an ESS status, so a supplier left 'inconnue' says which networks list it, for a person to
confirm.
A golden `esus` column (True when a partner states the supplier holds the ESUS agreement) is
read when present: agreement 'esus', and family 'entreprise_commerciale_ess' for a supplier no
legal form places in another family (qualify.ess_family). So is a golden `secteurs` column
(sectors partners declare: a list, or text joined by '|'): its labels add CPV divisions
(naf_cpv.sectors).
"""

import polars as pl

from ess_assets.enrich.naf_cpv import sectors
from ess_assets.enrich.qualify import UNKNOWN, qualify

# families that are not a partner network: membership says nothing of the supplier's status
NOT_NETWORKS = ("national_list", "self_referencing")
QUALIFICATION_COLUMNS = (
    "supplier_id",
    "familles_reseaux",
    "famille_ess",
    "famille_ess_raison",
    "agrements",
    "agrements_raison",
    "marches_reserves",
    "marches_reserves_raison",
    "cpv_divisions",
    "cpv_divisions_raison",
)


def _listed(joined: pl.Expr) -> pl.Expr:
    """A comma-joined text column as a list, empty when null."""
    return joined.fill_null("").str.split(", ").list.eval(pl.element().filter(pl.element() != ""))


def _sector_labels(golden: pl.DataFrame) -> pl.Expr:
    """`secteurs` as a list: a list column, or text joined by '|' (labels hold commas)."""
    if isinstance(golden.schema["secteurs"], pl.List):
        return pl.col("secteurs")
    labels = pl.col("secteurs").fill_null("").str.split("|")
    return labels.list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element() != "")
    )


def source_families(sources: pl.Expr, families: dict[str, str]) -> pl.Expr:
    """The distinct, sorted families of a comma-joined list of source names."""
    return (
        sources.fill_null("")
        .str.split(", ")
        .list.eval(pl.element().replace_strict(families, default=None))
        .list.drop_nulls()
        .list.unique()
        .list.sort()
    )


def network_family(families: list[str]) -> str | None:
    """The family qualify() reads: 'cooperative' first, else the first partner network's."""
    networks = [family for family in families if family not in NOT_NETWORKS]
    if "cooperative" in networks:
        return "cooperative"
    return networks[0] if networks else None


def qualification(
    golden: pl.DataFrame, sirene: pl.DataFrame, families: dict[str, str]
) -> pl.DataFrame:
    """One row per golden supplier with QUALIFICATION_COLUMNS (`familles_reseaux` joined by
    ', '; agrements, marches_reserves and cpv_divisions are lists, empty when none)."""
    registry = sirene.select(
        "supplier_id",
        "categorie_juridique",
        "economie_sociale_solidaire",
        pl.col("naf").alias("naf_sirene"),
    )
    frame = golden.join(registry, on="supplier_id", how="left").select(
        "supplier_id",
        "forme_juridique",
        "type_structure",
        "categorie_juridique",
        "economie_sociale_solidaire",
        pl.coalesce("naf", "naf_sirene").alias("naf"),
        _listed(pl.col("types_structure")),
        source_families(pl.col("sources"), families).alias("_families"),
        *([pl.col("esus").fill_null(False)] if "esus" in golden.columns else []),
        *([_sector_labels(golden)] if "secteurs" in golden.columns else []),
    )
    # Suppliers with the same evidence get the same answer: qualify each distinct combination
    # once (at national scale, a few thousand combinations for a few hundred thousand rows).
    frame = frame.group_by(pl.exclude("supplier_id"), maintain_order=True).agg("supplier_id")
    frame = frame.with_columns(
        pl.col("_families")
        .map_elements(network_family, return_dtype=pl.String)
        .alias("famille_reseau")
    )
    qualified = qualify(sectors(frame))
    networks = pl.col("_families").list.eval(
        pl.element().filter(~pl.element().is_in(list(NOT_NETWORKS)))
    )
    unknown_member = (pl.col("famille_ess") == UNKNOWN) & (networks.list.len() > 0)
    qualified = qualified.with_columns(
        pl.when(unknown_member)
        .then(
            pl.format(
                "{} ; mais listé par des réseaux partenaires ({}) : statut ESS à confirmer",
                pl.col("famille_ess_raison"),
                networks.list.join(", "),
            )
        )
        .otherwise(pl.col("famille_ess_raison"))
        .alias("famille_ess_raison"),
        pl.col("_families").list.join(", ").alias("familles_reseaux"),
    ).explode("supplier_id")
    order = golden.select("supplier_id")
    return order.join(qualified, on="supplier_id", how="left", maintain_order="left").select(
        QUALIFICATION_COLUMNS
    )
