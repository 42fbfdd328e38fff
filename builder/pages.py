"""The route table: one pure function per page kind, from the Timeline to Page records.

Pages are data first: rendering and writing happen elsewhere. A page names the events it shows by
slug and the renderer looks their cards up, so editing one event changes one card, not every page
that holds it. Every link is relative to the page that holds it (``root`` climbs back to the site's
top), so the site works at a domain root, under a sub-path and from disk alike.
"""

from __future__ import annotations

import datetime as dt
import html
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlparse

from .cache import digest
from .config import SiteConfig
from .dates import MONTHS, PartialDate, When
from .model import LINK_ROOT, Timeline, co_actors, related_events, resolve_profile_links, year_span
from .overview import Period, Place, Scale, locate, overview, scale_of
from .records import Event

PAGE_SIZE = 200  # events per list page: keeps every page to a few hundred KB at any archive size

Card = Mapping[str, Any]
JsonLd = dict[str, Any]

SCHEMA_ORG = "https://schema.org"
# schema.org types for actor kinds. Event.performer takes a Person or an Organization; a country, a place or an actor
# of unknown kind is what the event is about rather than who took part, so it goes under "about" instead.
_ACTOR_TYPES = {"person": "Person", "organization": "Organization", "group": "Organization", "country": "Country", "place": "Place"}
_PERFORMER_TYPES = {"Person", "Organization"}


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # output file, relative to the site root
    template: str
    context: Mapping[str, Any]
    events: frozenset[str] = field(default_factory=frozenset)  # slugs whose cards the page shows


def url_of(path: str) -> str:
    """Clean URL of an output file, relative to the site root: events/x/index.html -> events/x/."""
    return path.removesuffix("index.html")


_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def link(*parts: str) -> str:
    """A folder URL from path segments, percent-encoded where needed (slugs rarely need it: skip the work then)."""
    return "/".join(p if _URL_SAFE.fullmatch(p) else quote(p) for p in parts) + "/"


