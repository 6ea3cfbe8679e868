"""Cross-source matching: which records of partner lists are one establishment."""

from ess_assets.match.engine import MatchResult, match_records

__all__ = ["MatchResult", "match_records"]
