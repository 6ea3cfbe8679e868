"""Phones, e-mails and websites, and the privacy rule for e-mails in the open export."""

import re
from urllib.parse import urlsplit

import phonenumbers

from ess_assets.normalise.names import fold

_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
)
_EMAIL_LIST_SEPARATORS = re.compile(r"[;,\s]+")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_NOT_LETTERS = re.compile(r"[^a-z]+")

# Words that name a function, a service or the organisation itself, never a person.
ROLE_WORDS = frozenset(
    """
    accueil achat achats aci adherents admin administratif administration agence asso
    association atelier ateliers benevolat benevoles bonjour boutique bureau candidature
    candidatures chantier chantiers client clientele clients com commande commandes commercial
    communication compta comptabilite comptable conseil contact contacts coordination courrier
    devis dg directeur direction directrice drh email emploi emplois entreprise equipe esat
    etti facturation factures formation formations geiq gestion hello info information
    informations infos insertion interim jardin jardins logistique magasin mail marches
    noreply office partenariat partenariats planning presidence president production qualite
    recrutement recyclerie ressourcerie restaurant rh rse scic scop secretaire secretariat
    service services siege standard support team traiteur tresorerie tresorier vente ventes
    webmaster
    """.split()  # noqa: SIM905 - a word list reads better as text than as 100 quoted strings
)
# Role words long enough to be recognised at the start of a glued token ('contactlyon').
_ROLE_PREFIXES = tuple(word for word in ROLE_WORDS if len(word) >= 5)

CONSUMER_DOMAINS = frozenset(
    """
    gmail.com googlemail.com orange.fr wanadoo.fr free.fr laposte.net sfr.fr neuf.fr cegetel.net
    club-internet.fr aliceadsl.fr alice.fr bbox.fr numericable.fr noos.fr voila.fr live.fr
    live.com msn.com icloud.com me.com mac.com aol.com aol.fr gmx.fr gmx.com protonmail.com
    proton.me tutanota.com
    """.split()  # noqa: SIM905
)
_CONSUMER_DOMAIN_FAMILIES = ("hotmail.", "outlook.", "yahoo.", "ymail.")


def phone_e164(raw: str | None, region: str = "FR") -> str | None:
    """A phone number in E.164 ('04.71.76.74.97' -> '+33471767497'), None when not a valid number.

    Validity is the numbering plan of `phonenumbers`: unassigned ranges (e.g. French numbers
    starting 04 00) are rejected, not only wrong lengths.
    """
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_email(raw: str | None) -> str | None:
    """The first well-formed address in `raw`, stripped and lower-cased, or None.

    A leading 'mailto:' is dropped; when a source packs several addresses in one cell
    ('a@x.fr; b@y.fr') the first well-formed one is kept.
    """
    if not raw:
        return None
    text = raw.strip().lower().removeprefix("mailto:")
    for candidate in _EMAIL_LIST_SEPARATORS.split(text):
        if _EMAIL.match(candidate) and ".." not in candidate:
            return candidate
    return None


def clean_website(raw: str | None) -> str | None:
    """A URL with a scheme ('www.example.org' -> 'https://www.example.org'), or None.

    None for empty text, text with inner spaces, e-mail addresses and hosts without a dot.
    The host is lower-cased; the path is kept as written.
    """
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    if re.search(r"\s", text) or "@" in text:
        return None
    if not re.match(r"^https?://", text, flags=re.IGNORECASE):
        text = "https://" + text.removeprefix("//")
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not _HOST.match(host):
        return None
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def is_consumer_domain(domain: str | None) -> bool:
    """True for mailbox providers of private persons (gmail.com, orange.fr, hotmail.*...)."""
    if not domain:
        return False
    name = domain.strip().lower().removeprefix("@")
    return name in CONSUMER_DOMAINS or name.startswith(_CONSUMER_DOMAIN_FAMILIES)


def _is_role_token(token: str) -> bool:
    return token in ROLE_WORDS or token.startswith(_ROLE_PREFIXES)


def is_personal_email(email: str | None) -> bool:
    """True unless the address is a role address: the privacy rule of the open export.

    Publishing rule (DOMAIN.md §8): an e-mail is published only when its local part names a
    function, not a person. The local part is split into tokens on anything but letters (dots,
    hyphens, underscores, digits); it is a role address when one token is a role word
    ('contact.lyon@', 'accueil-69@', 'direction@'), starts with a role word of five letters or
    more ('contactlyon@'), or when the local part is the organisation's own domain name
    ('cotiere-avenir@cotiere-avenir.fr'). Everything else counts as personal ('julie.leroy@',
    'ibernard@', 'jdupont69@'), whatever the domain: a first name at the organisation's domain
    identifies a person as much as one at gmail.com. An unreadable address also counts as
    personal, so that it is never published.
    """
    cleaned = clean_email(email)
    if cleaned is None:
        return True
    local_part, domain = cleaned.split("@")
    tokens = [token for token in _NOT_LETTERS.split(fold(local_part).lower()) if token]
    if any(_is_role_token(token) for token in tokens):
        return False
    organisation_labels = {_NOT_LETTERS.sub("", label) for label in domain.split(".")[:-1]}
    return not (tokens and "".join(tokens) in organisation_labels)
