"""The generated workload of `make bench` holds what its docstring promises."""

import polars as pl

from benchmarks.workload import generate
from ess_assets.normalise.siret import is_valid_siret
from ess_assets.sources.registry import registry


def test_sources_with_a_siret_column_get_sirets_missing_mistyped_or_spaced(tmp_path):
    truth = generate(tmp_path, 3000)
    asp = next(s for s in registry() if s.name == "asp_siae")
    frame = pl.read_csv(tmp_path / asp.fetch.path, separator=";", infer_schema=False)
    sirets = frame.get_column(asp.mapping.columns["siret_source"])
    given = sirets.drop_nulls().to_list()
    # _vary: 12 % left out, 3 % with one digit changed, 7 % spaced, the rest as they are
    assert 0.80 < len(given) / frame.height < 0.95
    spaced = [s for s in given if " " in s]
    assert 0.03 < len(spaced) / frame.height < 0.12
    plain = [s for s in given if " " not in s]
    invalid = [s for s in plain if not is_valid_siret(s)]
    assert 0.005 < len(invalid) / frame.height < 0.06
    assert truth.filter(pl.col("source") == "asp_siae").height == frame.height
