"""Dates as writers know them: to the year, month, day or minute, maybe circa, maybe a range.

Precision is never invented: "2024" stays a year, it does not become 1 January 2024.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

from .pickling import fast_pickle

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00)"

_PATTERN = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-(?P<month>\d{1,2})"
    r"(?:-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?"
    r")?)?)?"
)


class DateError(ValueError):
    """A date a writer wrote that cannot be read or cannot exist; the message says which."""


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4


@fast_pickle
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to some precision; finer fields are None, never guessed."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset: int | None = None  # minutes east of UTC; None when the writer gave none

    @property
    def precision(self) -> Precision:
        if self.minute is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Less precise sorts first: 2024 < June 2024 < 3 June 2024 < 3 June 2024 00:00."""
        time = -1 if self.hour is None or self.minute is None else self.hour * 60 + self.minute
        return (self.year, self.month or 0, self.day or 0, time, self.second or 0)

    def iso(self) -> str:
        """ISO 8601 at the date's own precision; also a valid HTML ``datetime`` value."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None and self.minute is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset is not None:
                text += _format_offset(self.offset)
        return text

    def label(self) -> str:
        """How a reader sees it: "2024", "June 2024", "6 November 2024", "6 November 2024, 14:30 UTC+09:00"."""
        if self.month is None:
            return str(self.year)
        month_year = f"{MONTHS[self.month - 1]} {self.year}"
        if self.day is None:
            return month_year
        text = f"{self.day} {month_year}"
        if self.hour is not None and self.minute is not None:
            text += f", {self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset is not None:
                text += " UTC" + ("" if self.offset == 0 else _format_offset(self.offset))
        return text

    def earliest(self) -> dt.datetime:
        """The first instant the date may mean, in UTC (floating times are read as UTC)."""
        moment = dt.datetime(
            self.year, self.month or 1, self.day or 1,
            self.hour or 0, self.minute or 0, self.second or 0, tzinfo=dt.UTC,
        )  # fmt: skip
        return moment - dt.timedelta(minutes=self.offset or 0)

    def latest(self) -> dt.datetime:
        """The last instant the date may mean, in UTC."""
        if self.month is None:
            end = dt.datetime(self.year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
        elif self.day is None:
            last = calendar.monthrange(self.year, self.month)[1]
            end = dt.datetime(self.year, self.month, last, 23, 59, 59, tzinfo=dt.UTC)
        else:
            return self.earliest() if self.minute is not None else self.earliest() + dt.timedelta(
                hours=23, minutes=59, seconds=59
            )
        return end


@fast_pickle
@dataclass(frozen=True, slots=True)
class When:
    """When an event happened: a start, an optional end, and whether it is approximate."""

    start: PartialDate
    end: PartialDate | None = None
    circa: bool = False

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        return self.start.sort_key

    @property
    def precision(self) -> Precision:
        return self.start.precision

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def month(self) -> int | None:
        return self.start.month

    def label(self) -> str:
        """Human display, with ranges sharing what their ends share: "5–7 November 2024"."""
        prefix = "c. " if self.circa else ""
        if self.end is None or self.end == self.start:
            return prefix + self.start.label()
        return prefix + _range_label(self.start, self.end)

    def iso(self) -> str:
        """ISO 8601; a range as ``start/end``."""
        if self.end is None:
            return self.start.iso()
        return f"{self.start.iso()}/{self.end.iso()}"


def parse_date(value: object) -> PartialDate:
    """Read a date as written in front-matter (string, or the int/date/datetime YAML may produce)."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, bool):
        raise DateError(f"cannot read date {value!r}: use {FORMS}")
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise DateError(f"year {value} is out of range (1 to 9999)")
        return PartialDate(value)
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        return _in_range(value.isoformat(), PartialDate(
            value.year, value.month, value.day, value.hour, value.minute, value.second or None,
            None if offset is None else int(offset.total_seconds() // 60),
        ))  # fmt: skip
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateError(f"cannot read date {value!r}: use {FORMS}")
    text = value.strip()
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise DateError(f'cannot read date "{text}": use {FORMS}')
    return _from_match(text, match)


def parse_when(start: object, end: object = None, circa: bool = False) -> When:
    """Build a When, checking that a range does not end before it starts."""
    first = parse_date(start)
    last = None if end is None else parse_date(end)
    if last is not None and last.latest() < first.earliest():
        raise DateError(f'end "{last.iso()}" is before date "{first.iso()}"')
    return When(first, last, circa)


def _from_match(text: str, match: re.Match[str]) -> PartialDate:
    year = int(match["year"])
    if year == 0:
        raise DateError(f'impossible date "{text}": there is no year 0')
    month = None if match["month"] is None else int(match["month"])
    if month is not None and not 1 <= month <= 12:
        raise DateError(f'impossible date "{text}": month {month} does not exist')
    day = None if match["day"] is None else int(match["day"])
    if day == 0:
        raise DateError(f'impossible date "{text}": day 0 does not exist')
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if day > last:
            raise DateError(f'impossible date "{text}": {MONTHS[month - 1]} {year} has {last} days')
    hour = None if match["hour"] is None else int(match["hour"])
    minute = None if match["minute"] is None else int(match["minute"])
    second = None if match["second"] is None else int(match["second"])
    if hour is not None and (hour > 23 or (minute or 0) > 59 or (second or 0) > 59):
        raise DateError(f'impossible time in "{text}"')
    offset = _parse_offset(text, match["offset"])
    return _in_range(text, PartialDate(year, month, day, hour, minute, second or None, offset))


def _in_range(text: str, date: PartialDate) -> PartialDate:
    """Reject a moment that its offset moves outside years 1 to 9999 in UTC, where comparisons would overflow."""
    if date.offset:
        try:
            date.earliest()
        except OverflowError:
            raise DateError(f'impossible date "{text}": in UTC it falls outside years 1 to 9999') from None
    return date


def _parse_offset(text: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    if raw == "Z":
        return 0
    digits = raw[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise DateError(f'impossible UTC offset "{raw}" in "{text}"')
    total = hours * 60 + minutes
    return -total if raw[0] == "-" else total


def _format_offset(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _zone(date: PartialDate) -> str:
    return "" if date.offset is None else " UTC" + ("" if date.offset == 0 else _format_offset(date.offset))


def _range_label(start: PartialDate, end: PartialDate) -> str:
    same_precision = start.precision == end.precision
    if same_precision and start.precision is Precision.YEAR:
        return f"{start.year}–{end.year}"
    if same_precision and start.precision is Precision.MINUTE and start.offset == end.offset and (
        (start.year, start.month, start.day) == (end.year, end.month, end.day)
    ):
        return f"{start.label().removesuffix(_zone(start))}–{end.label().split(', ', 1)[1]}"
    if same_precision and start.month is not None and start.year == end.year:
        if start.precision is Precision.MONTH:
            return f"{MONTHS[start.month - 1]}–{end.label()}"
        if start.precision is Precision.DAY and start.month == end.month:
            return f"{start.day}–{end.label()}"
        if start.precision is Precision.DAY:
            return f"{start.day} {MONTHS[start.month - 1]} – {end.label()}"
    return f"{start.label()} – {end.label()}"
