"""Shared pieces of the fetch tests: a fast-retrying session and recorded answers."""

import json
from pathlib import Path

from ess_assets.http import make_session

RECORDED = Path(__file__).resolve().parent.parent / "recorded"


def recorded_page(service: str, number: int) -> dict:
    return json.loads((RECORDED / service / f"page{number}.json").read_text(encoding="utf-8"))


def fast_session():
    """A session with the product's retry policy, but no waiting between attempts."""
    return make_session(retries=2, backoff=0, timeout=2)
