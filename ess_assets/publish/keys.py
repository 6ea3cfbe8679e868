"""Asset keys of the publication steps, and where a publication is prepared before it goes out."""

from pathlib import Path

import dagster as dg

from ess_assets.publish.files import BASENAME

CANDIDATE = dg.AssetKey(["export", "candidate"])
EXPORT = dg.AssetKey(["export", BASENAME])
PARTNER_FEEDS = dg.AssetKey(["export", "partner_feeds"])
STAGING = ".next"


def staging_folder(export: Path) -> Path:
    """ESS_EXPORT_DIR/.next/: the candidate files, checked before they replace the published."""
    return export / STAGING
