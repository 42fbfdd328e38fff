"""Dates written relative to a source: "last week", "in June", "yesterday", 지난주, вчора, в июне.

News copy dates events from the day it was published. Such a date means nothing on its own: it is resolved against
the event's first source's ``published`` date, to what the phrase means and never more precisely: "yesterday" is a
day, "last week" a circa range from Monday to Sunday, "in June" a month, "earlier this year" the year (not a range
from 1 January: the phrase says nothing of the day). The vocabulary is a small table of our own in English, Korean,
Ukrainian and Russian; a phrase it does not hold is refused rather than guessed at, and so is one whose meaning turns
on what the writer had in mind ("last Monday": of this week or the one before?).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from .dates import FORMS, DateError, PartialDate, Precision, When, parse_date
from .pickling import fast_pickle


class Unit(Enum):
    """What a phrase counts back in, and so the precision it resolves to."""

    DAY = "day"  # ``back`` days before the anchor
    WEEKDAY = "weekday"  # the latest such weekday (``back``: Monday 0) not after the anchor
    WEEK = "week"  # the week (Monday to Sunday) ``back`` weeks before the anchor's
    MONTH = "month"  # the month ``back`` months before the anchor's
    NAMED_MONTH = "named month"  # the latest such month (``back``: 1 to 12) not after the anchor's
    YEAR = "year"  # the year ``back`` years before the anchor's


# The precision an anchor needs for each unit: "yesterday" of a source dated only "November 2024" is no day at all.
NEEDS = {
    Unit.DAY: Precision.DAY, Unit.WEEKDAY: Precision.DAY, Unit.WEEK: Precision.DAY,
    Unit.MONTH: Precision.MONTH, Unit.NAMED_MONTH: Precision.MONTH, Unit.YEAR: Precision.YEAR,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Meaning:
    unit: Unit
    back: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class Relative:
    """A date as the writer wrote it relative to the first source, and what it was resolved against."""

    text: str  # the phrase as written: "last week"
    line: int  # the line of ``date:``, for messages
    anchor: PartialDate | None = None  # the first source's published date; None until resolved
    by: str | None = None  # that source's publisher, or its title when it names none
    circa: bool = False  # the note's own ``circa: true``, kept for the resolved date

    @property
    def pending(self) -> bool:
        return self.anchor is None


# ---- the vocabulary ------------------------------------------------------------------------------------------------

_FIXED: dict[str, Meaning] = {}


def _fixed(meaning: Meaning, *phrases: str) -> None:
    for phrase in phrases:
        _FIXED[_normal(phrase)] = meaning


def _normal(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces, no closing full stop; Korean without spaces (이번 주, 이번주)."""
    text = re.sub(r"[’ʼ`]", "'", " ".join(text.casefold().split())).rstrip(".")
    return text.replace(" ", "") if _HANGUL.search(text) else text


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[а-яіїєґ]")

_fixed(Meaning(Unit.DAY, 0), "today", "오늘", "сьогодні", "сегодня")
_fixed(Meaning(Unit.DAY, 1), "yesterday", "어제", "вчора", "учора", "вчера")
_fixed(Meaning(Unit.DAY, 2), "the day before yesterday", "그저께", "그제", "позавчора", "позавчера")
_fixed(Meaning(Unit.WEEK, 0), "this week", "earlier this week", "이번 주", "цього тижня", "на цьому тижні", "на этой неделе")
_fixed(Meaning(Unit.WEEK, 1), "last week", "지난주", "지난 주", "минулого тижня", "на минулому тижні", "на прошлой неделе")
_fixed(Meaning(Unit.MONTH, 0), "this month", "earlier this month", "이번 달", "цього місяця", "в этом месяце")
_fixed(Meaning(Unit.MONTH, 1), "last month", "지난달", "минулого місяця", "в прошлом месяце")
_fixed(Meaning(Unit.YEAR, 0), "this year", "earlier this year", "올해", "올해 초", "올초", "цього року", "на початку цього року",
       "на початку року", "в этом году", "в начале этого года", "в начале года")  # fmt: skip
_fixed(Meaning(Unit.YEAR, 1), "last year", "작년", "지난해", "минулого року", "торік", "в прошлом году")

_MONTHS = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"),
    "uk": ("січні", "лютому", "березні", "квітні", "травні", "червні", "липні", "серпні", "вересні", "жовтні", "листопаді", "грудні"),
    "ru": ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"),
}
_WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "uk": ("понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу", "неділю"),
    "ru": ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
for _m in range(12):
    _fixed(Meaning(Unit.NAMED_MONTH, _m + 1), f"in {_MONTHS['en'][_m]}", f"у {_MONTHS['uk'][_m]}", f"в {_MONTHS['uk'][_m]}",
           f"в {_MONTHS['ru'][_m]}", f"{_m + 1}월에", f"{_m + 1}월")  # fmt: skip
