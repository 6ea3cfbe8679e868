"""ESS qualification of suppliers: family, agreements, reserved-contract eligibility, each with
the reason it holds. Pure functions on a polars frame; every input column is optional.

Inputs read when present: `categorie_juridique` (INSEE code, also the API's nature_juridique),
`forme_juridique` (legal form as text, e.g. ASP's "Association déclarée"),
`economie_sociale_solidaire` (SIRENE ESS flag), `esus` (on the ESUS list), `famille_reseau`
(family of the partner network that declared it: 'cooperative', 'insertion'...),
`type_structure` (one kind) and `types_structure` (a list of kinds: ACI, EA, GEIQ, SCOP...),
`cpv_divisions` (see naf_cpv.py; computed from `naf` when absent).
"""

import unicodedata

import polars as pl

from ess_assets.enrich.naf_cpv import with_cpv

FAMILIES = ("association", "cooperative", "mutuelle", "fondation", "entreprise_commerciale_ess")
UNKNOWN = "inconnue"
ASSOCIATION_CODES = ("9210", "9220", "9221", "9222", "9223", "9224", "9230", "9240", "9260", "5195")
MUTUAL_CODES = ("8210", "8250", "8290", "6411")
# SARL (54..), SA with board (55..), SA with directorate (56..) cooperatives: consumer 51,
# craft 53, maritime 54, transport 55, SCOP 58, union of cooperatives 59, other 60; and the
# agricultural ones (CUMA, coopérative agricole, union).
COOPERATIVE_CODES = (
    *(f"5{form}{kind}" for form in "456" for kind in ("51", "53", "54", "55", "58", "59", "60")),
    "6316",
    "6317",
    "6318",
)
# INSEE legal categories: DOMAIN.md §3, completed from INSEE's nomenclature (check new codes).
FAMILY_BY_CODE = (
    dict.fromkeys(ASSOCIATION_CODES, "association")
    | {"9300": "fondation"}
    | dict.fromkeys(MUTUAL_CODES, "mutuelle")
    | dict.fromkeys(COOPERATIVE_CODES, "cooperative")
)
FAMILY_BY_WORD = (  # folded legal-form text -> family; first match wins
    ("cooperati", "cooperative"),
    ("scop", "cooperative"),
    ("scic", "cooperative"),
    ("mutuel", "mutuelle"),
    ("mutualiste", "mutuelle"),
    ("fondation", "fondation"),
    ("association", "association"),
    ("groupement d'employeurs", "association"),  # INSEE 9223, an association form
    ("congregation", "association"),
)
PUBLIC_WORDS = (
    "commune",
    "communaute",
    "syndicat mixte",
    "etablissement public",
    "centre communal",
    "departement",
    "region",
    "metropole",
)
IAE = ("ACI", "AI", "EI", "ETTI", "EITI")
DISABILITY = ("EA", "EATT", "ESAT")
AGREEMENT_BY_KIND = dict.fromkeys(IAE, "insertion") | {
    "EA": "entreprise_adaptee",
    "EATT": "entreprise_adaptee",
    "ESAT": "esat",
    "GEIQ": "geiq",
    "ESUS": "esus",
}
# Divisions holding the health, social and cultural services of art. 77 of directive
# 2014/24/EU, which L2113-15 transposes (75121..75123, 79622..79625, 80xxx, 85xxx, 92500/92600,
# 98133).
L2113_15_DIVISIONS = ("75", "79", "80", "85", "92", "98")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, straight apostrophes."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def family_from_form(forme: str | None) -> str | None:
    """The ESS family a legal form written as text announces, or None."""
    folded = fold(forme or "")
    return next((family for word, family in FAMILY_BY_WORD if word in folded), None)


def ess_family(row: dict) -> tuple[str, str]:
    """(family, reason) of one supplier, from the most reliable evidence available."""
    code, forme = row.get("categorie_juridique"), (row.get("forme_juridique") or "").strip()
    kinds = set(row.get("types") or ())
    if code in FAMILY_BY_CODE:
        return FAMILY_BY_CODE[code], f"catégorie juridique {code} (SIRENE)"
    if family := family_from_form(forme):
        return family, f"forme juridique « {forme} »"
    if kinds & {"SCOP", "SCIC"}:
        return "cooperative", f"type de structure {', '.join(sorted(kinds & {'SCOP', 'SCIC'}))}"
    if "ASSOCIATION" in kinds:
        return "association", "type de structure association"
    if row.get("famille_reseau") == "cooperative":
        return "cooperative", "membre d'un réseau de coopératives"
    if row.get("esus") or "ESUS" in kinds:
        return "entreprise_commerciale_ess", "agrément ESUS"
    if row.get("economie_sociale_solidaire"):
        return "entreprise_commerciale_ess", "indicateur ESS de SIRENE"
    described = f"catégorie {code}" if code else (f"forme « {forme} »" if forme else "")
    if (code or "").startswith("7") or any(w in fold(forme) for w in PUBLIC_WORDS):
        return UNKNOWN, f"personne morale de droit public ({described}), hors ESS"
    if described:
        return UNKNOWN, f"{described} sans marque ESS : ni indicateur SIRENE, ni ESUS, ni réseau"
    return UNKNOWN, "ni catégorie ni forme juridique connue, ni indicateur ESS"


