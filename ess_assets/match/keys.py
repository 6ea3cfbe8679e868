"""Comparison keys: names, legal forms, structure kinds, addresses and communes, folded.

Every function here is pure and works on one string, so a reader can check it by hand. The
folding keeps what tells establishments apart: the legal form and the structure kind written
in a name are extracted into their own fields rather than thrown away, and street numbers
survive address folding.
"""

import re
import unicodedata
from functools import lru_cache

from ess_assets.match.vocabulary import (
    ARTICLES,
    KIND_FAMILY,
    KIND_TOKENS,
    LEADING_ONLY_FORMS,
    LEGAL_FAMILY,
    LEGAL_FORM_TOKENS,
    LEGAL_LABELS,
    SAINT_NAMES,
    STREET_TYPES,
    WORD_ABBREVIATIONS,
)

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")

_NUMBER = re.compile(r"^(\d+)\s*(BIS|TER|QUATER|[A-D](?![A-Z]))?\s*(.*)$")
_ADDRESS_NOISE = re.compile(r"\b(BP|CS|TSA)\s*\d+\b|\bCEDEX\b.*$")


def fold(text: str | None) -> str:
    """Upper case, accents stripped, every run of non-alphanumerics turned into one space."""
    if not text:
        return ""
    upper = text.upper()
    # ASCII text has no accents to strip (NFKD leaves it as it is): most names and addresses.
    if not upper.isascii():
        decomposed = unicodedata.normalize("NFKD", upper)
        upper = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", upper.replace("&", " ET ").replace("+", " PLUS ")).strip()


