"""Client of the Recherche d'entreprises API (annuaire des entreprises), for known SIREN/SIRET.

`GET {base}/search?q=<9 or 14 digits>` is a direct lookup: the API ignores every other filter
then. The answer is flattened into the few fields the enrichment uses; masked values
(`[NON-DIFFUSIBLE]`, `[ND]`) become None. The API allows about 7 calls per second and per IP and
answers 429 with `Retry-After` beyond: the session from `ess_assets.http` spaces and retries
the calls.
"""

import ast
import re
from typing import Any

import requests

from ess_assets.http import make_session

DEFAULT_BASE_URL = "https://recherche-entreprises.api.gouv.fr"
MASKED = frozenset({"[NON-DIFFUSIBLE]", "[ND]"})

UNIT_FIELDS = (
    "siren",
    "nom_complet",
    "nom_raison_sociale",
    "nature_juridique",
    "activite_principale",
    "tranche_effectif_salarie",
    "etat_administratif",
    "statut_diffusion",
)
COMPLEMENT_FIELDS = (
    "est_ess",
    "est_siae",
    "est_association",
    "identifiant_association",
    "est_societe_mission",
)
ESTABLISHMENT_FIELDS = (
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "etat_administratif",
    "statut_diffusion_etablissement",
    "liste_enseignes",
)


class RechercheEntreprisesError(RuntimeError):
    """The API could not be read: the message names the URL and what went wrong."""


def unmask(value: Any) -> Any:
    """None for a masked value (`[NON-DIFFUSIBLE]`, `[ND]`), the value otherwise."""
    return None if isinstance(value, str) and value.strip() in MASKED else value


def parse_type_siae(value: str | list | None) -> list[str]:
    """The SIAE kinds of `complements.type_siae`: "['ACI', 'AI']", "ACI" or a list -> a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(kind).strip() for kind in value if str(kind).strip()]
    text = value.strip()
    if text.startswith("["):
        try:
            return [str(kind).strip() for kind in ast.literal_eval(text) if str(kind).strip()]
        except (ValueError, SyntaxError):
            text = text.strip("[]")
    return [kind for kind in re.split(r"[\s,;'\"]+", text) if kind]


def as_float(value: Any) -> float | None:
    """The API gives coordinates as strings; None when absent, masked or not a number."""
    value = unmask(value)
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def flatten(unit: dict, siret: str | None = None) -> dict:
    """The fields we use from one result; establishment fields only when `siret` is given.

    Establishment fields are prefixed `etablissement_` where they clash with the legal unit's
    (`etablissement_etat_administratif`). A SIRET absent from `matching_etablissements` leaves
    them None rather than borrowing the head office's.
    """
    complements = unit.get("complements") or {}
    row: dict[str, Any] = {field: unmask(unit.get(field)) for field in UNIT_FIELDS}
    row |= {field: unmask(complements.get(field)) for field in COMPLEMENT_FIELDS}
    row["type_siae"] = parse_type_siae(unmask(complements.get("type_siae")))
    row["siret_siege"] = unmask((unit.get("siege") or {}).get("siret"))
    if siret is None:
        return row
    matching = [e for e in unit.get("matching_etablissements") or [] if e.get("siret") == siret]
    establishment = matching[0] if matching else {}
    for field in ESTABLISHMENT_FIELDS:
        key = "etablissement_etat_administratif" if field == "etat_administratif" else field
        row[key] = unmask(establishment.get(field))
    row["siret"] = siret if matching else None
    row["latitude"] = as_float(establishment.get("latitude"))
    row["longitude"] = as_float(establishment.get("longitude"))
    return row


class RechercheEntreprises:
    """Look up legal units and establishments by SIREN or SIRET.

    `base_url` defaults to the public API; `session` defaults to a retrying, rate-limited session
    (7 calls/s). Tests pass their own session or mock the transport.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or make_session(per_second=7)
        self.timeout = timeout

    def search(self, query: str) -> dict:
        """The raw JSON answer of `/search?q=query`; raises RechercheEntreprisesError."""
        url = f"{self.base_url}/search"
        try:
            response = self.session.get(url, params={"q": query}, timeout=self.timeout)
            response.raise_for_status()
        except requests.RequestException as error:
            raise RechercheEntreprisesError(f"GET {url}?q={query} failed: {error}") from error
        try:
            return response.json()
        except ValueError as error:
            raise RechercheEntreprisesError(
                f"GET {response.url} answered something that is not JSON "
                f"(status {response.status_code}, starts {response.text[:80]!r})"
            ) from error

    def lookup(self, siren_or_siret: str) -> dict | None:
        """The flattened fields of a SIREN (9 digits) or SIRET (14 digits); None when unknown.

        Spaces are ignored; anything else than 9 or 14 digits raises ValueError, since the API
        would then run a full-text search instead of a lookup.
        """
        identifier = re.sub(r"\s", "", siren_or_siret)
        if not re.fullmatch(r"\d{9}|\d{14}", identifier):
            raise ValueError(f"not a SIREN or SIRET (9 or 14 digits): {siren_or_siret!r}")
        answer = self.search(identifier)
        siren = identifier[:9]
        units = [unit for unit in answer.get("results") or [] if unit.get("siren") == siren]
        if not units:
            return None
        return flatten(units[0], identifier if len(identifier) == 14 else None)
