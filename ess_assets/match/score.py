"""Pairwise comparison and scoring of two records.

The score is a match probability built from log-odds weights, one per piece of evidence, so
that a reviewer can read why a pair scored what it did. The weights were set by hand on the
benchmark lists (ASP x Marché de l'inclusion), where true pairs almost always share the exact
folded name: name similarity (a trading name equal to the other's name) only earns a link
across names at one numbered address, with compatible structure kinds.
"""

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from ess_assets.match.features import Features
from ess_assets.match.keys import kinds_compatible

MATCH_THRESHOLD = 0.9
REVIEW_THRESHOLD = 0.3

PRIOR = -6.0
W_SAME_NAME = 7.0
W_SIMILAR_NAME = 4.0
W_SAME_PLACE = 2.0
W_OTHER_PLACE_SAME_DEPARTMENT = -2.0
W_OTHER_PLACE = -5.0
W_PLACE = {
    "same": W_SAME_PLACE,
    "same-department": W_OTHER_PLACE_SAME_DEPARTMENT,
    "other": W_OTHER_PLACE,
    "unknown": 0.0,
}
W_ADDRESS = {"same": 3.0, "near": 0.0, "different": -1.5, "unknown": 0.0}
W_ONE_SITE_PER_SOURCE = 2.0
W_SEVERAL_SITES_IN_A_SOURCE = -3.0
W_SAME_KIND = 0.5
W_OTHER_KIND = -0.5
W_INCOMPATIBLE_KIND = -6.0
W_CONTACT = 1.0
W_CONTACT_CAP = 2.0
W_OTHER_PHONE = -1.0

STREET_SIMILARITY = 85


@dataclass(slots=True)
class Comparison:
    """What two records agree and disagree on, before any weight is applied."""

    same_name: bool
    similar_name: bool
    place: str  # same | same-department | other | unknown
    address: str  # same | near | different | unknown
    kind: str  # same | other (compatible) | incompatible | unknown
    contacts: int  # phone, e-mail, website values in common
    other_phone: bool
    conflict: str | None  # why the two can never be one establishment


def conflict(a: Features, b: Features, *, use_siret: bool) -> str | None:
    """The reason two records can never be one establishment, or None."""
    if use_siret and a.siret and b.siret and a.siret != b.siret:
        return "conflict:siret"
    if a.name_kind and b.name_kind and not kinds_compatible(a.name_kind, b.name_kind):
        return "conflict:kind-in-name"
    # One source giving one name two phone numbers or two e-mails describes two
    # establishments (on the ASP list, rows of one SIRET always share them).
    if a.source == b.source and (
        (a.phone and b.phone and a.phone != b.phone) or (a.email and b.email and a.email != b.email)
    ):
        return "conflict:contact"
    if a.source == b.source and (written := _written_apart(a, b)):
        return written
    # Only legal forms written in both names are compared: a name saying "ASSOC" against a
    # registry field saying "SCIC" is an outdated name, and the legal-form fields of two
    # sources disagree too often on one SIRET to forbid anything.
    if a.name_legal_family and b.name_legal_family and a.name_legal_family != b.name_legal_family:
        return "conflict:legal-form"
    return None


def _written_apart(a: Features, b: Features) -> str | None:
    """Two rows of one source listing one row per scheme that cannot be one establishment.

    Such a source (the ASP list, the Marché de l'inclusion) copies an establishment's fields
    from one register entry into each of its scheme rows: on the benchmark lists, rows of one
    SIRET in one source never differ in address line or legal form beyond case, accents and
    spacing, and two rows of one SIRET with one scheme are verbatim repeats. So "ZA LA
    BLANCHOTTE" next to "Zone d'activité DE LA BLANCHOTTE", "Association déclarée" next to
    "Association déclarée d'insertion par l'économique", or two EI rows written "L EQUIPAGE"
    and "L'EQUIPAGE" are two entries, hence two establishments. Sources without a scheme
    field (a partner directory with typed-in duplicates) are not judged this way.
    """
    if not (a.scheme and b.scheme):
        return None
    if a.legal_form_text and b.legal_form_text and a.legal_form_text != b.legal_form_text:
        return "conflict:source-legal-form"
    if a.address_line and b.address_line and a.address_line != b.address_line:
        return "conflict:source-address"
    if a.scheme == b.scheme and a.row_text != b.row_text:
        return "conflict:source-scheme-repeat"
    return None


