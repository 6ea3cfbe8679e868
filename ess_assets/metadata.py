"""Metadata helpers shared by assets: a Markdown preview of a frame for the Dagster UI."""

import dagster as dg
import polars as pl


def preview(frame: pl.DataFrame, rows: int = 5) -> dg.MetadataValue:
    """The first `rows` rows of `frame` as a Markdown table."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=rows,
        tbl_cols=-1,
        fmt_str_lengths=60,
    ):
        return dg.MetadataValue.md(str(frame.head(rows)))
