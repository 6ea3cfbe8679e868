"""Rows of sources that list one row per scheme (ASP list, Marché de l'inclusion), from the
northern and eastern benchmark lists, matched with SIRETs hidden."""

from ess_assets.match import match_records
from ess_assets_tests.match.rows import COTIERE_ASP_ACI, frame

# Two associations (two SIRENs) at one address, ACI and EI, in both lists: the ASP rows give
# two legal forms.
RECUP_AIRE = (
    ("asp:759", "asp", "ASSOC RECUP AIRE", None, "38766747000059", "22 Rue DE BRABANT",
     "62120", "AIRE SUR LA LYS", "ACI", "Association déclarée", "0369527943",
     "nicolas.robert@nordnet.fr"),
    ("asp:834", "asp", "ASSOC RECUP AIRE", None, "44259611000043", "22 Rue DE BRABANT",
     "62120", "AIRE SUR LA LYS", "EI", "Association déclarée d'insertion par l'économique",
     "0369527943", "nicolas.robert@nordnet.fr"),
    ("marche:1149", "marche", "ASSOC RECUP AIRE", "ACI", "38766747000059",
     "22 Rue de Brabant", "62120", "Aire-sur-la-Lys", "ACI"),
    ("marche:2275", "marche", "ASSOC RECUP AIRE", "Association Récup'Aire", "44259611000043",
     "22 Rue de Brabant", "62120", "Aire-sur-la-Lys", "EI"),
)  # fmt: skip
# Two establishments of one association, ACI and EI: each list writes the address two ways.
TRI = (
    ("asp:210", "asp", "ASSOC TRI", None, "41077590200050", "ZA LA BLANCHOTTE", "25440",
     "QUINGEY", "EI", "Association déclarée", "0381917821", "marie.robert@wanadoo.fr"),
    ("asp:228", "asp", "ASSOC TRI", None, "41077590200043", "Zone d'activité DE LA BLANCHOTTE",
     "25440", "QUINGEY", "ACI", "Association déclarée", "0381917821",
     "marie.robert@wanadoo.fr"),
    ("marche:1706", "marche", "ASSOC TRI", None, "41077590200043",
     "Zone Artisanale de la Blanchotte", "25440", "Quingey", "ACI"),
    ("marche:1707", "marche", "ASSOC TRI", None, "41077590200050", "La Blanchotte", "25440",
     "Quingey", "EI"),
)  # fmt: skip
# Two companies, both EI, at one address; the Marché rows differ only by an apostrophe.
EQUIPAGE = (
    ("asp:1045", "asp", "L EQUIPAGE", None, "83125926200010", "6 Rue ARCHEREAU", "75019",
     "PARIS 19", "EI", "Société par actions simplifiée", "0907215890",
     "yleroy@emmaus-defi.org"),
    ("asp:1055", "asp", "L'EQUIPAGE", None, "84223593900019", "6 Rue ARCHEREAU", "75019",
     "PARIS 19", "EI", "Société par actions simplifiée", "0907215890",
     "ppetit@emmaus-defi.org"),
    ("marche:3527", "marche", "L EQUIPAGE", None, "83125926200010", "6 Rue Archereau", "75019",
     "Paris", "EI"),
    ("marche:3602", "marche", "L'EQUIPAGE", None, "84223593900019", "6 Rue Archereau", "75019",
     "Paris", "EI"),
)  # fmt: skip
# One SIRET: its EI row in the Marché was typed apart, under the trading name.
IMPULSION = (
    ("asp:765", "asp", "REGIE DE QUARTIER IMPULSION", None, "44888767900034",
     "1 Rue MAURICE ALLAIS", "62220", "CARVIN", "ACI", "Association déclarée", "0356031545",
     "hugo.durand@regiedequartier-carvin.fr"),
    ("marche:2335", "marche", "REGIE DE QUARTIER IMPULSION", "Régie de Quartiers Impulsion",
     "44888767900034", "Rue Maurice Allais", "62220", "Carvin", "ACI"),
    ("marche:3813", "marche", "IMPULSION", "Régie de Quartiers Impulsion", "44888767900034",
     "Rue Maurice ALLAIS", "62220", "CARVIN", "EI"),
)  # fmt: skip


def clusters_by_siret(rows) -> set[frozenset[str]]:
    """The clusters found with SIRETs hidden, each as the set of its records' SIRETs."""
    result = match_records(frame(*rows), use_siret=False)
    siret_of = {row[0]: row[4] for row in rows}
    groups: dict[str, set[str]] = {}
    for record_id, key in result.clusters.select("record_id", "cluster_key").iter_rows():
        groups.setdefault(key, set()).add(siret_of[record_id])
    return {frozenset(s) for s in groups.values()}


def test_two_legal_forms_in_one_source_are_two_establishments():
    assert clusters_by_siret(RECUP_AIRE) == {
        frozenset({"38766747000059"}),
        frozenset({"44259611000043"}),
    }


def test_one_source_writing_an_address_two_ways_lists_two_establishments():
    assert clusters_by_siret(TRI) == {frozenset({"41077590200050"}), frozenset({"41077590200043"})}


def test_same_name_rows_pair_one_to_one_by_spelling():
    assert clusters_by_siret(EQUIPAGE) == {
        frozenset({"83125926200010"}),
        frozenset({"84223593900019"}),
    }


def test_second_scheme_row_under_the_trading_name_joins_its_establishment():
    assert clusters_by_siret(IMPULSION) == {frozenset({"44888767900034"})}


def test_rows_without_a_scheme_field_written_apart_still_merge():
    typed_again = ("other:1", "other", *COTIERE_ASP_ACI[2:5], "7 AV DES ECOLES",
                   *COTIERE_ASP_ACI[6:8], None, "Association déclarée", "0471767497")  # fmt: skip
    first = ("other:0", "other", *COTIERE_ASP_ACI[2:8], None, *COTIERE_ASP_ACI[9:])
    assert clusters_by_siret((first, typed_again)) == {frozenset({"34356040500023"})}