class Site:
    """What every page function needs: the timeline, the settings and the actors' display names."""

    def __init__(self, timeline: Timeline, config: SiteConfig) -> None:
        self.timeline = timeline
        self.config = config
        self.names = _display_names(timeline)
        self.periods = {e.slug: (e.when.start.year, e.when.start.month) for e in timeline.events}
        self._absolute = bool(urlparse(config.base_url).scheme)
        # made once here rather than for every card and page that shows them
        self.actor_urls = {actor_id: link("actors", actor_id) for actor_id in timeline.actors}
        self.tag_urls = {slug: link("tags", slug) for slug in timeline.tags}
        self._things: dict[str, JsonLd] = {}
        self._briefs: dict[str, dict[str, str]] = {}

    @cached_property
    def scale(self) -> Scale | None:
        """The periods of every overview strip of the site, from its first and last events' years."""
        events = self.timeline.events
        return scale_of([self.periods[events[0].slug], self.periods[events[-1].slug]]) if events else None

    def brief(self, slug: str) -> dict[str, str]:
        """An event as a link with its date (made once: each event is related to several others)."""
        if slug not in self._briefs:
            when = self.timeline.event(slug).when
            self._briefs[slug] = {"title": self.timeline.event(slug).title, "url": link("events", slug),
                                  "date_label": when.label(), "datetime": when.start.iso()}  # fmt: skip
        return self._briefs[slug]

    def listed_at(self, event: Event) -> dict[str, str]:
        """Where the timeline lists an event: its month (or year) on the home page, or on its year's page."""
        year, month = self.periods[event.slug]
        anchor = f"y{year}-{month or 0:02d}"
        label = f"{MONTHS[month - 1]} {year}" if month else str(year)
        # index.html spelled out: an anchor on a folder's URL goes nowhere when the site is opened from disk
        if len(self.timeline.events) <= PAGE_SIZE:
            return {"url": f"index.html#{anchor}", "label": label}
        first, _ = year_span(self.timeline, year)
        n = (self.timeline.position[event.slug] - first) // PAGE_SIZE + 1
        return {"url": link("years", str(year)) + (f"page/{n}/" if n > 1 else "") + f"index.html#{anchor}", "label": label}

    def filters(self, slugs: Sequence[str], own: str = "") -> dict[str, bool]:
        """Which filters a list page offers: those that can tell its events apart (decided here, not in the browser,
        so nothing moves when the page's script runs)."""
        timeline = self.timeline
        kind, _, key = own.partition(":")
        actors = any(kind != "actor" or a != key for s in slugs for a in timeline.event_actors[s])
        tags = any(kind != "tag" or t != key for s in slugs for t in timeline.event_tags[s])
        periods, ends = self.periods, self._end_years
        years = {periods[s][0] for s in slugs} | {ends[s] for s in slugs if s in ends}
        return {"actors": actors, "tags": tags, "years": len(years) > 1}

    @cached_property
    def _end_years(self) -> dict[str, int]:
        """The year each range ends in, by slug (made when a list page first needs it, never for one event page)."""
        return {e.slug: e.when.end.year for e in self.timeline.events if e.when.end is not None}

    def absolute(self, url: str) -> str | None:
        """The absolute URL of a link relative to the site's top, or None when the base URL is not absolute."""
        return self.config.base_url + url if self._absolute else None

    @cached_property
    def _actor_chips(self) -> dict[str, dict[str, str]]:
        """Each actor as cards show it, made once and shared by every card (read-only, like all page data)."""
        return {a: _chip(self.names[a], url) for a, url in self.actor_urls.items()}

    @cached_property
    def _tag_chips(self) -> dict[str, dict[str, str]]:
        return {t: _chip(self.timeline.tags[t].name, url) for t, url in self.tag_urls.items()}

    def cards(self) -> dict[str, Card]:
        return {event.slug: self.card(event) for event in self.timeline.events}

    def card(self, event: Event) -> Card:
        """Everything a list shows of one event."""
        when = event.when
        timeline = self.timeline
        return {
            "slug": event.slug,
            "title": event.title,
            "url": link("events", event.slug),
            "date_label": when.label(),
            "datetime": when.start.iso(),
            "end_datetime": when.end.iso() if when.end else None,
            "precision": "range" if when.end else when.precision.name.lower(),
            "circa": when.circa,
            "span_label": span_label(when),
            "years": f"{when.start.year} {when.end.year if when.end else when.start.year}",
            "place": event.place,
            "summary": event.summary,
            "actors": (actors := [self._actor_chips[a] for a in timeline.event_actors[event.slug]]),
            "tags": (tags := [self._tag_chips[t] for t in timeline.event_tags[event.slug]]),
            # what the filters read, joined here once rather than in the template for every page depth
            "actor_keys": " ".join(a["key"] for a in actors),
            "tag_keys": " ".join(t["key"] for t in tags),
        }

    def page(self, path: str, template: str, title: str | None, events: Sequence[str] = (), **context: Any) -> Page:
        root = "../" * path.count("/")
        canonical = self.absolute(url_of(path))
        base = {
            "site": self.config,
            "root": root,
            "home": root or "./",
            "page_title": title,
            "here": url_of(path),  # this page's URL from the site's top: a link to it becomes a bare anchor
            "canonical": canonical,
            "feed_url": self.absolute("feed.xml"),
            "og_type": "website",
            "jsonld": self.web_page(path, title, canonical),
        }
        return Page(path, template, {**base, **context}, frozenset(events))

    def web_page(self, path: str, title: str | None, url: str | None) -> JsonLd:
        """schema.org data for a page that is not an event: the site itself at its top, a collection of events elsewhere."""
        config = self.config
        if path == "index.html":
            return _compact({"@context": SCHEMA_ORG, "@type": "WebSite", "name": config.title,
                             "description": config.description, "url": url, "inLanguage": config.language})  # fmt: skip
        site = _compact({"@type": "WebSite", "name": config.title, "url": self.absolute("")})
        return _compact({"@context": SCHEMA_ORG, "@type": "CollectionPage", "name": title, "url": url, "isPartOf": site})

    def thing(self, actor_id: str) -> JsonLd:
        """An actor as a schema.org Person, Organization, Country or Place (or a plain Thing when its kind is unknown)."""
        if actor_id not in self._things:
            actor = self.timeline.actors[actor_id]
            kind = _ACTOR_TYPES.get(actor.kind or "", "Thing")
            self._things[actor_id] = _compact({"@type": kind, "name": actor.name, "url": self.absolute(self.actor_urls[actor_id])})
        return self._things[actor_id]

    def event_data(self, event: Event) -> JsonLd:
        """schema.org Event for an event page: dates at the precision the writer gave, actors, place and sources."""
        when = event.when
        actors = [self.thing(a) for a in self.timeline.event_actors[event.slug]]
        sources = [
            _compact({"@type": "CreativeWork", "name": s.title, "url": s.url,
                      "publisher": {"@type": "Organization", "name": s.publisher} if s.publisher else None,
                      "datePublished": s.published.iso() if s.published else None})  # fmt: skip
            for s in event.sources
        ]
        return _compact({
            "@context": SCHEMA_ORG,
            "@type": "Event",
            "name": event.title,
            "startDate": when.start.iso(),
            "endDate": when.end.iso() if when.end else None,
            "description": event.summary,
            "url": self.absolute(link("events", event.slug)),
            "location": {"@type": "Place", "name": event.place} if event.place else None,
            "performer": [a for a in actors if a["@type"] in _PERFORMER_TYPES],
            "about": [a for a in actors if a["@type"] not in _PERFORMER_TYPES],
            "subjectOf": sources,
            "keywords": [self.timeline.tags[t].name for t in self.timeline.event_tags[event.slug]],
        })  # fmt: skip


