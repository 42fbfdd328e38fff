"""Dates as writers know them: to the year, month, day or minute, maybe circa, maybe a range, in any year.

Precision is never invented: "2024" stays a year, it does not become 1 January 2024.

Years are numbered as historians and TimelineJS number them: 1 is 1 CE, -1 is 1 BCE, -753 is 753 BCE, and there
is no year 0. ISO 8601 numbers years astronomically (year 0 is 1 BCE), so ``iso()`` writes -753 as "-0752"; a
year of TimelineJS is a year here, unchanged, so nothing moves by a year on its way in or out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import IntEnum

from .pickling import fast_pickle

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

FORMS = (
    "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00), "
    "or a year such as -753, 753 BCE or 13.8 billion years ago"
)

# Years from which a date reads as "years ago" rather than BCE: at this distance the two differ by nothing a reader
# could tell, and "13.8 billion years ago" is how such dates are written.
DEEP = 1_000_000
_SCALES = {"million": 10**6, "billion": 10**9}

_PATTERN = re.compile(
    r"(?P<year>-\d+|\d{4,})"
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
    def datable(self) -> bool:
        """Whether the date lies in years 1 to 9999, where calendars, feeds and HTML ``datetime`` can hold it."""
        return 1 <= self.year <= 9999

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
        """ISO 8601 at the date's own precision (a valid HTML ``datetime`` value when ``datable``), its years
        astronomical: 1 BCE is "0000", 753 BCE is "-0752" (ISO's expanded form, signed, as is any year past 9999)."""
        year = astronomical(self.year)
        text = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+05d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None and self.minute is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset is not None:
                text += format_offset(self.offset)
        return text

    def written(self) -> str:
        """The date as front-matter writes it, to read back as the same date: ISO 8601 within years 1 to 9999, else
        with the year as this tool numbers it ("753 BCE", "-44-03-15", "12345"), as ISO's "-0752" is refused."""
        if self.datable:
            return self.iso()
        rest = self.iso()[len(PartialDate(self.year).iso()) :]
        return year_label(self.year) if self.year < 1 and not rest else f"{self.year}{rest}"

    def label(self) -> str:
        """How a reader sees it: "2024", "June 2024", "6 November 2024", "6 November 2024, 14:30 UTC+09:00",
        "753 BCE", "13.8 billion years ago"."""
        if self.month is None:
            return year_label(self.year)
        month_year = f"{MONTHS[self.month - 1]} {year_label(self.year)}"
        if self.day is None:
            return month_year
        text = f"{self.day} {month_year}"
        if self.hour is not None and self.minute is not None:
            text += f", {self.hour:02d}:{self.minute:02d}"
            if self.second:
                text += f":{self.second:02d}"
            if self.offset is not None:
                text += " UTC" + ("" if self.offset == 0 else format_offset(self.offset))
        return text

    def day_number(self) -> int:
        """The number of the first day the date may mean, counted in the proleptic Gregorian calendar across any year
        (1 January 1 CE is day 1), for lengths and comparisons where ``datetime`` cannot go."""
        return _days_before(astronomical(self.year)) + _days_before_month(self.year, self.month or 1) + (self.day or 1)

    def last_day_number(self) -> int:
        """The number of the last day the date may mean (see ``day_number``)."""
        month = self.month or 12
        return _days_before(astronomical(self.year)) + _days_before_month(self.year, month) + (
            self.day or days_in_month(self.year, month)
        )

    def earliest(self) -> dt.datetime:
        """The first instant the date may mean, in UTC (floating times are read as UTC); only for ``datable`` dates."""
        moment = dt.datetime(
            self.year, self.month or 1, self.day or 1,
            self.hour or 0, self.minute or 0, self.second or 0, tzinfo=dt.UTC,
        )  # fmt: skip
        return moment - dt.timedelta(minutes=self.offset or 0)

    def latest(self) -> dt.datetime:
        """The last instant the date may mean, in UTC; only for ``datable`` dates."""
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
        if value == 0:
            raise DateError(NO_YEAR_0.format(text=0))
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
        era = _ERA.fullmatch(text)
        if era is not None:
            return _from_era(text, era)
        raise DateError(f'cannot read date "{text}": use {FORMS}')
    return _from_match(text, match)


def parse_when(start: object, end: object = None, circa: bool = False) -> When:
    """Build a When, checking that a range does not end before it starts."""
    first = parse_date(start)
    last = None if end is None else parse_date(end)
    if last is not None and _ends_before(last, first):
        raise DateError(f'end "{_written(last)}" is before date "{_written(first)}"')
    return When(first, last, circa)


NO_YEAR_0 = 'impossible date "{text}": there is no year 0 (1 BCE is -1, 1 CE is 1)'

_ERA = re.compile(
    r"(?:(?P<number>\d[\d,]*)\s*(?P<era>BCE|BC|CE|AD)|AD\s*(?P<ad>\d[\d,]*)"
    r"|(?P<ago>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion)\s+years\s+ago)",
    re.IGNORECASE,
)


def _from_era(text: str, match: re.Match[str]) -> PartialDate:
    """A year written with its era ("753 BCE", "AD 79") or as "N million/billion years ago"."""
    if match["ago"] is not None:
        try:
            years = Decimal(match["ago"].replace(",", "")) * _SCALES[match["scale"].lower()]
        except InvalidOperation:
            raise DateError(f'cannot read date "{text}"') from None
        if years == 0:
            raise DateError(NO_YEAR_0.format(text=text))
        if years != years.to_integral_value():
            raise DateError(f'cannot read date "{text}": it is not a whole number of years')
        return PartialDate(-int(years))
    year = int((match["number"] or match["ad"]).replace(",", ""))
    if year == 0:
        raise DateError(NO_YEAR_0.format(text=text))
    return PartialDate(-year if (match["era"] or "").upper() in ("BCE", "BC") else year)


def astronomical(year: int) -> int:
    """A historian's year as ISO 8601 and astronomers number it: 1 BCE is 0, 753 BCE is -752."""
    return year + 1 if year < 0 else year


def year_label(year: int) -> str:
    """A year as a reader sees it: "2024", "753 BCE", "12,000 BCE", "13.8 billion years ago"."""
    if year > 9999:
        return f"{year:,}"
    if year > 0:
        return str(year)
    if -year >= DEEP:
        scale, size = ("billion", 10**9) if -year >= 10**9 else ("million", 10**6)
        number = format(Decimal(-year) / size, "f")
        number = number.rstrip("0").rstrip(".") if "." in number else number
        return f"{number} {scale} years ago"
    return f"{-year:,} BCE" if -year > 9999 else f"{-year} BCE"


def days_in_month(year: int, month: int) -> int:
    """Days in a month of any year, proleptic Gregorian (leap years counted astronomically, so 1 BCE is leap)."""
    if month == 2:
        return 29 if _leap(astronomical(year)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_before(year: int) -> int:
    """Days from 1 January 1 CE to 1 January of an astronomical year (negative before it)."""
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400


def _days_before_month(year: int, month: int) -> int:
    return sum(days_in_month(year, m) for m in range(1, month))


def _ends_before(end: PartialDate, start: PartialDate) -> bool:
    """Whether the last instant ``end`` may mean comes before the first ``start`` may mean."""
    if end.datable and start.datable:
        return end.latest() < start.earliest()
    if end.last_day_number() != start.day_number():
        return end.last_day_number() < start.day_number()
    if end.minute is None or start.minute is None or end.hour is None or start.hour is None:
        return False
    return end.hour * 60 + end.minute - (end.offset or 0) < start.hour * 60 + start.minute - (start.offset or 0)


def _written(date: PartialDate) -> str:
    return date.iso() if date.datable else date.label()


def _from_match(text: str, match: re.Match[str]) -> PartialDate:
    year = int(match["year"])
    if year == 0:
        raise DateError(NO_YEAR_0.format(text=text))
    if match["year"].startswith("-0"):
        raise DateError(
            f'ambiguous date "{text}": ISO 8601 reads it as {year_label(year - 1)}, this tool as {year_label(year)} '
            f"(here -1 is 1 BCE and there is no year 0); write {year_label(year)} or {year_label(year - 1)}"
        )
    month = None if match["month"] is None else int(match["month"])
    if month is not None and not 1 <= month <= 12:
        raise DateError(f'impossible date "{text}": month {month} does not exist')
    day = None if match["day"] is None else int(match["day"])
    if day == 0:
        raise DateError(f'impossible date "{text}": day 0 does not exist')
    if day is not None and month is not None:
        last = days_in_month(year, month)
        if day > last:
            raise DateError(f'impossible date "{text}": {MONTHS[month - 1]} {year_label(year)} has {last} days')
    hour = None if match["hour"] is None else int(match["hour"])
    minute = None if match["minute"] is None else int(match["minute"])
    second = None if match["second"] is None else int(match["second"])
    if hour is not None and (hour > 23 or (minute or 0) > 59 or (second or 0) > 59):
        raise DateError(f'impossible time in "{text}"')
    offset = _parse_offset(text, match["offset"])
    return _in_range(text, PartialDate(year, month, day, hour, minute, second or None, offset))


def _in_range(text: str, date: PartialDate) -> PartialDate:
    """Reject a moment that its offset moves outside years 1 to 9999 in UTC, where comparisons would overflow."""
    if date.offset is not None and not date.datable:
        raise DateError(f'impossible date "{text}": a UTC offset needs a year from 1 to 9999')
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


def format_offset(offset: int) -> str:
    """Minutes east of UTC as ISO 8601 writes them: +09:00, -05:30."""
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _zone(date: PartialDate) -> str:
    return "" if date.offset is None else " UTC" + ("" if date.offset == 0 else format_offset(date.offset))


def _range_label(start: PartialDate, end: PartialDate) -> str:
    same_precision = start.precision == end.precision
    if same_precision and start.precision is Precision.YEAR:
        if start.year > 0 or end.year < 0 and -start.year < DEEP:
            suffix = " BCE" if end.year < 0 else ""
            return f"{year_label(start.year).removesuffix(suffix)}–{year_label(end.year)}"
        if start.year < 0 < end.year:
            return f"{year_label(start.year)} – {year_label(end.year)} CE"
        return f"{year_label(start.year)} – {year_label(end.year)}"
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
