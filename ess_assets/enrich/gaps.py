"""The gap report: for each published field, the share of suppliers that have it, before
enrichment (match.golden) and after (marts.suppliers), overall and per source.

A supplier counts under every source it appears in. "Filled" means not null, a non-empty
list, and for famille_ess a known family (not 'inconnue').
"""

import polars as pl

from ess_assets.enrich.qualify import UNKNOWN

ALL_SOURCES = "toutes"
GAP_SCHEMA = {
    "champ": pl.String,
    "source": pl.String,
    "fournisseurs": pl.Int64,
    "avant": pl.Float64,
    "apres": pl.Float64,
}


def filled(frame: pl.DataFrame, field: str) -> pl.Expr:
    """True where `field` is filled in `frame`; False for every row when it is absent."""
    if field not in frame.columns:
        return pl.lit(False)
    column = pl.col(field)
    if isinstance(frame.schema[field], pl.List):
        return column.list.len().fill_null(0) > 0
    if field == "famille_ess":
        return column.is_not_null() & (column != UNKNOWN)
    if frame.schema[field] == pl.String:
        return column.is_not_null() & (column.str.strip_chars() != "")
    return column.is_not_null()


def _shares(frame: pl.DataFrame, fields: list[str], name: str) -> pl.DataFrame:
    flags = frame.select(
        pl.col("sources").fill_null("").str.split(", ").alias("source"),
        *(filled(frame, field).cast(pl.Float64).alias(field) for field in fields),
    )
    everyone = flags.with_columns(pl.lit(ALL_SOURCES).alias("source"))
    exploded = flags.explode("source").filter(pl.col("source") != "")
    per_source = pl.concat([everyone, exploded])
    return (
        per_source.group_by("source", maintain_order=True)
        .agg(pl.len().alias("fournisseurs"), *(pl.col(field).mean() for field in fields))
        .unpivot(index=["source", "fournisseurs"], variable_name="champ", value_name=name)
    )


def gap_report(before: pl.DataFrame, after: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    """GAP_SCHEMA rows: one per field and source (ALL_SOURCES first), shares rounded to 3."""
    report = _shares(before, fields, "avant").join(
        _shares(after, fields, "apres").drop("fournisseurs"),
        on=["source", "champ"],
        how="full",
        coalesce=True,
    )
    order = {field: rank for rank, field in enumerate(fields)}
    return (
        report.with_columns(
            pl.col("avant").fill_null(0.0).round(3),
            pl.col("apres").fill_null(0.0).round(3),
            (pl.col("source") != ALL_SOURCES).alias("_rest"),
            pl.col("champ").replace_strict(order, return_dtype=pl.Int64).alias("_order"),
        )
        .sort("_rest", "source", "_order")
        .select(list(GAP_SCHEMA))
        .cast(GAP_SCHEMA)  # type: ignore[arg-type]
    )


def overview(report: pl.DataFrame) -> pl.DataFrame:
    """The ALL_SOURCES rows only: field, before, after, as a small table for the UI."""
    return report.filter(pl.col("source") == ALL_SOURCES).select("champ", "avant", "apres")
