"""The site's language: interface strings from the gettext catalogs in ``builder/locale/``, and dates, numbers and
plurals from CLDR (Babel). The only Babel and gettext user. Messages in the terminal stay English; everything a
reader sees goes through a ``Language``.

A catalog is a ``.po`` file compiled to ``.mo`` beside it (``make translations``); both are kept in the repository,
so a build needs no compile step, and a test holds each ``.mo`` to its ``.po``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gettext
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import babel
import babel.dates
import babel.numbers
from babel.messages.extract import extract_javascript

from .dates import DEEP, PartialDate, Precision, When, astronomical

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def foreign(lang: str | None, tag: str) -> str | None:
    """A note's language where it is not the site's (``tag``): the ``lang`` its words are marked with, else None."""
    return lang if lang and lang.casefold() != tag.casefold() else None


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is written, to be translated where it is shown."""
    return message


@cache
def own_name(tag: str) -> str:
    """A language's name in its own words ("한국어", "English"), for a switcher between languages."""
    locale = parse_tag(tag)
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


class UnknownLanguage(ValueError):
    """A language tag that is not BCP 47, or that CLDR does not know."""


def catalogs() -> list[str]:
    """The languages the interface is translated into (those with a catalog), sorted."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def parse_tag(tag: str) -> babel.Locale:
    """A BCP 47 tag ("en", "en-GB", "zh-Hant-TW", "uk") as a CLDR locale; UnknownLanguage when CLDR has none."""
    try:
        return babel.Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise UnknownLanguage(f'"{tag}" is not a language CLDR knows (a BCP 47 tag such as "en", "en-GB", "ko", "uk")') from exc


def has_catalog(tag: str) -> bool:
    """Whether the interface has a catalog for the language, or for its language without region or script."""
    locale = parse_tag(tag)
    return any((LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file() for name in _candidates(locale))


def _candidates(locale: babel.Locale) -> list[str]:
    """The catalogs to look for, most specific first: "pt_BR", then "pt"."""
    names = [str(locale), f"{locale.language}_{locale.territory}" if locale.territory else "", locale.language]
    return [name for name in dict.fromkeys(names) if name]


@cache
def language(tag: str) -> Language:
    """The language of a site, made once per tag; a tag without a catalog keeps English interface strings."""
    locale = parse_tag(tag)
    translations: gettext.NullTranslations
    try:
        translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=_candidates(locale))
    except OSError:
        translations = gettext.NullTranslations()
    return Language(tag, locale, translations)


@dataclass(frozen=True, eq=False)
class Language:
    """How one language writes the interface, numbers, plurals and dates."""

    tag: str
    locale: babel.Locale
    translations: gettext.NullTranslations

    @property
    def direction(self) -> str:
        """ "rtl" or "ltr", for ``<html dir>``."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    # Interface strings. ``%(num)s`` in a plural message is the count as the language writes numbers.

    def gettext(self, message: str, **values: Any) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int | float, **values: Any) -> str:
        text = self.translations.ngettext(singular, plural, n if isinstance(n, int) else 2)
        return text % {"num": self.number(n), **values}

    def pgettext(self, context: str, message: str, **values: Any) -> str:
        text = self.translations.pgettext(context, message)
        return text % values if values else text

    def name_of(self, tag: str) -> str:
        """Another language's name in this one's words ("영어" for "en" in Korean)."""
        return parse_tag(tag).get_display_name(self.locale) or tag

    @cache  # noqa: B019 (counts repeat on every page: each is written once)
    def number(self, n: int | float | Decimal) -> str:
        """A number with the language's grouping and decimal signs ("1,234", "1 234", "1.234,5")."""
        with decimal.localcontext() as context:  # Babel rounds in the current context: let it hold any year
            context.prec = max(context.prec, len(str(n)) + 4)
            return babel.numbers.format_decimal(n, locale=self.locale)

    def plural_category(self, n: int | float) -> str:
        """CLDR's plural category of a count ("one", "few", "many", "other"), as ``Intl.PluralRules`` gives it."""
        return str(self.locale.plural_form(n))

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A plural message in each of the language's CLDR categories, for the browser to choose among with
        ``Intl.PluralRules``: the catalog's form for a count of that category, ``%(num)s`` left in place. gettext
        counts whole numbers only; a category only fractions fall in (Ukrainian "other": 1,5) takes the form of 2."""
        forms = {}
        for n in (*range(201), 1000, 10**6, 0.5, 1.5):
            category = self.plural_category(n)
            if category not in forms:
                forms[category] = self.translations.ngettext(singular, plural, n if isinstance(n, int) else 2)
        return forms

    # Dates, at any precision and in any year.

    def month_abbreviation(self, month: int) -> str:
        """A month's short name standing alone, as under a strip's bars: "Jan", "1월", "січ."."""
        return str(babel.dates.get_month_names("abbreviated", "stand-alone", locale=self.locale)[month])

    @cache  # noqa: B019 (a Language lives as long as the process: each date is written once)
    def year(self, year: int) -> str:
        """A year alone: "2024", "2024년", "753 BCE", "13.8 billion years ago"."""
        if year < 0 and -year >= DEEP:
            return self.years_ago(-year)
        return self._apply(self._pattern("y"), PartialDate(year))

    def years_ago(self, years: int) -> str:
        """Deep time, in the language's own large numbers: "13.8 billion years ago", "138억 년 전"."""
        return self.translations.ngettext("%(num)s year ago", "%(num)s years ago", years) % {"num": self.exact(years)}

    def years(self, n: int, figures: int | None = None) -> str:
        """A count of years: "3 years", "10,000 years"; from a million on in the language's words for large numbers,
        exact or to ``figures`` significant figures ("13.7 billion years", "137억 년"), as deep time is known."""
        if n < DEEP:
            return self.ngettext("%(num)s year", "%(num)s years", n)
        if figures is None:
            return self.ngettext("%(num)s year", "%(num)s years", n, num=self.exact(n))
        places = max(0, figures - len(str(n // (10**9 if n >= 10**9 else 10**6))))
        return self.ngettext("%(num)s year", "%(num)s years", n, num=self.compact(n, places))

    def exact(self, n: int) -> str:
        """A count of a million or more in the language's words for large numbers, to its last digit: deep time's
        years are counted, not rounded ("12.345678901 billion", "123.45678901억")."""
        return self.compact(n, len(str(n)))  # decimals enough for any unit CLDR counts in; trailing zeros are dropped

    def compact(self, n: int, places: int) -> str:
        """A large number in the language's words for large numbers, to ``places`` decimals at most: "13.8 billion",
        "138억", "13,8 мільярда"."""
        with decimal.localcontext() as context:
            context.prec = max(context.prec, len(str(n)) + places + 4)
            return babel.numbers.format_compact_decimal(n, format_type="long", fraction_digits=places, locale=self.locale)

    @cache  # noqa: B019 (a Language lives as long as the process: each date is written once)
    def date(self, date: PartialDate) -> str:
        """A date at its precision: "2024", "November 2024", "6 November 2024", "2024년 11월 6일", with its time."""
        if date.month is None:
            return self.year(date.year)
        if date.day is None:
            return self._apply(self._pattern("yMMMM"), date)
        text = self._apply(self._pattern("yMMMMd"), date)
        if date.hour is None or date.minute is None:
            return text
        time = self._apply(self._pattern("Hms" if date.second else "Hm"), date) + _zone(date)
        return str(self.locale.datetime_formats["medium"]).replace("{1}", text).replace("{0}", time)

    @cache  # noqa: B019 (a Language lives as long as the process: each date is written once)
    def when(self, when: When) -> str:
        """A date or a range, the range's ends sharing what they share ("5–7 November 2024"), circa marked."""
        start, end = when.start, when.end
        text = self.date(start) if end is None or end == start else self._range(start, end)
        return self.gettext("c. %(date)s", date=text) if when.circa else text

    def _range(self, start: PartialDate, end: PartialDate) -> str:
        skeleton = {Precision.YEAR: "y", Precision.MONTH: "yMMMM", Precision.DAY: "yMMMMd"}.get(start.precision)
        same_era = (start.year > 0) == (end.year > 0) and -start.year < DEEP
        if skeleton and start.precision == end.precision and same_era:
            halves = self._interval(skeleton, _greatest_difference(start, end))
            if halves:
                return self._apply(halves[0], start) + self._apply(halves[1], end)
        later = self.date(end)
        if start.year < 0 < end.year and end.month is None:  # "753 BCE – 476 CE": a year alone after BCE says it is CE
            later = self.gettext("%(year)s CE", year=later)
        return str(self.locale.interval_formats.get(None, "{0} – {1}")).replace("{0}", self.date(start)).replace("{1}", later)

    @cache  # noqa: B019 (a Language lives as long as the process, one per tag)
    def _pattern(self, skeleton: str) -> str:
        skeletons = self.locale.datetime_skeletons
        if skeleton in skeletons:
            return str(skeletons[skeleton])
        match = babel.dates.match_skeleton(skeleton, skeletons.keys())
        return _widen(str(skeletons[match]), skeleton) if match else skeleton

    @cache  # noqa: B019
    def _interval(self, skeleton: str, field: str | None) -> tuple[str, str] | None:
        """The two halves of CLDR's interval format for a skeleton, where the ends first differ in ``field``; the
        abbreviated month's format widened to the full month where CLDR gives none for it."""
        if field is None:
            return None
        formats = self.locale.interval_formats
        widened = skeleton.replace("MMMM", "MMM")
        for name in (skeleton, widened):
            if name in formats and field in formats[name]:
                first, second = formats[name][field]
                return _widen(first, skeleton), _widen(second, skeleton)
        return None

    def _apply(self, pattern: str, date: PartialDate) -> str:
        return str(babel.dates.parse_pattern(pattern).format) % _Fields(date, self)


def span_label(when: When, lang: Language | None = None) -> str | None:
    """How long a range lasts, at the precision of its less precise end: "3 days", "5 months", "3 years"; a circa
    range's ends are approximate, so its length is too: "about 3 months". In ``lang``, by default English."""
    lang = lang or language("en")
    length = _span_length(when.start, when.end, lang)
    return lang.gettext("about %(length)s", length=length) if length and when.circa else length


def _span_length(start: PartialDate, end: PartialDate | None, lang: Language) -> str | None:
    if end is None or end == start:
        return None
    if start.month is None or end.month is None:
        years = _years_apart(start, end) + 1
        return lang.years(years, figures=3) if years > 1 else None
    if start.day is None or end.day is None:
        months = _years_apart(start, end) * 12 + end.month - start.month + 1
        if months >= 24:
            return lang.years(months // 12, figures=3)
        return lang.ngettext("%(num)s month", "%(num)s months", months) if months > 1 else None
    days = end.day_number() - start.day_number() + 1
    if days > 1:
        if days < 60:
            return lang.ngettext("%(num)s day", "%(num)s days", days)
        if days < 730:
            return lang.ngettext("%(num)s month", "%(num)s months", round(days / 30.44))
        return lang.years(round(days / 365.25), figures=3)
    if start.minute is None or end.minute is None or start.hour is None or end.hour is None:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) + ((start.offset or 0) - (end.offset or 0))
    if minutes <= 0:
        return None
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return lang.gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)
    return lang.gettext("%(hours)s h", hours=hours) if hours else lang.gettext("%(minutes)s min", minutes=rest)


def _years_apart(start: PartialDate, end: PartialDate) -> int:
    """Years from one date's year to another's, counted astronomically: 1 BCE to 1 CE is one year, there being no year 0."""
    return astronomical(end.year) - astronomical(start.year)


def _greatest_difference(start: PartialDate, end: PartialDate) -> str | None:
    if start.year != end.year:
        return "y"
    if start.month != end.month:
        return "M"
    if start.day != end.day:
        return "d"
    return None


def _widen(pattern: str, skeleton: str) -> str:
    """A pattern matched to a skeleton asking for the full month name, with its months full ("MMM" to "MMMM")."""
    if "MMMM" not in skeleton:
        return pattern
    return re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", pattern)


def _zone(date: PartialDate) -> str:
    if date.offset is None:
        return ""
    if date.offset == 0:
        return " UTC"
    hours, minutes = divmod(abs(date.offset), 60)
    return f" UTC{'+' if date.offset > 0 else '-'}{hours:02d}:{minutes:02d}"


class _Fields(Mapping[str, str]):
    """A date's fields as CLDR patterns name them. The year is this tool's (any year, BCE, beyond 9999); the rest
    come from Babel for the same month and day of a year ``datetime`` can hold."""

    def __init__(self, date: PartialDate, language: Language) -> None:
        self._date = date
        self._language = language
        year = date.year if 1 <= date.year <= 9999 else 2000
        instant = dt.datetime(year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0)
        self._babel = babel.dates.DateTimeFormat(instant, language.locale)

    def __getitem__(self, name: str) -> str:
        if name[0] in "yYu":
            year = self._date.year
            if 1 <= year <= 9999:
                return str(self._babel[name])
            if year > 9999:
                return self._language.number(year)
            if -year >= DEEP:
                return self._language.years_ago(-year)
            return self._language.gettext("%(year)s BCE", year=self._language.number(-year) if -year > 9999 else str(-year))
        return str(self._babel[name])

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def script_messages(language: Language, scripts: Iterable[bytes]) -> bytes:
    """The messages the pages' scripts show (their ``_("…")`` and ``ngettext("…", "…", n)`` calls, found as
    ``make translations`` finds them), translated: a script that sets ``window.timelineMessages``, a plural message
    (under its singular) as its form for each CLDR plural category, for ``Intl.PluralRules`` to choose."""
    messages: dict[str, str | dict[str, str]] = {}
    for script in scripts:
        for _, function, message, _ in extract_javascript(io.BytesIO(script), {"_": None, "ngettext": (1, 2)}, [], {}):
            if function == "ngettext" and isinstance(message, tuple) and len(message) >= 2:
                messages[message[0]] = language.plural_forms(message[0], message[1])
            elif isinstance(message, str):
                messages[message] = language.gettext(message)
    data = json.dumps(messages, ensure_ascii=False, sort_keys=True, indent=1)
    return f"window.timelineMessages = {data};\n".encode()


def fill_source_catalog() -> None:
    """Make the source language's catalog whole: each message it has not yet translated reads as written in the code
    (``make translations`` runs this after ``pybabel update``; a translator may still reword any message there)."""
    from babel.messages.pofile import read_po, write_po

    path = LOCALE_DIR / SOURCE_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=SOURCE_LANGUAGE)
    for message in catalog:
        if message.id and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string])):
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
            message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, sort_by_file=True, ignore_obsolete=True, include_previous=False)