def _key(url: str) -> str:
    """An actor's or a tag's id as its URL spells it ("actors/<key>/"): what the filters use."""
    return url[url.index("/") + 1 : -1]


def _chip(name: str, url: str) -> dict[str, str]:
    """An actor or tag as a card shows it."""
    return {"name": name, "url": url, "key": _key(url)}


def span_label(when: When) -> str | None:
    """How long a range lasts, at the precision of its less precise end: "3 days", "5 months", "3 years"."""
    start, end = when.start, when.end
    if end is None or end == start:
        return None
    if start.month is None or end.month is None:
        years = end.year - start.year + 1
        return f"{years} years" if years > 1 else None
    if start.day is None or end.day is None:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return _count(months // 12, "year") if months >= 24 else _count(months, "month") if months > 1 else None
    days = (_day(end) - _day(start)).days + 1
    if days > 1:
        if days < 60:
            return _count(days, "day")
        return _count(round(days / 30.44), "month") if days < 730 else _count(round(days / 365.25), "year")
    if start.minute is None or end.minute is None or start.hour is None or end.hour is None:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) + ((start.offset or 0) - (end.offset or 0))
    if minutes <= 0:
        return None
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if part)


def _day(date: PartialDate) -> dt.date:
    return dt.date(date.year, date.month or 1, date.day or 1)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _compact(data: JsonLd) -> JsonLd:
    """Leave out what is unknown (None, empty text, empty lists) rather than state it as empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _display_names(timeline: Timeline) -> dict[str, str]:
    """Actor names as readers see them; two actors sharing a name are told apart by role (or id)."""
    counts = Counter(a.name.casefold() for a in timeline.actors.values())
    return {
        a.id: f"{a.name} ({a.role or a.id})" if counts[a.name.casefold()] > 1 else a.name
        for a in timeline.actors.values()
    }


def groups(periods: Mapping[str, tuple[int, int | None]], slugs: Sequence[str]) -> list[dict[str, Any]]:
    """Events grouped by year, then month; events known only to the year come first in their year.

    ``periods`` gives each event's (year, month or None).
    """
    result = []
    for year, in_year in groupby(slugs, key=lambda slug: periods[slug][0]):
        months = []
        for month, in_month in groupby(in_year, key=lambda slug: periods[slug][1]):
            label = f"{MONTHS[month - 1]} {year}" if month else f"Sometime in {year}"
            anchor = f"y{year}-{month:02d}" if month else f"y{year}-00"
            months.append({"label": label, "anchor": anchor, "events": list(in_month)})
        result.append({"year": year, "anchor": f"y{year}", "months": months})
    return result


def _places(site: Site, pages: Sequence[tuple[str, Sequence[str]]]) -> dict[Period | int, Place]:
    return locate(site.periods, [(url_of(path), chunk) for path, chunk in pages])


def _chunks(base_path: str, slugs: Sequence[str]) -> list[tuple[str, Sequence[str]]]:
    """A list of events cut into pages: (base/index.html, first 200), (base/page/2/index.html, next 200), ..."""
    chunks = [slugs[i : i + PAGE_SIZE] for i in range(0, len(slugs), PAGE_SIZE)] or [[]]
    prefix = base_path + "/" if base_path else ""
    paths = [f"{prefix}index.html"] + [f"{prefix}page/{n}/index.html" for n in range(2, len(chunks) + 1)]
    return list(zip(paths, chunks, strict=True))


def _paginated(site: Site, base_path: str, slugs: Sequence[str], template: str, title: str,
               strip: tuple[Scale, str, bool] | None = None, own: str = "", **context: Any) -> Iterator[Page]:  # fmt: skip
    """A list of events over as many pages as it takes: base/, base/page/2/, ...

    With ``strip`` (a scale, what the events are, and whether its bars link to their periods), each page carries
    an overview strip of the whole list.
    ``own`` is the actor or tag the whole list belongs to ("actor:<id>", "tag:<slug>"), which no filter offers.
    """
    pages = _chunks(base_path, slugs)
    strip_data = None  # one strip for the whole list, shared by its pages
    if strip and slugs:
        scale, what, linked = strip
        strip_data = overview(Counter(site.periods[s] for s in slugs), scale, _places(site, pages) if linked else {}, what)
    for n, (path, chunk) in enumerate(pages, 1):
        root = "../" * path.count("/")
        pagination = {
            "current": n,
            "total": len(pages),
            "prev": (root + url_of(pages[n - 2][0]) or "./") if n > 1 else None,
            "next": root + url_of(pages[n][0]) if n < len(pages) else None,
        }
        page_title = title if n == 1 else f"{title} (page {n} of {len(pages)})"
        yield site.page(path, template, page_title, chunk, groups=groups(site.periods, chunk), count=len(slugs),
                        pagination=pagination, overview=strip_data, offer=site.filters(chunk, own), **context)  # fmt: skip


def timeline_pages(site: Site) -> Iterator[Page]:
    """The home timeline; past one page of events it becomes a year index with a page set per year.

    The home page's overview strip depends on every event's date: unsplit, the page lists every event; split,
    its context holds the counts, so a changed date (always a full rebuild) changes the page.
    """
    years = site.timeline.years()
    slugs = [e.slug for e in site.timeline.events]
    split = len(slugs) > PAGE_SIZE
    nav = [{"year": y, "count": len(evs), "url": link("years", str(y)) if split else f"#y{y}"} for y, evs in years.items()]
    scale = site.scale
    if not split:
        strip = (scale, "events", True) if scale else None
        yield from _paginated(site, "", slugs, "index.html", site.config.title, strip, years=nav, year=None)
        return
    assert scale is not None
    year_pages = {year: _chunks(f"years/{year}", [e.slug for e in events]) for year, events in years.items()}
    places = {place: where for pages in year_pages.values() for place, where in _places(site, pages).items()}
    counts = Counter(site.periods.values())
    yield site.page("index.html", "index.html", site.config.title, (), groups=[], count=len(slugs), pagination=None,
                    years=nav, year=None, overview=overview(counts, scale, places, "events"))  # fmt: skip
    for year, events in years.items():
        yield from _paginated(site, f"years/{year}", [e.slug for e in events], "index.html",
                              f"{year} — {site.config.title}", (Scale(year, year), "events", True), years=nav, year=year)  # fmt: skip


def event_page(site: Site, event: Event) -> Page:
    """One event in full: its frame and its body."""
    return with_body(event_frame(site, event), event)


def event_path(slug: str) -> str:
    return f"events/{slug}/index.html"


def event_frame(site: Site, event: Event) -> Page:
    """An event's page without its body: everything on it that the rest of the timeline decides.

    Its neighbours' cards give the previous/next links. Related events are shown by title and date only,
    which live in the context: a change to them is a change of structure (a full rebuild that compares
    contexts), so the page need not list them as shown events. An edit to the body alone leaves the frame
    as it was, which is what lets a build after such an edit skip laying out the rest of the site.
    """
    timeline = site.timeline
    before, after = timeline.neighbours(event.slug)
    sources = [
        {
            "title": s.title,
            "url": s.url,
            "host": _host(s.url),
            "publisher": s.publisher,
            "published_label": s.published.label() if s.published else None,
            "published_iso": s.published.iso() if s.published else None,
        }
        for s in event.sources
    ]
    names, tags = site.names, timeline.tags
    related = [  # (the event as a link with its date, what it shares with this one)
        (site.brief(found.slug), ", ".join([names[a] for a in found.actors] + ["#" + tags[t].name for t in found.tags]))
        for found in related_events(timeline, event.slug)
    ]
    shown = [e.slug for e in (event, before, after) if e is not None]
    return site.page(
        event_path(event.slug), "event.html", event.title, shown,
        event=event.slug, description=event.summary, sources=sources,
        prev=before.slug if before else None, next=after.slug if after else None, related=related,
        listed=site.listed_at(event), og_type="article", jsonld=site.event_data(event),
    )  # fmt: skip


def with_body(frame: Page, event: Event) -> Page:
    """A frame made whole with what the event's body decides (its links already resolved)."""
    return replace(frame, context={**frame.context, "body": event.body_html, "lede": _lede(event)})


