"""Partial dates: a year, a month or a day, each shown at its own precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
"""The JSON Schema's pattern of a date written as text."""
DATE_RULE = "expected a date written YYYY-MM-DD, YYYY-MM or YYYY"
"""What a date must look like, in `validate`'s words and the JSON Schema's."""
MONTHS = tuple(calendar.month_name)


class DateFormatError(ValueError):
    """A value that is not YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day. Sorts at the start of its period."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def sort_key(self) -> tuple[int, int, int, int]:
        """Start of the period first; among equal starts, the less precise first."""
        rank = {"year": 0, "month": 1, "day": 2}[self.precision]
        return (self.year, self.month or 1, self.day or 1, rank)

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def display(self, *, circa: bool = False) -> str:
        if self.day and self.month:
            text = f"{self.day} {MONTHS[self.month]} {self.year}"
        elif self.month:
            text = f"{MONTHS[self.month]} {self.year}"
        else:
            text = str(self.year)
        return f"c. {text}" if circa else text

    def timestamp(self, *, milliseconds: bool = False) -> str:
        """RFC 3339 time of the start of the period, in UTC (STIX wants the milliseconds)."""
        fraction = ".000" if milliseconds else ""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}T00:00:00{fraction}Z"

    def __str__(self) -> str:
        return self.iso()


def parse_date(value: Any) -> PartialDate:
    """What YAML makes of a written date (a date, a string or an integer) -> PartialDate."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        raise DateFormatError(f"a date has no time of day: write {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return PartialDate(value)
    if isinstance(value, str):
        match = _PATTERN.fullmatch(value)
        if match:
            return _checked(*(int(part) if part else None for part in match.groups()))
    raise DateFormatError(DATE_RULE)


def _checked(year: int | None, month: int | None, day: int | None) -> PartialDate:
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise DateFormatError(f"month {month:02d} does not exist")
    if day is not None and month is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateFormatError(f"{year:04d}-{month:02d} has no day {day:02d}") from None
    if year < 1:
        raise DateFormatError("year 0000 does not exist")
    return PartialDate(year, month, day)
