"""The page kinds: each declared once, with its route, its template, the function that makes its pages and
what decides where it lists an event.

A kind's pages come in keys (an actor id, a tag, a year; "" for a kind with one page). ``listed_by``
names the event fields that decide which of its pages list an event, and where; ``keys_of`` says which
keys list (or show) a given event. Change detection (``changes``) reads these and nothing else, so a new
page kind is one declaration here plus one template, and an edit can never leave its pages stale.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlparse

from .corrections import anchor as correction_anchor
from .i18n import Language
from .model import RELATED_WINDOW, co_actors, rarity, related_events, year_span
from .overview import Noun, Period, Place, Scale, locate, overview
from .records import ORDER_FIELDS, Event
from .routes import CORRECTIONS_FEED, Route, folder_of, page_path
from .site import BRIEF_FIELDS, PAGE_SIZE, Page, Site, chunks, groups, spellings

Keys = Callable[[Site], Iterable[str]]
KeysOf = Callable[[Site, Event], Iterable[str]]


def _one(site: Site) -> list[str]:
    return [""]


def _one_of(site: Site, event: Event) -> list[str]:
    return [""]


@dataclass(frozen=True, slots=True)
class PageKind:
    """One kind of page. ``make(site, kind, key)`` makes the pages of one key, at ``route`` with ``template``."""

    name: str
    route: Route
    template: str
    make: Callable[[Site, PageKind, str], Iterator[Page]]
    keys: Keys = _one  # every key this kind has pages for, in the site's order
    listed_by: frozenset[str] = frozenset()  # the event fields that decide which of its pages list an event, and where
    keys_of: KeysOf = _one_of  # the keys whose pages list or show an event (asked of the site before and after an edit)
    per_event: bool = False  # one page per event, made only when rendered (the one-shot build parks bodies until then)
    counts_all: bool = False  # every page shows how many events each key has: an event moving between keys changes them all

    def pages(self, site: Site, key: str) -> Iterator[Page]:
        return self.make(site, self, key)


def _places(site: Site, pages: Sequence[tuple[str, Sequence[str]]]) -> dict[Period | int, Place]:
    return locate(site.periods, [(folder_of(path), chunk) for path, chunk in pages])


def _paginated(site: Site, kind: PageKind, key: str, slugs: Sequence[str], title: str,
               strip: tuple[Scale, Noun | None, bool] | None = None, own: str = "", **context: Any) -> Iterator[Page]:  # fmt: skip
    """A list of events over as many pages as it takes: base/, base/page/2/, ...

    With ``strip`` (a scale, what the events are, and whether its bars link to their periods), each page carries
    an overview strip of the whole list.
    ``own`` is the actor or tag the whole list belongs to ("actor:<id>", "tag:<slug>"), which no filter offers.
    """
    pages = chunks(kind.route, key, slugs)
    strip_data = None  # one strip for the whole list, shared by its pages
    if strip and slugs:
        scale, what, linked = strip
        strip_data = overview(Counter(site.periods[s] for s in slugs), scale, _places(site, pages) if linked else {}, what,
                              site.config.eras, site.language)  # fmt: skip
    for n, (path, chunk) in enumerate(pages, 1):
        root = "../" * path.count("/")
        pagination = {
            "current": n,
            "total": len(pages),
            "prev": (root + site.links.url(pages[n - 2][0]) or "./") if n > 1 else None,
            "next": root + site.links.url(pages[n][0]) if n < len(pages) else None,
        }
        page_title = title if n == 1 else site.language.gettext("%(title)s (page %(page)s of %(pages)s)", title=title, page=n,
                                                                 pages=len(pages))  # fmt: skip
        listed = groups(site.language, site.periods, chunk, site.event_eras)
        yield site.page(path, kind.template, page_title, chunk, groups=listed, count=len(slugs),
                        pagination=pagination, overview=strip_data, offer=site.filters(chunk, own), **context)  # fmt: skip


def _split(site: Site) -> bool:
    """Past one page of events, the home page becomes an index of years, each with its own pages."""
    return len(site.timeline.events) > PAGE_SIZE


def _year_nav(site: Site) -> list[dict[str, Any]]:
    split = _split(site)
    return [{"year": y, "label": site.language.year(y), "count": len(evs), "url": site.links.to("year", str(y)) if split else f"#y{y}"}
            for y, evs in site.years.items()]  # fmt: skip


def home_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """The home timeline, or past one page of events a year index: its strip's counts depend on every event's date."""
    slugs = [e.slug for e in site.timeline.events]
    scale = site.scale
    if not _split(site):
        strip = (scale, None, True) if scale else None
        yield from _paginated(site, kind, "", slugs, site.config.title, strip, years=_year_nav(site), year=None, year_label=None)
        return
    assert scale is not None
    years = site.years
    places = {place: where for y in years for place, where in _places(site, _year_chunks(site, y)).items()}
    counts = overview(Counter(site.periods.values()), scale, places, None, site.config.eras, site.language)
    yield site.page(page_path(kind.route), kind.template, site.config.title, (), groups=[], count=len(slugs), pagination=None,
                    years=_year_nav(site), year=None, year_label=None, overview=counts)  # fmt: skip


def _year_chunks(site: Site, year: int) -> list[tuple[str, Sequence[str]]]:
    return chunks("year", str(year), [e.slug for e in site.years[year]])


def year_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    year = int(key)
    slugs = [e.slug for e in site.years[year]]
    label = site.language.year(year)
    title = site.language.gettext("%(year)s — %(site)s", year=label, site=site.config.title)
    yield from _paginated(site, kind, key, slugs, title, (Scale(year, year), None, True),
                          years=_year_nav(site), year=year, year_label=label)  # fmt: skip


def _years(site: Site) -> list[str]:
    return [str(y) for y in site.years] if _split(site) else []


def _year_of(site: Site, event: Event) -> list[str]:
    return [str(event.when.year)] if _split(site) else []


def event_page(site: Site, event: Event) -> Page:
    """One event in full: its frame and its body."""
    frame = event_frame(site, event)
    return with_body(frame, event, site.body_html(event, frame.context["root"]))


def event_frame(site: Site, event: Event) -> Page:
    """An event's page without its body: everything on it that the rest of the timeline decides.

    Its neighbours' cards give the previous/next links; related events are shown by title and date. An edit to the
    body alone leaves the frame as it was, which is what lets a build after such an edit skip laying out the rest.
    """
    timeline = site.timeline
    before, after = timeline.neighbours(event.slug)
    sources = site.citations(event)
    names, tags = site.names, timeline.tags
    related = [  # (the event as a link with its date, what it shares with this one)
        (site.brief(found.slug), ", ".join([names[a] for a in found.actors] + ["#" + tags[t].name for t in found.tags]))
        for found in related_events(timeline, event.slug)
    ]
    shown = [e.slug for e in (event, before, after) if e is not None]
    return site.page(
        page_path("event", event.slug), "event.html", event.title, shown,
        event=event.slug, description=site.summary(event), sources=sources, media=site.media(event),
        prev=before.slug if before else None, next=after.slug if after else None, related=related,
        listed=site.listed_at(event), og_type="article", jsonld=site.event_data(event),
        trail=site.trail(event),
        relative=_relative(site, event), untranslated=site.untranslated_in("event", event.slug),
    )  # fmt: skip


def _relative(site: Site, event: Event) -> dict[str, str | None] | None:
    """A date written relative to the first source, shown as written beside the date it resolved to."""
    relative = event.relative
    if relative is None or relative.anchor is None:
        return None
    anchor = relative.anchor
    iso = anchor.iso() if anchor.datable else None  # HTML's datetime: years 1-9999
    return {"text": relative.text, "by": relative.by, "anchor_label": site.language.date(anchor), "anchor_iso": iso}


def with_body(frame: Page, event: Event, body_html: str) -> Page:
    """A frame made whole with what the event's body decides (``body_html``: the body with its links resolved).

    The lede is the summary as the frame describes the page, its links read as words (``site.Site.summary``)."""
    lede = frame.context["description"] if _has_lede(event) else None
    return replace(frame, context={**frame.context, "body": body_html, "lede": lede})


_TAG = re.compile(r"<[^>]+>")


def _has_lede(event: Event) -> bool:
    """Whether the writer gave a summary that the body does not open with: lists show it, so the page does too."""
    body, summary = event.body_html, event.summary.text
    first = body[3 : body.find("</p>")] if body.startswith("<p>") else ""
    return bool(summary) and summary != " ".join(html.unescape(_TAG.sub("", first)).split())


def _event_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    yield event_page(site, site.timeline.event(key))


def _slugs(site: Site) -> list[str]:
    return [e.slug for e in site.timeline.events]


def _neighbourhood(site: Site, event: Event) -> set[str]:
    """The event pages that show something of an event besides its own: its neighbours (previous/next), the events
    it may be related to (those near it on a list it shares), and on a split archive the events whose link to their
    place in the timeline may move to another page when it moves."""
    timeline = site.timeline
    if event.slug not in timeline.position:  # a draft this build leaves out
        return set()
    found = {event.slug} | {e.slug for e in timeline.neighbours(event.slug) if e is not None}
    lists = [timeline.actor_events[a] for a in timeline.event_actors[event.slug]]
    lists += [timeline.tags[t].events for t in timeline.event_tags[event.slug]]
    for members in lists:
        n = len(members)
        if rarity(n) != rarity(n + 1) or rarity(n) != rarity(n - 1):
            found.update(members)  # how rare the list counts as changes: every member's related events may
            continue
        at = members.index(event.slug)
        found.update(members[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1])
    if _split(site):
        year = event.when.year
        first, stop = year_span(timeline, year)
        me = timeline.position[event.slug] - first
        found.update(timeline.events[first + i].slug for i in range(max(0, me - 1), stop - first) if i % PAGE_SIZE in (0, PAGE_SIZE - 1))
    return found


def actor_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    timeline = site.timeline
    actor = timeline.actors[key]
    slugs = timeline.actor_events[actor.id]
    name = site.names[actor.id]
    shown, others = spellings(actor, site.config.language)
    info = {"id": actor.id, "key": site.actor_chips[actor.id]["key"], "name": shown, "aliases": others,
            "lang": site.actor_chips[actor.id].get("lang"),
            "kind": actor.kind, "role": actor.role, "profile": site.profile_html(actor, "../../"),
            "untranslated": site.untranslated_in("actor", actor.id) if actor.profile.html else None,
            "first": site.language.date(timeline.event(slugs[0]).when.start) if slugs else None,
            "last": site.language.date(timeline.event(slugs[-1]).when.start) if slugs else None}  # fmt: skip
    together = [{"name": site.names[a], "url": site.actor_urls[a], "count": n} for a, n in co_actors(timeline, actor.id)]
    about = site.thing(actor.id)
    def events_of(lang: Language, n: int) -> str:
        return lang.ngettext("%(num)s event of %(name)s", "%(num)s events of %(name)s", n, name=name)

    strip = (site.scale, events_of, False) if site.scale else None
    pages = _paginated(site, kind, actor.id, slugs, name, strip, f"actor:{actor.id}", actor=info, together=together,
                       description=site.summary(actor) or actor.role or "", roles=roles_of(site, actor.id),
                       claims=_claims(site, actor.id))  # fmt: skip
    for page in pages:
        context = {**page.context, "jsonld": {**page.context["jsonld"], "about": about}}
        root = page.context["root"]
        if root != "../../" and (actor.profile.links or actor.profile.files):  # later pages sit deeper: their links climb further
            context["actor"] = {**info, "profile": site.profile_html(actor, root)}
        yield replace(page, context=context)


def roles_of(site: Site, actor_id: str) -> list[dict[str, Any]]:
    """An actor's events grouped by its role in them, most events first ("as speaker in 3 events"), each linking to its
    list filtered to that role; then the events that give it none (``role`` None). Empty when no event gives it a role."""
    timeline = site.timeline
    counts: Counter[str | None] = Counter()
    for slug in timeline.actor_events[actor_id]:
        counts.update(timeline.roles(slug, actor_id) or (None,))
    if set(counts) <= {None}:
        return []
    named = sorted(((r, n) for r, n in counts.items() if r is not None), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    found = [{"role": r, "count": n, "filter": "?" + urlencode({"role": r})} for r, n in named]
    return found + ([{"role": None, "count": counts[None], "filter": None}] if counts[None] else [])
def _claims(site: Site, actor_id: str) -> list[dict[str, Any]]:
    """The events an actor claims, in order, each as a link with its date and its status (every page of the actor shows
    them: a list of claims is short beside a list of events)."""
    timeline = site.timeline
    return [{**site.brief(slug), "status": (status := timeline.event(slug).status), "status_label": site.status_word(status)}
            for slug in timeline.actor_claims[actor_id]]  # fmt: skip


def _actor_ids(site: Site) -> list[str]:
    return list(site.timeline.actors)


def _actors_of(site: Site, event: Event) -> Sequence[str]:
    """The actors whose pages show an event: those it names, and those who claim it (in their claims)."""
    timeline = site.timeline
    return tuple(dict.fromkeys([*timeline.event_actors.get(event.slug, ()), *timeline.event_claimants.get(event.slug, ())]))


def actors_index(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    timeline = site.timeline
    entries = [{"name": site.names[a.id], "url": site.actor_urls[a.id],
                "aliases": spellings(a, site.config.language)[1],
                "role": a.role, "kind": a.kind,
                "count": len(timeline.actor_events[a.id])} for a in timeline.actors.values()]  # fmt: skip
    yield site.page(page_path(kind.route), kind.template, site.language.gettext("Actors"), actors=entries)


def tag_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    tag = site.timeline.tags[key]
    def tagged(lang: Language, n: int) -> str:
        return lang.ngettext("%(num)s event tagged “%(tag)s”", "%(num)s events tagged “%(tag)s”", n, tag=tag.name)

    strip = (site.scale, tagged, False) if site.scale else None
    title = site.language.gettext("Tagged “%(tag)s”", tag=tag.name)
    yield from _paginated(site, kind, tag.slug, tag.events, title, strip, f"tag:{tag.slug}",
                          tag={"name": tag.name, "slug": tag.slug, "key": site.tag_chips[tag.slug]["key"]})  # fmt: skip


def _tag_slugs(site: Site) -> list[str]:
    return list(site.timeline.tags)


def _tags_of(site: Site, event: Event) -> Sequence[str]:
    return site.timeline.event_tags.get(event.slug, ())


def tags_index(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    entries = [{"name": t.name, "url": site.tag_urls[t.slug], "count": len(t.events)} for t in site.timeline.tags.values()]
    yield site.page(page_path(kind.route), kind.template, site.language.gettext("Tags"), tags=entries)


def search_page(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """Search runs in the browser (Pagefind's index, made after the build); without JavaScript the page lists
    what there is to browse instead: the years, every actor and every tag."""
    timeline = site.timeline
    split = _split(site)
    years = [{"year": y, "label": site.language.year(y), "count": len(evs),
              "url": site.links.to("year", str(y)) if split else f"index.html#y{y}"} for y, evs in site.years.items()]  # fmt: skip
    actors = [{"name": site.names[a], "url": site.actor_urls[a], "count": len(timeline.actor_events[a])} for a in timeline.actors]
    tags = [{"name": t.name, "url": site.tag_urls[t.slug], "count": len(t.events)} for t in timeline.tags.values()]
    page = site.page(page_path(kind.route), kind.template, site.language.gettext("Search"), years=years, actors=actors, tags=tags)
    yield replace(page, context={**page.context, "jsonld": {**page.context["jsonld"], "@type": "SearchResultsPage"}})


def _at_the_top(site: Site) -> list[str]:
    """One page for the whole site, in its first language, wherever a reader is (a host serves one 404 page)."""
    return [] if site.config.prefix else [""]


def not_found_page(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """Served for any missing URL at any depth, so its links start from the site's base path."""
    page = site.page(page_path(kind.route), kind.template, site.language.gettext("Page not found"))
    base_path = urlparse(site.config.base_url).path or "/"
    context = {**page.context, "root": base_path, "top": base_path, "home": site.links.home(base_path), "canonical": None,
               "jsonld": None, "translations": []}  # fmt: skip
    yield Page(page.path, page.template, context)


def corrections_page(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """Every correction of the site, newest first, each with its event's title and a link to it on the event's page."""
    entries = []
    for slug, number, correction in site.all_corrections():
        event = site.brief(slug)
        entries.append({"event": event, "url": site.links.at("event", correction_anchor(correction, number), slug),
                        **site.dated(correction.date), "text": site.correction_text(correction)})  # fmt: skip
    title = site.language.gettext("Corrections")
    yield site.page(page_path(kind.route), kind.template, title, corrections=entries, own_feed=CORRECTIONS_FEED)


def _corrected(site: Site) -> list[str]:
    """The corrections page is made once the site has corrections."""
    return [""] if site.corrections_nav else []
def source_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """A source: who published it and when, where it lives, the note about it, and every event that rests on it."""
    timeline = site.timeline
    source = timeline.sources[key]
    note = timeline.source_notes.get(key)
    info = site.source_view(key)
    pages = _paginated(site, kind, key, timeline.source_events[key], source.title, None, "", source=info,
                       description=(site.summary(note) if note else "")
                       or site.language.gettext("Events that rest on “%(title)s”", title=source.title))  # fmt: skip
    for page in pages:
        profile = site.source_profile(note, page.context["root"]) if note is not None else ""
        yield replace(page, context={**page.context, "source": {**info, "profile": profile}})


def _source_keys(site: Site) -> list[str]:
    return list(site.timeline.sources)


def _sources_of(site: Site, event: Event) -> Sequence[str]:
    return site.timeline.event_sources.get(event.slug, ())


def _source_entry(site: Site, key: str) -> dict[str, Any]:
    return {**site.source_view(key), "count": len(site.timeline.source_events[key])}


def sources_index(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """Every source, grouped by publisher (those of no publisher last), each with how many events rest on it."""
    timeline = site.timeline
    grouped: list[dict[str, Any]] = [
        {"name": p.name, "key": p.key, "url": site.links.to("publisher", p.key), "sources": [_source_entry(site, k) for k in p.sources]}
        for p in timeline.publishers.values()
    ]
    with_page = {k for p in timeline.publishers.values() for k in p.sources}
    rest = sorted((k for k in timeline.sources if k not in with_page), key=lambda k: (timeline.sources[k].title.casefold(), k))
    if rest:
        grouped.append({"name": None, "key": None, "url": None, "sources": [_source_entry(site, k) for k in rest]})
    yield site.page(page_path(kind.route), kind.template, site.language.gettext("Sources"), publishers=grouped)


def publisher_pages(site: Site, kind: PageKind, key: str) -> Iterator[Page]:
    """A publisher: its sources, and the events that rest on them."""
    timeline = site.timeline
    publisher = timeline.publishers[key]
    position = timeline.position
    slugs = sorted({s for k in publisher.sources for s in timeline.source_events[k]}, key=position.__getitem__)
    entries = [_source_entry(site, k) for k in publisher.sources[:PUBLISHER_SOURCES]]
    about = site.language.gettext("Sources published by %(publisher)s, and the events that rest on them", publisher=publisher.name)
    info = {"name": publisher.name, "key": key, "sources": len(publisher.sources), "index": site.links.at("sources", f"publisher-{key}")}
    for n, page in enumerate(_paginated(site, kind, key, slugs, publisher.name, None, "", publisher=info, sources=entries,
                                        description=about), 1):  # fmt: skip
        # its sources head the first page only: a publisher of thousands would repeat them on every page of its events
        yield page if n == 1 else replace(page, context={**page.context, "sources": []})


PUBLISHER_SOURCES = 200  # sources listed on a publisher's page; the sources index lists every one


def _publisher_keys(site: Site) -> list[str]:
    return list(site.timeline.publishers)


def _publishers_of(site: Site, event: Event) -> list[str]:
    timeline = site.timeline
    found = (timeline.source_publishers.get(k) for k in timeline.event_sources.get(event.slug, ()))
    return [k for k in dict.fromkeys(found) if k is not None]


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "home", "index.html", home_pages, listed_by=ORDER_FIELDS),
    PageKind("year", "year", "index.html", year_pages, _years, ORDER_FIELDS, _year_of, counts_all=True),
    PageKind("event", "event", "event.html", _event_pages, _slugs, ORDER_FIELDS | BRIEF_FIELDS | {"actors", "tags"}, _neighbourhood,
             per_event=True),
    PageKind("actor", "actor", "actor.html", actor_pages, _actor_ids, ORDER_FIELDS | BRIEF_FIELDS | {"actors", "claimed_by", "status"},
             _actors_of),
    PageKind("actors", "actors", "actors.html", actors_index, listed_by=frozenset({"actors"})),
    PageKind("tag", "tag", "tag.html", tag_pages, _tag_slugs, ORDER_FIELDS | {"tags"}, _tags_of),
    PageKind("tags", "tags", "tags.html", tags_index, listed_by=frozenset({"tags"})),
    PageKind("search", "search", "search.html", search_page, listed_by=frozenset({"when", "actors", "tags"})),
    PageKind("not_found", "not_found", "404.html", not_found_page, keys=_at_the_top),
    # each event's title beside its corrections, whose texts may show any event's title (its one key lists every event),
    # corrections of one moment in the timeline's order
    PageKind("corrections", "corrections", "corrections.html", corrections_page, _corrected, ORDER_FIELDS | BRIEF_FIELDS | {"corrections"}),
    PageKind("source", "source", "source.html", source_pages, _source_keys, ORDER_FIELDS | {"sources"}, _sources_of),
    PageKind("sources", "sources", "sources.html", sources_index, listed_by=frozenset({"sources"})),
    PageKind("publisher", "publisher", "publisher.html", publisher_pages, _publisher_keys, ORDER_FIELDS | {"sources"}, _publishers_of),
)


def page_kinds() -> tuple[PageKind, ...]:
    """The page kinds of the site, looked up when asked (a test may declare one more)."""
    return PAGE_KINDS
