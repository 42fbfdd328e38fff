"""The route table: one pure function per page kind, from the Timeline to Page records.

Pages are data first: rendering and writing happen elsewhere. A page names the events it shows by
slug and the renderer looks their cards up, so editing one event changes one card, not every page
that holds it. Every link is relative to the page that holds it (``root`` climbs back to the site's
top), so the site works at a domain root, under a sub-path and from disk alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlparse

from .config import SiteConfig
from .dates import MONTHS
from .model import LINK_ROOT, Timeline, resolve_profile_links
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

    def absolute(self, url: str) -> str | None:
        """The absolute URL of a link relative to the site's top, or None when the base URL is not absolute."""
        return self.config.base_url + url if self._absolute else None

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
            "place": event.place,
            "summary": event.summary,
            "actors": [{"name": self.names[a], "url": self.actor_urls[a]} for a in timeline.event_actors[event.slug]],
            "tags": [{"name": timeline.tags[t].name, "url": self.tag_urls[t]} for t in timeline.event_tags[event.slug]],
        }

    def page(self, path: str, template: str, title: str | None, events: Sequence[str] = (), **context: Any) -> Page:
        root = "../" * path.count("/")
        canonical = self.absolute(url_of(path))
        base = {
            "site": self.config,
            "root": root,
            "home": root or "./",
            "page_title": title,
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


def _paginated(site: Site, base_path: str, slugs: Sequence[str], template: str, title: str, **context: Any) -> Iterator[Page]:
    """A list of events over as many pages as it takes: base/, base/page/2/, ..."""
    chunks = [slugs[i : i + PAGE_SIZE] for i in range(0, len(slugs), PAGE_SIZE)] or [[]]
    prefix = base_path + "/" if base_path else ""
    paths = [f"{prefix}index.html"] + [f"{prefix}page/{n}/index.html" for n in range(2, len(chunks) + 1)]
    for n, (chunk, path) in enumerate(zip(chunks, paths, strict=True), 1):
        root = "../" * path.count("/")
        pagination = {
            "current": n,
            "total": len(chunks),
            "prev": (root + url_of(paths[n - 2]) or "./") if n > 1 else None,
            "next": root + url_of(paths[n]) if n < len(chunks) else None,
        }
        page_title = title if n == 1 else f"{title} (page {n} of {len(chunks)})"
        yield site.page(path, template, page_title, chunk, groups=groups(site.periods, chunk),
                        count=len(slugs), pagination=pagination, **context)  # fmt: skip


def timeline_pages(site: Site) -> Iterator[Page]:
    """The home timeline; past one page of events it becomes a year index with a page set per year."""
    years = site.timeline.years()
    slugs = [e.slug for e in site.timeline.events]
    split = len(slugs) > PAGE_SIZE
    nav = [{"year": y, "count": len(evs), "url": link("years", str(y)) if split else f"#y{y}"} for y, evs in years.items()]
    if not split:
        yield from _paginated(site, "", slugs, "index.html", site.config.title, years=nav, year=None)
        return
    yield site.page("index.html", "index.html", site.config.title, (),
                    groups=[], count=len(slugs), pagination=None, years=nav, year=None)  # fmt: skip
    for year, events in years.items():
        yield from _paginated(site, f"years/{year}", [e.slug for e in events], "index.html",
                              f"{year} — {site.config.title}", years=nav, year=year)  # fmt: skip


def event_page(site: Site, event: Event) -> Page:
    """One event in full; its neighbours' cards give the previous/next links."""
    before, after = site.timeline.neighbours(event.slug)
    sources = [
        {
            "title": s.title,
            "url": s.url,
            "publisher": s.publisher,
            "published_label": s.published.label() if s.published else None,
            "published_iso": s.published.iso() if s.published else None,
        }
        for s in event.sources
    ]
    shown = [e.slug for e in (event, before, after) if e is not None]
    return site.page(
        f"events/{event.slug}/index.html", "event.html", event.title, shown,
        event=event.slug, description=event.summary, body=event.body_html, sources=sources,
        prev=before.slug if before else None, next=after.slug if after else None,
        og_type="article", jsonld=site.event_data(event),
    )  # fmt: skip


def event_pages(site: Site) -> Iterator[Page]:
    for event in site.timeline.events:
        yield event_page(site, event)


def actor_pages(site: Site) -> Iterator[Page]:
    timeline = site.timeline
    entries = []
    for actor in timeline.actors.values():
        slugs = timeline.actor_events[actor.id]
        entries.append({"name": site.names[actor.id], "url": link("actors", actor.id), "aliases": actor.aliases,
                        "role": actor.role, "count": len(slugs)})  # fmt: skip
        info = {"id": actor.id, "name": actor.name, "aliases": actor.aliases, "kind": actor.kind,
                "role": actor.role, "profile": actor.profile_html}  # fmt: skip
        about = site.thing(actor.id)
        pages = _paginated(site, f"actors/{actor.id}", slugs, "actor.html", site.names[actor.id], actor=info,
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
        entries.append({"name": tag.name, "url": link("tags", tag.slug), "count": len(tag.events)})
        yield from _paginated(site, f"tags/{tag.slug}", tag.events, "tag.html", f"Tagged “{tag.name}”",
                              tag={"name": tag.name, "slug": tag.slug})  # fmt: skip
    yield site.page("tags/index.html", "tags.html", "Tags", tags=entries)


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
    not_found_page,
)


def all_pages(site: Site) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    return [page for kind in PAGE_KINDS for page in kind(site)]