def frame_entry(frame: Page, cards: Mapping[str, Card]) -> bytes:
    """An event page's frame with the cards it shows, as the next build reads it back to patch in a new body."""
    shown = {slug: cards[slug] for slug in sorted(frame.events)}
    return pickle.dumps((frame.path, frame.template, frame.context, shown), protocol=pickle.HIGHEST_PROTOCOL)


def read_frame(entry: bytes) -> tuple[Page, dict[str, Card]]:
    path, template, context, cards = pickle.loads(entry)
    return Page(path, template, context, frozenset(cards)), cards


def page_print(entry: bytes, page: Page) -> str:
    """An event page's fingerprint: its frame entry and what ``with_body`` added."""
    return digest(entry, page.context["body"], page.context["lede"] or "")


_TAG = re.compile(r"<[^>]+>")


def _lede(event: Event) -> str | None:
    """The summary, when the writer gave one that the body does not open with: lists show it, so the page does too."""
    body = event.body_html
    first = body[3 : body.find("</p>")] if body.startswith("<p>") else ""
    return None if not event.summary or event.summary == " ".join(html.unescape(_TAG.sub("", first)).split()) else event.summary


_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(?:www\.)?([^:/?#\[\]]+)")


def _host(url: str | None) -> str | None:
    """The site a source lives on, as readers recognise it: "https://www.bloomberg.com/x" -> "bloomberg.com"."""
    found = _HOST.match(url) if url else None
    return found[1].lower() if found else None


def event_pages(site: Site) -> Iterator[Page]:
    for event in site.timeline.events:
        yield event_page(site, event)


def actor_pages(site: Site) -> Iterator[Page]:
    timeline = site.timeline
    entries = []
    for actor in timeline.actors.values():
        slugs = timeline.actor_events[actor.id]
        name = site.names[actor.id]
        entries.append({"name": name, "url": site.actor_urls[actor.id], "aliases": actor.aliases,
                        "role": actor.role, "kind": actor.kind, "count": len(slugs)})  # fmt: skip
        info = {"id": actor.id, "key": _key(site.actor_urls[actor.id]), "name": actor.name, "aliases": actor.aliases,
                "kind": actor.kind, "role": actor.role, "profile": actor.profile_html,
                "first": timeline.event(slugs[0]).when.start.label() if slugs else None,
                "last": timeline.event(slugs[-1]).when.start.label() if slugs else None}  # fmt: skip
        together = [{"name": site.names[a], "url": site.actor_urls[a], "count": n} for a, n in co_actors(timeline, actor.id)]
        about = site.thing(actor.id)
        strip = (site.scale, f"events of {name}", False) if site.scale else None
        pages = _paginated(site, f"actors/{actor.id}", slugs, "actor.html", name, strip, f"actor:{actor.id}", actor=info, together=together,
                           description=actor.summary or actor.role or "")  # fmt: skip
        for page in pages:
            context = {**page.context, "jsonld": {**page.context["jsonld"], "about": about}}
            root = page.context["root"]
            if root != LINK_ROOT and actor.profile.links:  # later pages sit deeper: their profile links climb further
                context["actor"] = {**info, "profile": resolve_profile_links(actor, timeline, root=root).profile_html}
            yield replace(page, context=context)
    yield site.page("actors/index.html", "actors.html", "Actors", actors=entries)


def tag_pages(site: Site) -> Iterator[Page]:
    entries = []
    for tag in site.timeline.tags.values():
        entries.append({"name": tag.name, "url": site.tag_urls[tag.slug], "count": len(tag.events)})
        strip = (site.scale, f"events tagged “{tag.name}”", False) if site.scale else None
        yield from _paginated(site, f"tags/{tag.slug}", tag.events, "tag.html", f"Tagged “{tag.name}”", strip, f"tag:{tag.slug}",
                              tag={"name": tag.name, "slug": tag.slug, "key": _key(site.tag_urls[tag.slug])})  # fmt: skip
    yield site.page("tags/index.html", "tags.html", "Tags", tags=entries)


def search_page(site: Site) -> Iterator[Page]:
    """Search runs in the browser (Pagefind's index, made after the build); without JavaScript the page lists
    what there is to browse instead: the years, every actor and every tag."""
    timeline = site.timeline
    split = len(timeline.events) > PAGE_SIZE
    years = [
        {"year": y, "count": len(evs), "url": link("years", str(y)) if split else f"index.html#y{y}"} for y, evs in timeline.years().items()
    ]
    actors = [{"name": site.names[a], "url": site.actor_urls[a], "count": len(timeline.actor_events[a])} for a in timeline.actors]
    tags = [{"name": t.name, "url": site.tag_urls[t.slug], "count": len(t.events)} for t in timeline.tags.values()]
    page = site.page("search/index.html", "search.html", "Search", years=years, actors=actors, tags=tags)
    yield replace(page, context={**page.context, "jsonld": {**page.context["jsonld"], "@type": "SearchResultsPage"}})


def not_found_page(site: Site) -> Iterator[Page]:
    """Served for any missing URL at any depth, so its links start from the site's base path."""
    page = site.page("404.html", "404.html", "Page not found")
    base_path = urlparse(site.config.base_url).path or "/"
    context = {**page.context, "root": base_path, "home": base_path, "canonical": None, "jsonld": None}
    yield Page(page.path, page.template, context)


PAGE_KINDS: tuple[Callable[[Site], Iterator[Page]], ...] = (
    timeline_pages,
    event_pages,
    actor_pages,
    tag_pages,
    search_page,
    not_found_page,
)
