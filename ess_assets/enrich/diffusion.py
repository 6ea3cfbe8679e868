"""The SIRENE diffusion rule, applied before anything is published.

An establishment whose diffusion status is 'P' (partial, art. R123-232-1 of the code de
commerce: the person objected to the publication) must not have its address nor its
coordinates republished; a legal unit with status 'P' must not have its name republished
(for natural persons the name is the person's). Commune-level fields (commune, code_commune,
code_postal) stay: they are what the registry itself keeps public for such rows.
"""

import polars as pl

LOCATION_COLUMNS = (
    "adresse",
    "adresse_nettoyee",
    "complement_adresse",
    "numero_voie",
    "type_voie",
    "libelle_voie",
    "latitude",
    "longitude",
    "geocode_label",
    "result_label",
)
NAME_COLUMNS = ("denomination", "nom", "nom_complet", "nom_raison_sociale", "sigle")


def _null_where(frame: pl.DataFrame, status_column: str, columns: tuple[str, ...]) -> pl.DataFrame:
    if status_column not in frame.columns:
        return frame
    partial = pl.col(status_column).fill_null("") == "P"
    present = [column for column in columns if column in frame.columns]
    return frame.with_columns(
        pl.when(partial).then(None).otherwise(pl.col(column)).alias(column) for column in present
    )


def apply_diffusion(
    frame: pl.DataFrame,
    status_column: str = "statut_diffusion_etablissement",
    columns: tuple[str, ...] = LOCATION_COLUMNS,
) -> pl.DataFrame:
    """Null the address and coordinate columns (those present) of rows whose status is 'P'."""
    return _null_where(frame, status_column, columns)


def apply_unit_diffusion(
    frame: pl.DataFrame,
    status_column: str = "statut_diffusion_unite_legale",
    columns: tuple[str, ...] = NAME_COLUMNS,
) -> pl.DataFrame:
    """Null the name columns (those present) of rows whose legal unit's status is 'P'."""
    return _null_where(frame, status_column, columns)
