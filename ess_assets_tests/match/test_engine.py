"""match_records on small sets of real rows."""

import polars as pl

from ess_assets.match import match_records
from ess_assets.match.engine import _in_order
from ess_assets_tests.match.rows import (
    ADEF_PLUS,
    AINTERIM_AMBERIEU,
    AINTERIM_BOURG,
    ASSOC_ADEF,
    COTIERE_ASP_ACI,
    COTIERE_ASP_AI,
    COTIERE_MARCHE,
    frame,
)


def keys_of(result) -> dict[str, str]:
    return dict(result.clusters.select("record_id", "cluster_key").iter_rows())


def test_same_siret_across_schemes_and_sources_is_one_cluster():
    result = match_records(frame(COTIERE_ASP_ACI, COTIERE_ASP_AI, COTIERE_MARCHE))
    assert set(keys_of(result).values()) == {"asp:3"}
    assert result.clusters.filter(pl.col("record_id") == "asp:30")["rule"].item() == "siret"


def test_upper_case_abbreviated_row_matches_its_mixed_case_twin_without_siret():
    result = match_records(frame(COTIERE_ASP_ACI, COTIERE_MARCHE), use_siret=False)
    assert keys_of(result) == {"asp:3": "asp:3", "marche:515": "asp:3"}
    link = result.links.row(0, named=True)
    assert (link["record_id_l"], link["record_id_r"]) == ("asp:3", "marche:515")
    assert (link["rule"], link["decision"]) == ("name+address", "match")


def test_two_valid_sirets_are_never_merged():
    # Same name, same address, same kind: only the SIRETs tell these apart.
    other = ("asp:99", *COTIERE_ASP_ACI[1:4], "34356040500031", *COTIERE_ASP_ACI[5:])
    result = match_records(frame(COTIERE_ASP_ACI, other))
    assert keys_of(result) == {"asp:3": "asp:3", "asp:99": "asp:99"}
    assert result.links["rule"].to_list() == ["conflict:siret"]


def test_sibling_establishments_in_two_communes_stay_apart():
    result = match_records(frame(AINTERIM_BOURG, AINTERIM_AMBERIEU), use_siret=False)
    assert keys_of(result) == {"asp:28": "asp:28", "marche:647": "marche:647"}


def test_different_kinds_at_one_address_stay_apart():
    result = match_records(frame(ADEF_PLUS, ASSOC_ADEF), use_siret=False)
    assert len(set(keys_of(result).values())) == 2


def test_cluster_keys_do_not_depend_on_row_order():
    rows = [COTIERE_ASP_ACI, COTIERE_ASP_AI, COTIERE_MARCHE, AINTERIM_BOURG, ADEF_PLUS]
    forward = keys_of(match_records(frame(*rows), use_siret=False))
    backward = keys_of(match_records(frame(*reversed(rows)), use_siret=False))
    assert forward == backward
    assert forward["marche:515"] == "asp:3"


def test_confirmed_decisions_force_and_forbid_links():
    decisions = pl.DataFrame(
        {
            "record_id_l": ["asp:3", "asp:28"],
            "record_id_r": ["marche:515", "marche:647"],
            "decision": ["different", "same"],
        }
    )
    records = frame(COTIERE_ASP_ACI, COTIERE_MARCHE, AINTERIM_BOURG, AINTERIM_AMBERIEU)
    result = match_records(records, use_siret=False, decisions=decisions)
    keys = keys_of(result)
    assert keys["asp:3"] != keys["marche:515"]
    assert keys["asp:28"] == keys["marche:647"] == "asp:28"


def test_clusters_have_one_row_per_record_and_singletons_say_so():
    result = match_records(frame(ADEF_PLUS))
    assert result.clusters.to_dicts() == [
        {"record_id": "asp:261", "cluster_key": "asp:261", "rule": "singleton", "score": None}
    ]
    assert result.links.is_empty()


def test_links_are_applied_strongest_first_then_same_spelling_then_by_record_ids():
    candidates = [
        (-0.95, False, "b", "c", (1, 2), "name+address"),
        (-0.99, True, "a", "c", (0, 2), "name+commune"),
        (-0.99, False, "b", "d", (1, 3), "name+address"),
        (-0.99, False, "a", "d", (0, 3), "name+address"),
    ]
    assert [c[4] for c in _in_order(candidates)] == [(0, 3), (1, 3), (0, 2), (1, 2)]
