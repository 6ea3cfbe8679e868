"""SIRENE stock files (INSEE) as polars frames, and the per-SIRET reference built from them.

The stock files use INSEE's official column names (StockEtablissement, StockUniteLegale,
StockEtablissementLiensSuccession); CSV and Parquet are read alike, every column as text.
Masked values (`[ND]` in stock files, `[NON-DIFFUSIBLE]` in the search API) become nulls.

The bundled extract (ess_assets/data/enrich/, October 2022) carries only ten establishment
columns: no legal-unit columns, no administrative state, no diffusion status, no street number.
The reference frame still has every column, null where the files given do not carry it.
"""

from pathlib import Path

import polars as pl

BUNDLED_ETABLISSEMENTS = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "enrich"
    / "stock_etablissement_extract_2022-10_aura.csv"
)
MASKED = ("[ND]", "[NON-DIFFUSIBLE]")

# SIRENE street-type codes, spelt out so that the geocoder reads them (INSEE's list, abridged).
TYPES_VOIE = {
    "ALL": "ALLEE", "AV": "AVENUE", "BD": "BOULEVARD", "CAR": "CARREFOUR", "CHE": "CHEMIN",
    "CHS": "CHAUSSEE", "CRS": "COURS", "DOM": "DOMAINE", "ESP": "ESPLANADE", "FG": "FAUBOURG",
    "GR": "GRANDE RUE", "HAM": "HAMEAU", "IMP": "IMPASSE", "LD": "LIEU DIT", "LOT": "LOTISSEMENT",
    "MTE": "MONTEE", "PAS": "PASSAGE", "PL": "PLACE", "PRO": "PROMENADE", "QUA": "QUARTIER",
    "RES": "RESIDENCE", "RPT": "ROND POINT", "RTE": "ROUTE", "SQ": "SQUARE", "TRA": "TRAVERSE",
}  # fmt: skip

# reference column -> (stock file column, which file): the official names, one place.
ETABLISSEMENT_COLUMNS = {
    "siret": "siret",
    "siren": "siren",
    "numero_voie": "numeroVoieEtablissement",
    "type_voie": "typeVoieEtablissement",
    "libelle_voie": "libelleVoieEtablissement",
    "code_postal": "codePostalEtablissement",
    "commune": "libelleCommuneEtablissement",
    "code_commune": "codeCommuneEtablissement",
    "naf_etablissement": "activitePrincipaleEtablissement",
    "nomenclature_naf": "nomenclatureActivitePrincipaleEtablissement",
    "enseigne": "enseigne1Etablissement",
    "etat_administratif_etablissement": "etatAdministratifEtablissement",
    "statut_diffusion_etablissement": "statutDiffusionEtablissement",
}
UNITE_LEGALE_COLUMNS = {
    "siren": "siren",
    "denomination": "denominationUniteLegale",
    "sigle": "sigleUniteLegale",
    "categorie_juridique": "categorieJuridiqueUniteLegale",
    "naf_unite_legale": "activitePrincipaleUniteLegale",
    "tranche_effectifs": "trancheEffectifsUniteLegale",
    "economie_sociale_solidaire": "economieSocialeSolidaireUniteLegale",
    "societe_mission": "societeMissionUniteLegale",
    "etat_administratif_unite_legale": "etatAdministratifUniteLegale",
    "statut_diffusion_unite_legale": "statutDiffusionUniteLegale",
    "identifiant_association": "identifiantAssociationUniteLegale",
}


def read_stock(path: Path | str, columns: list[str] | None = None) -> pl.DataFrame:
    """A SIRENE stock file (CSV or Parquet), all text, masked or empty values as nulls."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame = pl.read_parquet(path, columns=columns).cast(pl.String)
    else:
        frame = pl.read_csv(path, columns=columns, infer_schema=False, encoding="utf8")
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars().is_in([*MASKED, ""]))
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c in frame.columns
    )


def _select(frame: pl.DataFrame | None, columns: dict[str, str]) -> pl.DataFrame:
    """The given stock columns renamed to reference names; absent ones as null text."""
    frame = frame if frame is not None else pl.DataFrame({"siren": []}, schema={"siren": pl.String})
    return frame.select(
        (pl.col(official) if official in frame.columns else pl.lit(None, pl.String)).alias(name)
        for name, official in columns.items()
    )


def _flag(column: str) -> pl.Expr:
    """SIRENE O/N flags as booleans (null stays null)."""
    return pl.col(column).replace_strict(
        {"O": True, "N": False}, default=None, return_dtype=pl.Boolean
    )


def etablissement_reference(
    etablissements: pl.DataFrame, unites_legales: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per SIRET with the fields a buyer needs, from the stock frames given.

    `adresse` is the street line (number, spelt-out street type, street name), ready for the
    geocoder. `naf` is the establishment's NAF rev2 code, else its legal unit's; a code of an
    older nomenclature (NAF1993...) is not NAF rev2 and is left out. `actif` is True for an
    active establishment ('A'), False for a closed one ('F'), null when unknown.
    """
    sites = _select(etablissements, ETABLISSEMENT_COLUMNS)
    units = _select(unites_legales, UNITE_LEGALE_COLUMNS).unique("siren", keep="first")
    street_type = pl.col("type_voie").replace(TYPES_VOIE)
    reference = sites.join(units, on="siren", how="left").with_columns(
        pl.concat_str(
            [pl.col("numero_voie"), street_type, pl.col("libelle_voie")],
            separator=" ",
            ignore_nulls=True,
        )
        .replace("", None)
        .alias("adresse"),
        pl.when(pl.col("nomenclature_naf").is_null() | (pl.col("nomenclature_naf") == "NAFRev2"))
        .then(pl.col("naf_etablissement"))
        .otherwise(None)
        .fill_null(pl.col("naf_unite_legale"))
        .alias("naf"),
        pl.col("etat_administratif_etablissement")
        .replace_strict({"A": True, "F": False}, default=None, return_dtype=pl.Boolean)
        .alias("actif"),
        _flag("economie_sociale_solidaire").alias("economie_sociale_solidaire"),
        _flag("societe_mission").alias("societe_mission"),
    )
    return reference.drop("numero_voie", "type_voie", "libelle_voie", "naf_etablissement")


def load_bundled_reference() -> pl.DataFrame:
    """The reference of the bundled establishment extract (no legal-unit file bundled)."""
    return etablissement_reference(read_stock(BUNDLED_ETABLISSEMENTS))