def compare_place(a: Features, b: Features) -> str:
    """same, same-department, other or unknown: INSEE codes first, then postcode or name."""
    if a.commune_code and b.commune_code:
        if a.commune_code == b.commune_code:
            return "same"
    elif (a.postcode and a.postcode == b.postcode) or (a.commune and a.commune == b.commune):
        return "same"
    elif not (a.postcode or a.commune) or not (b.postcode or b.commune):
        return "unknown"
    return "same-department" if a.department and a.department == b.department else "other"


def compare_address(a: Features, b: Features) -> str:
    """same, near (same street, other number), different or unknown (one side empty)."""
    if not a.street or not b.street:
        return "unknown"
    if a.street != b.street and fuzz.token_set_ratio(a.street, b.street) < STREET_SIMILARITY:
        return "different"
    if a.number and b.number and a.number != b.number:
        return "near"
    return "same"


def similar_names(a: Features, b: Features) -> bool:
    """True when the names, or a trading name and a name, are equal once numbers and the
    commune's words are set aside ("CAP INTERIM 62 ARRAS" ~ "CAP INTERIM").

    Containment is not enough: "CATM", "CATM EVENTS" and "CATM SECOND OEUVRE" are three
    companies at one address.
    """
    pairs = [
        (a.loose_name, b.loose_name),
        (a.loose_enseigne, b.loose_name),
        (a.loose_name, b.loose_enseigne),
    ]
    return any(left and left == right for left, right in pairs)


def compare(a: Features, b: Features, *, use_siret: bool) -> Comparison:
    """Compare two records field by field."""
    same_name = a.name_key == b.name_key
    if not (a.kind and b.kind):
        kind = "unknown"
    elif a.kind == b.kind:
        kind = "same"
    else:
        kind = "other" if kinds_compatible(a.kind, b.kind) else "incompatible"
    # Spelled out, not summed over a generator: compare runs once per candidate pair.
    contacts = (
        bool(a.phone and a.phone == b.phone)
        + bool(a.email and a.email == b.email)
        + bool(a.website and a.website == b.website)
    )
    return Comparison(
        same_name=same_name,
        similar_name=same_name or similar_names(a, b),
        place=compare_place(a, b),
        address=compare_address(a, b),
        kind=kind,
        contacts=contacts,
        other_phone=bool(a.phone and b.phone and a.phone != b.phone),
        conflict=conflict(a, b, use_siret=use_siret),
    )


def weigh(comparison: Comparison, sites: str | None) -> tuple[float, str]:
    """(match probability, rule) of a compared pair.

    `sites` is the group evidence for same-name pairs at one place whose addresses do not
    agree: 'one' when no source lists two sites there, 'several' otherwise, None if unused.
    """
    c = comparison
    x = PRIOR + (W_SAME_NAME if c.same_name else W_SIMILAR_NAME if c.similar_name else 0.0)
    x += W_PLACE[c.place]
    x += W_ADDRESS[c.address]
    if sites == "one":
        x += W_ONE_SITE_PER_SOURCE
    elif sites == "several":
        x += W_SEVERAL_SITES_IN_A_SOURCE
    if c.kind == "same":
        x += W_SAME_KIND
    elif c.kind == "other":
        # One establishment listed under two schemes: its second row was often typed apart
        # ("IMPULSION", trading name "Régie de Quartiers Impulsion", at the same address).
        x += W_OTHER_KIND
    elif c.kind == "incompatible":
        x += W_INCOMPATIBLE_KIND
    if c.same_name:
        # Sibling establishments often share the head office's phone and e-mail: contacts
        # only confirm records that already share a name.
        x += min(W_CONTACT * c.contacts, W_CONTACT_CAP) + (W_OTHER_PHONE if c.other_phone else 0)
    probability = 1.0 / (1.0 + math.exp(-x))
    name_rule = "name" if c.same_name else "similar-name"
    place_rule = "address" if c.address == "same" else "commune" if c.place == "same" else "other"
    return probability, f"{name_rule}+{place_rule}"
