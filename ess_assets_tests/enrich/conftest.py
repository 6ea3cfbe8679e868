"""Fixtures of the enrichment tests: recorded HTTP answers and a mocked transport."""

import json
from pathlib import Path

import pytest
import responses

RECORDED = Path(__file__).resolve().parent.parent / "recorded"


@pytest.fixture
def recorded():
    """Read a recorded answer by its path under ess_assets_tests/recorded/ (JSON or text)."""

    def read(*parts: str):
        text = RECORDED.joinpath(*parts).read_text(encoding="utf-8")
        return json.loads(text) if parts[-1].endswith(".json") else text

    return read


@pytest.fixture
def mocked():
    """The `responses` mock of the HTTP transport: any unregistered call fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
