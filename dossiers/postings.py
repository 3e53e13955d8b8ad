"""Public postings: the period a posted list takes comments (its length is a rule of the round)."""

from datetime import date, timedelta


def posting_last_day(posted_on: date, days: int) -> date:
    """The last day of a posting period of `days` days; the posting day is its first."""
    return posted_on + timedelta(days=days - 1)
