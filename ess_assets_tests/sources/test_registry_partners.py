"""The registry names every partner of the project, each with what the UI and a live run need."""

import re
from pathlib import Path

import pytest

from ess_assets.sources.registry import RegistryError, load_registry, registry, source_named

PARTNERS = {
    "fei": "insertion",
    "coorace": "insertion",
    "chantier_ecole": "insertion",
    "fas": "insertion",
    "gesat": "disability",
    "handishare": "disability",
    "urscop": "cooperative",
    "scop_btp": "cooperative",
    "preference_coop": "cooperative",
    "groupe_up": "cooperative",
    "adere": "purchasing_centre",
    "apogee": "purchasing_centre",
    "innovales": "incubator",
    "ronalpia": "incubator",
    "aura_ee": "public_agency",
}


def test_every_partner_has_an_entry_with_its_network():
    for name, family in PARTNERS.items():
        source = source_named(name)
        assert source.family == family
        assert source.owner.startswith("partner:")
        assert source.mapping.constants.get("reseau")
    assert source_named("autoreferencement").family == "self_referencing"


def test_names_are_snake_case_ascii():
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", source.name) for source in registry())


@pytest.mark.parametrize("source", registry(), ids=lambda source: source.name)
def test_every_entry_can_go_live_through_one_url_variable(source):
    assert source.fetch.url_env and source.fetch.url_env.startswith("ESS_")
    assert source.fetch.path  # and reads a bundled file by default


def test_live_apis_are_paginated_json():
    for name in ("marche_inclusion_api", "emplois_inclusion"):
        source = source_named(name)
        assert source.fetch.kind == "json_api" and source.format.record_path == "results"
        assert source.fetch.max_pages > 1 and source.fetch.per_second
    assert source_named("marche_inclusion_api").fetch.token_env
    assert source_named("emplois_inclusion").fetch.token_env is None


def test_a_live_kind_without_url_variable_is_refused(tmp_path: Path):
    file = tmp_path / "registry.yaml"
    file.write_text(
        "sources:\n  - {name: x, title: X, family: insertion, owner: o, priority: 1,"
        " fetch: {kind: json_api}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError, match=r"needs fetch\.url_env"):
        load_registry(file)