def agreements(row: dict) -> tuple[list[str], str | None]:
    """(agreements, reason) from the structure kinds and the ESUS list."""
    kinds = set(row.get("types") or ())
    declared_esus = bool(row.get("esus")) and "ESUS" not in kinds
    held = sorted(
        {AGREEMENT_BY_KIND[k] for k in kinds if k in AGREEMENT_BY_KIND}
        | ({"esus"} if declared_esus else set())
    )
    if not held:
        return [], None
    shown = sorted(k for k in kinds if k in AGREEMENT_BY_KIND)
    reasons = [f"type de structure {', '.join(shown)}"] if shown else []
    if declared_esus:
        reasons.append("agrément ESUS déclaré par un partenaire")
    return held, " ; ".join(reasons)


def reserved_contracts(row: dict, family: str) -> tuple[list[str], str | None]:
    """(articles of the code de la commande publique, reason) the supplier can answer under."""
    kinds = set(row.get("types") or ())
    articles, reasons = [], []
    if disability := sorted(kinds & set(DISABILITY)):
        articles.append("L2113-12")
        reasons.append(f"L2113-12 : {', '.join(disability)} (handicap)")
    if insertion := sorted(kinds & set(IAE)):
        articles.append("L2113-13")
        reasons.append(f"L2113-13 : SIAE {', '.join(insertion)}")
    if articles:
        articles.append("L2113-14")
        reasons.append("L2113-14 : marchés réservés aux deux catégories ensemble")
    sectors = sorted(set(row.get("cpv_divisions") or ()) & set(L2113_15_DIVISIONS))
    if family != UNKNOWN and sectors:
        articles.append("L2113-15")
        reasons.append(
            f"L2113-15 sous conditions : entreprise de l'ESS ({family}) active en CPV "
            f"{', '.join(sectors)} ; seuls les services de santé, sociaux et culturels listés "
            "par voie réglementaire peuvent être réservés, pour 3 ans au plus, à une entreprise "
            "sans marché de l'acheteur à ce titre depuis 3 ans : dépend du CPV du marché"
        )
    return articles, " ; ".join(reasons) or None


def qualify(frame: pl.DataFrame) -> pl.DataFrame:
    """Add famille_ess, famille_ess_raison, agrements, agrements_raison, marches_reserves,
    marches_reserves_raison (and cpv_divisions from `naf` when absent)."""
    if "cpv_divisions" not in frame.columns:
        frame = with_cpv(frame) if "naf" in frame.columns else frame
    kinds = [pl.lit([], pl.List(pl.String))]
    if "type_structure" in frame.columns:
        kinds.append(pl.concat_list(pl.col("type_structure").str.to_uppercase()).list.drop_nulls())
    if "types_structure" in frame.columns:
        kinds.append(pl.col("types_structure").list.eval(pl.element().str.to_uppercase()))
    rows = frame.with_columns(pl.concat_list(kinds).alias("types")).to_dicts()
    qualified = [dict(zip(OUTPUTS, qualify_row(row), strict=True)) for row in rows]
    schema = {name: pl.List(pl.String) if name in LIST_OUTPUTS else pl.String for name in OUTPUTS}
    return pl.concat([frame, pl.DataFrame(qualified, schema=schema)], how="horizontal")


def qualify_row(row: dict) -> tuple:
    """The OUTPUTS of one supplier row (with its `types` list)."""
    family, family_reason = ess_family(row)
    held, held_reason = agreements(row)
    articles, articles_reason = reserved_contracts(row, family)
    return family, family_reason, held, held_reason, articles, articles_reason


OUTPUTS = (
    "famille_ess",
    "famille_ess_raison",
    "agrements",
    "agrements_raison",
    "marches_reserves",
    "marches_reserves_raison",
)
LIST_OUTPUTS = ("agrements", "marches_reserves")