for _w in range(7):
    _fixed(Meaning(Unit.WEEKDAY, _w), f"on {_WEEKDAYS['en'][_w]}", f"у {_WEEKDAYS['uk'][_w]}", f"в {_WEEKDAYS['uk'][_w]}",
           f"в {_WEEKDAYS['ru'][_w]}", f"во {_WEEKDAYS['ru'][_w]}", _WEEKDAYS["ko"][_w], f"{_WEEKDAYS['ko'][_w]}에")  # fmt: skip

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "один": 1, "одна": 1, "одну": 1, "два": 2, "дві": 2, "две": 2, "три": 3, "чотири": 4, "четыре": 4, "п'ять": 5, "пять": 5,
    "шість": 6, "шесть": 6, "сім": 7, "семь": 7, "вісім": 8, "восемь": 8, "дев'ять": 9, "девять": 9, "десять": 10,
    "하루": 1, "이틀": 2, "사흘": 3, "나흘": 4,
}  # fmt: skip
_UNITS = {
    Unit.DAY: ("day", "days", "день", "дні", "днів", "дня", "дней", "일"),
    Unit.WEEK: ("week", "weeks", "тиждень", "тижні", "тижнів", "неделю", "недели", "недель", "주"),
    Unit.MONTH: ("month", "months", "місяць", "місяці", "місяців", "месяц", "месяца", "месяцев", "개월", "달"),
    Unit.YEAR: ("year", "years", "рік", "роки", "років", "год", "года", "лет", "년"),
}
_UNIT_OF = {word: unit for unit, words in _UNITS.items() for word in words}
# "two days ago", "2 дні тому", "неделю назад" (a lone unit counts one), "3일 전", "이틀 전" (Korean counts its own days)
_AGO = re.compile(r"(?:(?P<n>\d{1,4}|[^\W\d_][\w']*) ?)??(?P<unit>[^\W\d_]+) ?(?:ago|тому|назад|전)")


def meaning(text: str) -> Meaning | None:
    """What a phrase of the vocabulary means; None when it is not one."""
    normal = _normal(text)
    found = _FIXED.get(normal)
    if found is not None:
        return found
    match = _AGO.fullmatch(normal)
    if match is None:
        return None
    number, word = match["n"], match["unit"]
    if number is None and word in _NUMBERS and normal.endswith("전"):  # 이틀 전: Korean counts days in words of its own
        return Meaning(Unit.DAY, _NUMBERS[word])
    unit = _UNIT_OF.get(word)
    if unit is None or number is not None and not number.isdigit() and number not in _NUMBERS:
        return None
    if number is None and not _CYRILLIC.match(word):
        return None  # "неделю назад" counts one week; "week ago" and "주 전" are no phrases
    back = 1 if number is None else int(number) if number.isdigit() else _NUMBERS[number]
    return Meaning(unit, back) if back > 0 else None


def is_phrase(text: str) -> bool:
    return meaning(text) is not None


def cannot_read(text: str) -> str:
    """The message for words that are neither a date nor a phrase of the vocabulary."""
    return (f'cannot read "{text.strip()}" as a date or a date relative to the first source: use {FORMS}, '
            'or a phrase such as "last week", "in June" or "yesterday"')  # fmt: skip


def wordy(text: str) -> bool:
    """Whether a date that cannot be read is written in words (its message then names relative dates too)."""
    return bool(re.search(r"[^\W\d_]{2,}", text))


# ---- resolving ----------------------------------------------------------------------------------------------------


def resolve(phrase: str, anchor: PartialDate) -> When:
    """What a phrase means as of ``anchor`` (the first source's published date), at the phrase's own precision."""
    found = meaning(phrase)
    if found is None:
        raise DateError(cannot_read(phrase))
    needed = NEEDS[found.unit].name.lower()
    if not anchor.datable:
        raise DateError(f'"{phrase.strip()}" needs the first source published in a year from 1 to 9999, not {anchor.label()}: '
                        "write the date itself")  # fmt: skip
    if anchor.precision < NEEDS[found.unit]:
        raise DateError(f'"{phrase.strip()}" needs the first source\'s published date to the {needed}, not {anchor.label()}: '
                        f"add its {needed} to `published:`, or write the date itself")  # fmt: skip
    try:
        return _resolve(found, anchor)
    except (ValueError, OverflowError):
        raise DateError(f'"{phrase.strip()}" of {anchor.label()} falls before year 1: write the date itself') from None


def _resolve(found: Meaning, anchor: PartialDate) -> When:
    unit, back = found.unit, found.back
    if unit is Unit.YEAR:
        if anchor.year - back < 1:
            raise ValueError("before year 1")
        return When(PartialDate(anchor.year - back))
    assert anchor.month is not None
    if unit is Unit.MONTH:
        index = anchor.year * 12 + anchor.month - 1 - back
        if index < 12:
            raise ValueError("before year 1")
        return When(PartialDate(index // 12, index % 12 + 1))
    if unit is Unit.NAMED_MONTH:
        year = anchor.year if back <= anchor.month else anchor.year - 1
        if year < 1:
            raise ValueError("before year 1")
        return When(PartialDate(year, back))
    assert anchor.day is not None
    day = dt.date(anchor.year, anchor.month, anchor.day)
    if unit is Unit.DAY:
        return When(_day(day - dt.timedelta(days=back)))
    if unit is Unit.WEEKDAY:
        return When(_day(day - dt.timedelta(days=(day.weekday() - back) % 7)))
    monday = day - dt.timedelta(days=day.weekday() + 7 * back)
    last = min(monday + dt.timedelta(days=6), day)  # "this week" runs up to the anchor, not past it
    return When(_day(monday), None if last == monday else _day(last), circa=True)


def _day(day: dt.date) -> PartialDate:
    return PartialDate(day.year, day.month, day.day)


# ---- what the records and the model need ---------------------------------------------------------------------------


def read(value: object) -> PartialDate | str:
    """A ``date:`` as written: a date, or a phrase of the vocabulary (kept as written, to resolve once the anchor is
    known). Plain bad dates keep the message of ``dates``; words get one that names relative dates too."""
    try:
        return parse_date(value)
    except DateError as exc:
        if isinstance(value, str) and is_phrase(value):
            return value.strip()
        if isinstance(value, str) and wordy(value) and str(exc).startswith("cannot read date"):  # not "impossible date"
            raise DateError(cannot_read(value)) from None
        raise


# An unresolved relative date's ``when`` in a record: the model always replaces it (``model.timeline_of``) or
# reports the event and leaves it out, so no page, feed or export ever shows it.
PENDING = When(PartialDate(1))
