"""The timeline as an iCalendar file (RFC 5545), for calendar applications; the only icalendar user.

Dates keep their precision: a day is an all-day event, a range of days one event spanning them, a month or a
year an all-day event spanning the whole period (its description says the date is known only to the month or
year), a time a date-time: in UTC when the note gives an offset, floating (the reader's own clock) when not.
Calendars hold years 1 to 9999 only, so events outside them are left out, and the build says how many.

Every value comes from the notes, never from the clock, so the same notes make the same file: an event's UID is
its slug at the site's host, and its DTSTAMP is the latest published date of its sources (midnight UTC), or
1970-01-01T00:00:00Z for an event without a dated source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .dates import PartialDate, Precision, When, days_in_month
from .records import Event
from .routes import CALENDAR, folder_of, page_path, quoted
from .site import Site

if TYPE_CHECKING:
    from icalendar import Event as VEvent

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PRODID = "-//Timeline Builder//timeline.ics//EN"

# What the calendar shows of an event: each is one of exports.JSON_FIELDS, so an edit that changes none of those (a
# later paragraph of a body) leaves the calendar as it was, and a build may patch it without making it again.
CALENDAR_FIELDS = frozenset({"title", "when", "place", "summary", "tags", "sources"})


def calendar_file(site: Site, slugs: Sequence[str]) -> bytes:
    """The events of ``slugs`` that a calendar can hold, as one VCALENDAR."""
    from icalendar import Calendar  # only here: importing icalendar costs a build about 90 ms

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", site.config.title)
    timeline = site.timeline
    for slug in slugs:
        event = timeline.event(slug)
        if datable(event.when):
            calendar.add_component(_vevent(site, event))
    return bytes(calendar.to_ical())


def datable(when: When) -> bool:
    return when.start.datable and (when.end is None or when.end.datable)


def left_out(site: Site) -> str | None:
    """What the build says of the events the calendar leaves out, or None when it holds every event."""
    events = [e.when for e in site.timeline.events if not datable(e.when)]
    if not events:
        return None
    early = sum(1 for w in events if w.start.year < 1)
    late = len(events) - early
    parts = [f"{n} event{'' if n == 1 else 's'} {where}" for n, where in ((early, "before year 1"), (late, "after year 9999")) if n]
    return f"{CALENDAR} leaves out {' and '.join(parts)}"


def _vevent(site: Site, event: Event) -> VEvent:
    from icalendar import Event as VEvent

    config = site.config
    vevent = VEvent()
    host = urlparse(config.base_url).hostname
    vevent.add("uid", f"{event.slug}@{host}" if host else event.slug)
    vevent.add("dtstamp", _stamp(event))
    vevent.add("summary", event.title)
    for name, value in times(event.when):
        vevent.add(name, value)
    description = "\n\n".join(text for text in (site.summary(event), _precision(event.when)) if text)
    if description:
        vevent.add("description", description)
    if event.place:
        vevent.add("location", event.place)
    tags = [site.timeline.tags[t].name for t in site.timeline.event_tags[event.slug]]
    if tags:
        vevent.add("categories", tags)
    if urlparse(config.base_url).scheme:  # a URL property holds absolute URLs only
        vevent.add("url", config.base_url + quoted(folder_of(page_path("event", event.slug))))
    return vevent


def _stamp(event: Event) -> dt.datetime:
    published = [s.published.earliest() for s in event.sources if s.published is not None and s.published.datable]
    return max(published, default=EPOCH)


def times(when: When) -> Sequence[tuple[str, object]]:
    """DTSTART and DTEND (or DURATION) of a date at its precision."""
    start, end = when.start, when.end
    if start.precision is Precision.MINUTE and (end is None or _moments_agree(start, end)):
        return [("dtstart", _moment(start))] + ([("dtend", _moment(end))] if end is not None and end != start else [])
    first = dt.date(start.year, start.month or 1, start.day or 1)
    last = _last_day(end or start)
    days = (last - first).days + 1
    if last == dt.date.max:  # the day after 31 December 9999 is not a date: the span is given as a length instead
        return [("dtstart", first), ("duration", dt.timedelta(days=days))]
    return [("dtstart", first), ("dtend", last + dt.timedelta(days=1))]


def _moments_agree(start: PartialDate, end: PartialDate) -> bool:
    """Whether an end can follow a start given to the minute: also to the minute, and both in UTC or both floating
    (RFC 5545 lets DTSTART and DTEND differ in neither)."""
    return end.precision is Precision.MINUTE and (start.offset is None) == (end.offset is None)


def _moment(date: PartialDate) -> dt.datetime:
    if date.offset is not None:
        return date.earliest()  # in UTC
    return dt.datetime(date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0)


def _last_day(date: PartialDate) -> dt.date:
    """The last day a date may mean, on the calendar it was written in (a time keeps the writer's day)."""
    month = date.month or 12
    return dt.date(date.year, month, date.day or days_in_month(date.year, month))


def _precision(when: When) -> str:
    """A line saying how well the date is known, when a calendar's all-day span or day would claim too much."""
    known = [f"known to the {when.precision.name.lower()}"] if when.precision < Precision.DAY else []
    said = (["approximate"] if when.circa else []) + known
    return f"Date {' and '.join(said)}: {when.label()}" if said else ""