def _join_spelled_letters(tokens: list[str]) -> list[str]:
    """'S A S VITASERVICES' -> 'SAS VITASERVICES', only when the letters spell a legal form."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and len(tokens[j]) == 1 and tokens[j].isalpha():
            j += 1
        joined = "".join(tokens[i:j])
        if j - i >= 2 and joined in LEGAL_FORM_TOKENS:
            out.append(joined)
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=200_000)
def name_parts(name: str | None) -> tuple[str, str | None, str | None]:
    """(name key, legal form, structure kind) of a name.

    The key is the folded name without articles, legal-form tokens, kind tokens and a trailing
    "(LES)"; the legal form and kind are what those tokens said (None when absent).
    """
    tokens = _join_spelled_letters(fold(name).split())
    legal_form = None
    kinds: set[str] = set()
    kept: list[str] = []
    for position, token in enumerate(tokens):
        if (
            token in ("ST", "STE")
            and position + 1 < len(tokens)
            and (position > 0 or token == "ST" or tokens[1] in SAINT_NAMES)
        ):
            kept.append(WORD_ABBREVIATIONS[token])
        elif position == 0 and token in LEADING_ONLY_FORMS and len(tokens) > 1:
            legal_form = legal_form or LEADING_ONLY_FORMS[token]
        elif token in LEGAL_FORM_TOKENS and (token != "SA" or position in (0, len(tokens) - 1)):
            legal_form = legal_form or LEGAL_FORM_TOKENS[token]
        elif token in KIND_TOKENS and len(tokens) > 1:
            kinds.add(token)
        elif token not in ARTICLES and token != "ET":
            kept.append(token)
    key = " ".join(kept) or " ".join(tokens)
    # "ACI & EI REGAIN" names two schemes: no single kind can be read from it.
    return key, legal_form, kinds.pop() if len(kinds) == 1 else None


@lru_cache(maxsize=10_000)
def legal_form_of(label: str | None) -> str | None:
    """Legal-form code (ASSOC, SARL, SAS, SA, SCOP, SCIC, SNC, FONDATION, PUBLIC) of a label."""
    folded = fold(label) + " "
    if not folded.strip():
        return None
    if folded.strip() in LEGAL_FORM_TOKENS:
        return LEGAL_FORM_TOKENS[folded.strip()]
    for needle, code in LEGAL_LABELS:
        if needle in folded:
            return code
    return None


def legal_family(code: str | None) -> str | None:
    """Family of a legal-form code: ASSOCIATION, FONDATION, SOCIETE or PUBLIC."""
    return LEGAL_FAMILY.get(code) if code else None


def kinds_compatible(a: str, b: str) -> bool:
    """True when one establishment can hold both structure kinds (ACI and AI, say)."""
    return a == b or (a in KIND_FAMILY and KIND_FAMILY[a] == KIND_FAMILY.get(b))


def _expand(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(WORD_ABBREVIATIONS.get(token, token).split())
    return out


@lru_cache(maxsize=200_000)
def address_parts(address: str | None) -> tuple[str | None, str | None, str]:
    """(street number, street type, street key) of an address line.

    "62 Avenue DU GEN SARRAIL" -> ("62", "AVENUE", "GENERAL SARRAIL"). The number keeps its
    BIS/TER suffix; the street key has abbreviations expanded and articles removed.
    """
    return folded_address_parts(fold(address))


def folded_address_parts(folded_address: str) -> tuple[str | None, str | None, str]:
    """`address_parts` of an address line already folded by `fold`."""
    folded = _ADDRESS_NOISE.sub(" ", folded_address).strip()
    number = None
    match = _NUMBER.match(folded)
    if match and match.group(1):
        number = match.group(1).lstrip("0") + (match.group(2) or "")[:1]
        folded = match.group(3)
    tokens = folded.split()
    street_type = None
    if tokens and tokens[0] in STREET_TYPES and len(tokens) > 1:
        street_type = STREET_TYPES[tokens[0]]
        tokens = tokens[1:]
    tokens = [t for t in _expand(tokens) if t not in ARTICLES]
    return number, street_type, " ".join(tokens)


_ARRONDISSEMENT = re.compile(r"^(PARIS|LYON|MARSEILLE) \d+\s*(ER|E|EME)?$")


# Arrondissement codes of Paris, Lyon and Marseille, and the code of their commune.
_ARRONDISSEMENT_CODES = (("751", "75056"), ("6938", "69123"), ("132", "13055"))


def commune_code_key(code: str | None) -> str | None:
    """INSEE commune code with Paris, Lyon and Marseille arrondissements mapped to the commune."""
    code = (code or "").strip()
    if not code:
        return None
    for prefix, commune in _ARRONDISSEMENT_CODES:
        if code.startswith(prefix) and len(code) == 5:
            return commune
    return code


@lru_cache(maxsize=50_000)
def commune_key(commune: str | None) -> str:
    """Folded commune name: saints spelled out, CEDEX and arrondissement numbers dropped."""
    folded = re.sub(r"\bCEDEX\b.*$", "", fold(commune)).strip()
    folded = _ARRONDISSEMENT.sub(r"\1", folded)
    return " ".join(_expand([t for t in folded.split() if not t.isdigit()]))


_DIGITS = re.compile(r"\b\d+\b")


def loose_name_key(name_key: str, commune: str) -> str:
    """A name key without numbers, without the commune's words ("CAP INTERIM 62 ARRAS") and
    with plural words made singular ("REGIE QUARTIERS"): for names that differ in those only.
    """
    words = set(commune.split())
    tokens = (t for t in _DIGITS.sub(" ", name_key).split() if t not in words)
    return " ".join(t[:-1] if len(t) > 3 and t.endswith("S") else t for t in tokens)


def phone_key(phone: str | None) -> str | None:
    """The last nine digits of a phone number (drops +33 / 0 prefixes), or None."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-9:] if len(digits) >= 9 else None


def email_key(email: str | None) -> str | None:
    """The e-mail address lower-cased and trimmed, or None."""
    cleaned = (email or "").strip().lower()
    return cleaned if "@" in cleaned else None


def website_key(url: str | None) -> str | None:
    """The website host without scheme and 'www.', or None."""
    host = re.sub(r"^[a-z]+://", "", (url or "").strip().lower()).split("/")[0]
    host = host.removeprefix("www.")
    return host or None
