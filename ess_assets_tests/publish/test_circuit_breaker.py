"""A source loses its members between two runs: the publication is refused, the last one stays.

The ASP list comes back with a single structure. The bundled sources overlap so much that
losing the ASP list costs only the suppliers no other source knows, so this run sets
ESS_MAX_DROP to 0.1 % instead of the default 10 %.
"""

import csv
import dataclasses
import hashlib
import shutil

import dagster as dg
import polars as pl
import pytest

from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets_tests.conftest import make_settings, query, run_day

ASP = ("iae", "liste_siae_asp_2019-07.csv")
ONLY_ASP = (
    "SELECT count(*) FROM (SELECT supplier_id FROM marts.source_records GROUP BY 1 "
    "HAVING bool_and(source = 'asp_siae'))"
)
SHARED = (
    "SELECT min(siret_source) FROM marts.source_records WHERE source = 'asp_siae' AND "
    "supplier_id IN (SELECT supplier_id FROM marts.source_records WHERE source <> 'asp_siae')"
)
PUBLISHED = ("opendata_ess.csv", "opendata_ess.parquet", "opendata_ess.xlsx", "datapackage.json")


def _digests(folder) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in PUBLISHED}


def _keep_one_row(path, siret: str) -> None:
    """The source's new export holds a single row: the others vanished from its file."""
    with path.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file, delimiter=";"))
    kept = [row for row in rows if row[header.index("SIRET")] == siret][:1]
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=";", lineterminator="\n").writerows([header, *kept])


@pytest.fixture(scope="module")
def breaker(tmp_path_factory):
    root = tmp_path_factory.mktemp("breaker")
    data = root / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    # the intake guard off (a source may lose every row): this is the publication's breaker
    settings = dataclasses.replace(
        make_settings(root, data_dir=data), max_drop=0.001, source_max_drop=1.0
    )
    first = run_day(settings)
    before = _digests(settings.export_dir)
    assert query(settings, ONLY_ASP)[0][0] >= 1, "some suppliers must be known by ASP alone"
    shared = query(settings, SHARED)[0][0]  # a row whose supplier other sources also know
    _keep_one_row(data.joinpath(*ASP), shared)
    second = run_day(settings)
    return settings, first, second, before


def _check(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    [evaluation] = [e for e in result.get_asset_check_evaluations() if e.check_name == name]
    return evaluation


def test_first_run_publishes(breaker):
    _, first, _, _ = breaker
    assert all(result.success for result in first.values())


def test_drop_refuses_publication_and_keeps_the_last_one(breaker):
    settings, _, second, before = breaker
    assert not second["build"].success
    evaluation = _check(second["build"], "supplier_count_holds")
    assert not evaluation.passed
    assert "publication refused" in evaluation.description
    assert evaluation.metadata["candidate"].value < evaluation.metadata["last_publication"].value
    assert _digests(settings.export_dir) == before
    assert query(settings, "SELECT count(*) FROM publish.publications")[0][0] == 1
    candidate = pl.read_parquet(settings.export_dir / ".next" / "opendata_ess.parquet")
    published = pl.read_parquet(settings.export_dir / "opendata_ess.parquet")
    assert candidate.height < published.height
