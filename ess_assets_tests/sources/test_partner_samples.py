"""Every bundled sample reads with its registry entry, as partners would plausibly send it."""

import re

import polars as pl
import pytest

from ess_assets.normalise.schema import STRUCTURE_KINDS
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.fetch import fetch_source
from ess_assets.sources.read import read_source
from ess_assets.sources.registry import registry, source_named

ROWS = {
    "asp_siae": 448,
    "geiq": 37,
    "marche_inclusion": 458,
    "fei": 25,
    "coorace": 22,
    "chantier_ecole": 20,
    "fas": 18,
    "gesat": 10,
    "handishare": 10,
    "urscop": 14,
    "scop_btp": 5,
    "preference_coop": 3,
    "groupe_up": 15,
    "adere": 16,
    "apogee": 14,
    "innovales": 9,
    "ronalpia": 9,
    "aura_ee": 15,
    "autoreferencement": 20,
    "marche_inclusion_api": 30,
    "emplois_inclusion": 30,
}
PARTNERS = [s.name for s in registry() if s.fetch.path and s.fetch.path.startswith("partners/")]


def _frame(name: str) -> pl.DataFrame:
    source = source_named(name)
    fetched = fetch_source(source, data_dir=BUNDLED_DATA_DIR, env={})
    read = read_source(source, fetched.content, fetched.name)
    assert read.broken == []
    return read.frame


def _sirets(name: str) -> list[str]:
    column = source_named(name).mapping.columns["siret_source"]
    return [v for v in _frame(name)[column].to_list() if v and v.strip()]


@pytest.mark.parametrize("name", [s.name for s in registry()])
def test_every_sample_reads_with_its_mapped_columns(name):
    frame = _frame(name)  # read_source raises when a mapped column is missing
    assert frame.height == ROWS[name]


@pytest.mark.parametrize("name", PARTNERS)
def test_record_ids_are_unique(name):
    source = source_named(name)
    assert _frame(name).select(source.record_id).is_duplicated().sum() == 0


@pytest.mark.parametrize("name", PARTNERS)
def test_structure_kinds_map_onto_the_common_codes(name):
    source = source_named(name)
    column = source.mapping.columns.get("type_structure")
    if not isinstance(column, str):
        return
    codes = source.mapping.values.get("type_structure", {})
    written = {v for v in _frame(name)[column].to_list() if v}
    assert {codes.get(v, v) for v in written} <= set(STRUCTURE_KINDS)


def test_memberships_overlap_across_partners():
    networks: dict[str, set[str]] = {}
    for name in PARTNERS:
        for siret in _sirets(name):
            networks.setdefault(re.sub(r"\s", "", siret), set()).add(name)
    shared = [siret for siret, names in networks.items() if len(names) >= 2]
    assert len(shared) >= 40
    assert max(len(names) for names in networks.values()) >= 4


def test_awkward_rows_are_there():
    assert any(" " in s for s in _sirets("coorace"))  # SIRET with spaces
    assert any(s.startswith("\t") for s in _sirets("adere"))  # leading tab
    for name in ("fei", "chantier_ecole", "handishare", "innovales", "ronalpia"):
        assert len(_sirets(name)) < ROWS[name], f"{name} has a member without SIRET"
    coorace = _sirets("coorace")
    assert len(coorace) > len(set(coorace))  # head-office SIRET given for a second site


CP1252 = [name for name in PARTNERS if source_named(name).format.encoding == "cp1252"]


@pytest.mark.parametrize("name", CP1252)
def test_windows_1252_samples_really_are(name):
    content = (BUNDLED_DATA_DIR / source_named(name).fetch.path).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")


@pytest.mark.parametrize("name", PARTNERS)
def test_samples_carry_role_addresses_only(name):
    column = source_named(name).mapping.columns.get("email")
    if not isinstance(column, str):
        return
    for email in _frame(name)[column].drop_nulls().to_list():
        assert not email or email.split("@")[0] in {"contact", "accueil"}, email
