"""The outside services of the enrichment step, as one Dagster resource.

Each URL comes from settings.py (ESS_RECHERCHE_ENTREPRISES_URL, ESS_BAN_URL); unset means the
service is not called at all: SIRENE comes from the stock files and the lookup cache only,
coordinates from the sources, the geocoding cache and the town halls.
"""

import dagster as dg

from ess_assets.enrich.ban import BanGeocoder
from ess_assets.enrich.recherche import RechercheEntreprises
from ess_assets.http import make_session


class EnrichServices(dg.ConfigurableResource):
    """Clients of the Recherche d'entreprises API and of the BAN geocoder, when configured."""

    recherche_url: str | None = None
    recherche_per_second: float = 7.0
    ban_url: str | None = None

    def recherche(self) -> RechercheEntreprises | None:
        """The Recherche d'entreprises client, None when no URL is configured."""
        if not self.recherche_url:
            return None
        session = make_session(per_second=self.recherche_per_second)
        return RechercheEntreprises(self.recherche_url, session=session)

    def geocoder(self) -> BanGeocoder | None:
        """The BAN geocoder client, None when no URL is configured (cache-only mode)."""
        return BanGeocoder(self.ban_url) if self.ban_url else None
