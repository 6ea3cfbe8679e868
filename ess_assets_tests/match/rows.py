"""Records built from rows of the bundled ASP list and Marché de l'inclusion file."""

import polars as pl

COLUMNS = (
    "record_id",
    "source",
    "nom",
    "enseigne",
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "type_structure",
    "forme_juridique",
    "telephone",
    "email",
)


def frame(*rows: tuple) -> pl.DataFrame:
    """A records frame from tuples in COLUMNS order (missing trailing values are null)."""
    padded = [tuple(row) + (None,) * (len(COLUMNS) - len(row)) for row in rows]
    return pl.DataFrame(padded, schema={c: pl.String for c in COLUMNS}, orient="row")


# ASP rows 3 and 30 (one SIRET, ACI and AI schemes) and its Marché twin, mixed case.
COTIERE_ASP_ACI = (
    "asp:3",
    "asp",
    "COTIERE AVENIR",
    None,
    "34356040500023",
    "7 Avenue DES ECOLES",
    "01700",
    "ST MAURICE DE BEYNOST",
    "ACI",
    "Association déclarée ",
    "0471767497",
    "compta@cotiere-avenir.fr",
)
COTIERE_ASP_AI = (
    "asp:30",
    "asp",
    "COTIERE AVENIR",
    None,
    "34356040500023",
    "7 Avenue DES ECOLES",
    "01700",
    "ST MAURICE DE BEYNOST",
    "AI",
    "Association déclarée ",
    "0471767497",
    "compta@cotiere-avenir.fr",
)
COTIERE_MARCHE = (
    "marche:515",
    "marche",
    "COTIERE AVENIR",
    "",
    "34356040500023",
    "7 Avenue des Ecoles",
    "01700",
    "Saint-Maurice-de-Beynost",
    "ACI",
)
# Two establishments of one company (same SIREN), in two communes.
AINTERIM_BOURG = (
    "asp:28",
    "asp",
    "AINTERIM'AIR",
    None,
    "41071771400027",
    "171 Avenue DE SAN SEVERO",
    "01000",
    "BOURG EN BRESSE",
    "ETTI",
)
AINTERIM_AMBERIEU = (
    "marche:647",
    "marche",
    "AINTERIM'AIR",
    "",
    "41071771400035",
    "62 Avenue du General Sarrail",
    "01500",
    "Ambérieu-en-Bugey",
    "ETTI",
)
# Two legal units at one address of Le Puy-en-Velay: an ETTI and an AI of one group.
ADEF_PLUS = (
    "asp:261",
    "asp",
    "ADEF PLUS",
    None,
    "39485379000266",
    "32 Boulevard DE LA REPUBLIQUE",
    "43000",
    "LE PUY EN VELAY",
    "ETTI",
)
ASSOC_ADEF = (
    "asp:263",
    "asp",
    "ASSOC ADEF",
    None,
    "34255976200196",
    "32 Boulevard DE LA REPUBLIQUE",
    "43000",
    "LE PUY EN VELAY",
    "AI",
)
