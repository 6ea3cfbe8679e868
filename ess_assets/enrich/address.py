"""Address lines cleaned for the geocoder: the street line and nothing else.

Partner files mix the street line with postal-delivery parts (BP, CS, TSA, CEDEX), which the
address base does not know, and with address complements (building, residence, business park
name), which make it miss the street. The street line is kept, in order of preference:
1. the first part that starts with a house number ("124, rue de la Prairie");
2. else the first part naming a street type ("Allée des Lilas");
3. else every remaining part (a lieu-dit or a business park, "ZA de Terre Neuve II", is all
   there is to geocode, and the geocoder knows many of them).
Parts are what the sources separate with '|', ' - ', ';' or a line break; a hyphen inside a
name ("Denfert-Rochereau", "Lieu-dit") is not a separator.
"""

import re

POSTAL_PARTS = re.compile(
    r"""\b(?:
        B\.?\s?P\.?\s*\d*            # boîte postale: BP 16, B.P. 759, BP alone
        | BOITE\s+POSTALE\s*\d*
        | C\.?S\.?\s*\d+             # course spéciale: CS 30012
        | TSA\s*\d+                  # tri service arrivée
        | CEDEX(?:\s*\d+)?           # CEDEX, CEDEX 9
    )(?=\W|$)""",
    re.IGNORECASE | re.VERBOSE,
)
COMPLEMENT = re.compile(
    r"^(?:b[aâ]t(?:iment)?\.?|r[ée]sidence|r[ée]s\.|immeuble|imm\.|escalier|esc\.|[ée]tage"
    r"|appt?\.?|appartement|local|porte|entr[ée]e|chez|c/o|bureau|boite|bo[iî]te)(?=\W|$)",
    re.IGNORECASE,
)
STREET_TYPES = (
    r"rue|avenue|av|bd|boulevard|all[ée]e|chemin|che|route|rte|place|pl|impasse|imp|quai"
    r"|cours|crs|square|sq|passage|mont[ée]e|faubourg|fg|esplanade|promenade|voie|sentier"
    r"|chauss[ée]e|traverse|rond[- ]point|parvis|grande rue|grand rue|hameau|lieu[- ]dit"
)
STREET_TYPE = re.compile(rf"(?<!\w)(?:{STREET_TYPES})(?=\W|$)", re.IGNORECASE)
HOUSE_NUMBER = r"\d+(?:\s?(?:bis|ter|quater|[a-d])(?=\W))?"
NUMBERED = re.compile(rf"^{HOUSE_NUMBER}\s*,?\s+[^\W\d]", re.IGNORECASE)
NUMBERED_STREET = re.compile(rf"(?<!\w){HOUSE_NUMBER}\s*,?\s+(?:{STREET_TYPES})(?=\W)", re.I)
INLINE_COMPLEMENT = re.compile(
    r"(?<=\s)(?:b[aâ]t(?:iment)?\.?|r[ée]sidence|immeuble|escalier|esc\.|appt?\.?|appartement"
    r"|[ée]tage)\s+\w.*$",
    re.IGNORECASE,
)
NAME_OF = re.compile(r"(?:\b(?:de|du|des|la|le|les)|[dl]')\s*$", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*(?:\||;|\n|\r|\s-\s|\s–\s)\s*")


def _tidy(part: str) -> str:
    """Spaces collapsed, the comma after a house number and stray punctuation removed.

    A house number written with a thousands space ("1 170 Route du Ranc") is joined up.
    """
    part = re.sub(r"^(\d{1,2}) (\d{3})(?=\s)", r"\1\2", part.strip())
    part = re.sub(rf"^({HOUSE_NUMBER})\s*,\s*", r"\1 ", part.strip(), flags=re.IGNORECASE)
    part = re.sub(r"\s+", " ", part)
    return part.strip(" ,.-–")


def _cut_complement(part: str) -> str:
    """ "Rue du Bac Bâtiment C" -> "Rue du Bac", but "Allée de la Résidence" stays whole."""
    inline = INLINE_COMPLEMENT.search(part)
    if inline and not NAME_OF.search(part[: inline.start()]):
        return _tidy(part[: inline.start()])
    return part


def _parts(adresse: str) -> list[str]:
    """The address split into parts, postal-delivery parts removed."""
    without_postal = POSTAL_PARTS.sub(" ", adresse)
    return [p for p in (_tidy(part) for part in SEPARATORS.split(without_postal)) if p]


def clean_address(adresse: str | None) -> str:
    """The street line of `adresse`, ready for the geocoder; "" when nothing usable is left.

    >>> clean_address("SAVOIE TECHNOLAC - Bâtiment ANDROMEDE | 108, avenue du lac Léman - BP 20301")
    '108 avenue du lac Léman'
    """
    if not adresse:
        return ""
    parts = _parts(adresse)
    for part in parts:
        inner = NUMBERED_STREET.search(part)
        if inner:  # "Résidence les Pins 4 rue X": the numbered street inside the part
            return _cut_complement(_tidy(part[inner.start() :]))
    parts = [_cut_complement(part) for part in parts if not COMPLEMENT.match(part)]
    for part in parts:
        if NUMBERED.match(part):
            return part
    for part in parts:
        if STREET_TYPE.search(part):
            return part
    return " ".join(parts)
