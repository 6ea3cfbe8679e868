"""Vocabulary of French supplier names and addresses: articles, legal forms, structure kinds,
street types and abbreviations. Tables only; the folding functions live in `keys.py`.
"""

ARTICLES = frozenset({"L", "LE", "LA", "LES", "D", "DE", "DU", "DES", "AU", "AUX", "UN", "UNE"})

# Legal forms written in names, with the family used to forbid merges (an association and a
# company of the same name at one address are usually two establishments).
LEGAL_FORM_TOKENS = {
    "ASSOC": "ASSOC",
    "ASSOCIATION": "ASSOC",
    "ASSO": "ASSOC",
    "SARL": "SARL",
    "SAS": "SAS",
    "SASU": "SAS",
    "SA": "SA",
    "EURL": "SARL",
    "SNC": "SNC",
    "SCOP": "SCOP",
    "SCIC": "SCIC",
    "GIE": "GIE",
    "FONDATION": "FONDATION",
}
# "ASS" and "STE" are legal forms only in first position ("STE MARIE" is a saint elsewhere).
# First names that follow a leading "STE" meaning "Sainte" rather than "Société".
SAINT_NAMES = frozenset(
    {
        "AGATHE",
        "ANNE",
        "BARBE",
        "BERNADETTE",
        "CATHERINE",
        "CECILE",
        "CLAIRE",
        "COLOMBE",
        "CROIX",
        "FAMILLE",
        "FOY",
        "GENEVIEVE",
        "HELENE",
        "JEANNE",
        "LUCIE",
        "MADELEINE",
        "MARGUERITE",
        "MARIE",
        "MARTHE",
        "ODILE",
        "SOPHIE",
        "THERESE",
        "VICTOIRE",
    }
)
LEADING_ONLY_FORMS = {"ASS": "ASSOC", "STE": "SOCIETE"}

LEGAL_FAMILY = {
    "ASSOC": "ASSOCIATION",
    "FONDATION": "FONDATION",
    "SARL": "SOCIETE",
    "SAS": "SOCIETE",
    "SA": "SOCIETE",
    "SNC": "SOCIETE",
    "SCOP": "SOCIETE",
    "SCIC": "SOCIETE",
    "GIE": "SOCIETE",
    "SOCIETE": "SOCIETE",
    "PUBLIC": "PUBLIC",
}

# Structure kinds as whole tokens only: "EI" inside a word ("REINSERTION") is never a kind.
KIND_TOKENS = frozenset({"ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA", "EATT", "ESAT", "SEP"})

# Kinds one establishment can hold together under one SIRET (seen on the ASP and Marché
# lists: ACI+AI, ACI+EI, AI+EI). Two kinds of different families are two establishments.
KIND_FAMILY = {"ACI": "ACTIVITE", "AI": "ACTIVITE", "EI": "ACTIVITE"}

# Legal-form labels as written by registries (ASP, SIRENE libellés), first match wins.
LEGAL_LABELS = (
    ("ASSOCIATION", "ASSOC"),
    ("FONDATION", "FONDATION"),
    ("COOPERATIVE OUVRIERE", "SCOP"),
    ("INTERET COLLECTIF", "SCIC"),
    ("RESPONSABILITE LIMITEE", "SARL"),
    ("SARL", "SARL"),
    ("EURL", "SARL"),
    ("ACTIONS SIMPLIFIEE", "SAS"),
    ("SAS", "SAS"),
    ("NOM COLLECTIF", "SNC"),
    ("SA ", "SA"),
    ("SOCIETE ANONYME", "SA"),
    ("CENTRE COMMUNAL", "PUBLIC"),
    ("COMMUNE", "PUBLIC"),
    ("ETABLISSEMENT PUBLIC", "PUBLIC"),
    ("REGIE", "PUBLIC"),
    ("SYNDICAT", "PUBLIC"),
)

STREET_TYPES = {
    "R": "RUE",
    "RUE": "RUE",
    "AV": "AVENUE",
    "AVE": "AVENUE",
    "AVENUE": "AVENUE",
    "BD": "BOULEVARD",
    "BLD": "BOULEVARD",
    "BOULEVARD": "BOULEVARD",
    "CHE": "CHEMIN",
    "CHEM": "CHEMIN",
    "CHEMIN": "CHEMIN",
    "PL": "PLACE",
    "PLACE": "PLACE",
    "RTE": "ROUTE",
    "ROUTE": "ROUTE",
    "IMP": "IMPASSE",
    "IMPASSE": "IMPASSE",
    "ALL": "ALLEE",
    "ALLEE": "ALLEE",
    "ALLEES": "ALLEE",
    "QU": "QUAI",
    "QUAI": "QUAI",
    "CRS": "COURS",
    "COURS": "COURS",
    "FG": "FAUBOURG",
    "FBG": "FAUBOURG",
    "FAUBOURG": "FAUBOURG",
    "ESP": "ESPLANADE",
    "ESPLANADE": "ESPLANADE",
    "SQ": "SQUARE",
    "SQUARE": "SQUARE",
    "PASS": "PASSAGE",
    "PASSAGE": "PASSAGE",
    "MAIL": "MAIL",
    "SENTE": "SENTE",
    "VOIE": "VOIE",
    "PARVIS": "PARVIS",
    "GAL": "GALERIE",
    "GALERIE": "GALERIE",
    "LD": "LIEU DIT",
}

WORD_ABBREVIATIONS = {
    "ST": "SAINT",
    "STE": "SAINTE",
    "GDE": "GRANDE",
    "GD": "GRAND",
    "GEN": "GENERAL",
    "GAL": "GENERAL",
    "DR": "DOCTEUR",
    "DOC": "DOCTEUR",
    "CDT": "COMMANDANT",
    "MAL": "MARECHAL",
    "PDT": "PRESIDENT",
    "PRES": "PRESIDENT",
    "PROF": "PROFESSEUR",
    "FG": "FAUBOURG",
    "N": "NOTRE",
    "ND": "NOTRE DAME",
    "1ER": "1",
    "PREMIER": "1",
    "HUIT": "8",
    "ONZE": "11",
    "QUATORZE": "14",
}
