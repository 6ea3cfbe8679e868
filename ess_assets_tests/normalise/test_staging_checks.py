"""The schema check of a staging table: validated once per content, failing on a bad row."""

import duckdb
import polars as pl

from ess_assets import incremental
from ess_assets.normalise.assets import _matches_schema
from ess_assets.sources.registry import source_named
from ess_assets.warehouse import write_table
from ess_assets_tests.normalise.test_records import normalise


def test_an_unchanged_table_is_validated_once_and_a_broken_one_fails(tmp_path):
    source = source_named("adere")
    records = normalise("adere")[0].records
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        write_table(con, "staging.adere", records)
        incremental.remember(con, "staging.adere", "file-1", ["staging.adere"])
        first = _matches_schema(con, source)
        again = _matches_schema(con, source)
        assert first.passed and not first.metadata
        assert again.passed and again.metadata["skipped"].value is True

        broken = records.with_columns(siret_valide=pl.lit(None, pl.Boolean))
        write_table(con, "staging.adere", broken)
        incremental.remember(con, "staging.adere", "file-2", ["staging.adere"])
        failed = _matches_schema(con, source)
        assert not failed.passed and "siret_valide" in failed.description
        assert not _matches_schema(con, source).passed  # a failure is never remembered
