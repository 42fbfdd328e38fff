"""Data formats of the timeline (Atom feed, JSON, sitemap): pure functions returning bytes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .config import SiteConfig
from .dates import PartialDate
from .records import Actor, Event
from .routes import CNAME, DATA, FEED, INDEX, NO_JEKYLL, SITEMAP, folder_of, page_path, quoted
from .site import Site

FEED_ENTRIES = 50


def escape(text: str) -> str:
    """XML character data (written here: xml.sax.saxutils costs a build 30 ms of imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes: double unless the value holds double quotes only."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def _stamp(date: PartialDate) -> str:
    """RFC 3339 for Atom: the first instant the date may mean, so feeds never claim false precision."""
    if date.year < 1:  # RFC 3339 has no year before 1 CE: a BCE date is stamped with the earliest instant it can hold
        return "0001-01-01T00:00:00Z"
    if date.year > 9999:  # nor any after 9999: the latest it can hold
        return "9999-12-31T23:59:59Z"
    moment = date.earliest()  # written out: strftime gives year 79 as "79", not "0079"
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"


def canonical(path: str, config: SiteConfig) -> str:
    """A page's published URL, whatever the style of links between pages: what feeds, data and sitemaps give."""
    return config.base_url + quoted(folder_of(path))


def feed_parts(site: Site, whole: Callable[[Event], Event] = lambda e: e) -> tuple[str, dict[str, str]]:
    """The Atom feed of the latest events, as its head and its entries by slug, newest first (``join_feed`` makes
    the file; a build after a body edit swaps one entry). ``updated`` comes from the content, never from the clock.
    ``whole`` gives an event with its body (which a one-shot build keeps out of memory until needed)."""
    timeline, config = site.timeline, site.config
    base = config.base_url
    latest = [whole(e) for e in reversed(timeline.events[-FEED_ENTRIES:])]
    updated = max((_stamp(e.when.end or e.when.start) for e in latest), default="1970-01-01T00:00:00Z")
    author = escape(config.author or config.title)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(config.title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    lines += [
        f"  <id>{escape(base)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + FEED)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{author}</name></author>",
        "  <generator>Timeline Builder</generator>",
    ]
    # feed readers resolve links against feed.xml: a body's links to other notes are absolute
    entries = {e.slug: feed_entry(e, feed_tags(site, e.slug), config, site.body_html(e, base), site.summary(e)) for e in latest}
    return "\n".join(lines) + "\n", entries


def feed_tags(site: Site, slug: str) -> tuple[str, ...]:
    timeline = site.timeline
    return tuple(timeline.tags[t].name for t in timeline.event_tags[slug])


def feed_entry(event: Event, tags: Iterable[str], config: SiteConfig, body_html: str, summary: str) -> str:
    """One event as an Atom entry, with its body and summary as given (their links resolved: ``site.Site.summary``)."""
    url = canonical(page_path("event", event.slug), config)
    lines = [
        "  <entry>",
        f"    <title>{escape(event.title)}</title>",
        f"    <id>{escape(url)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        f"    <updated>{_stamp(event.when.end or event.when.start)}</updated>",
    ]
    lines += [f"    <category term={quoteattr(name)}/>" for name in tags]
    if summary:
        lines.append(f"    <summary>{escape(summary)}</summary>")
    content = f"<p><strong>{escape(event.when.label())}</strong></p>\n{body_html}"
    lines += [f'    <content type="html">{escape(content)}</content>', "  </entry>"]
    return "\n".join(lines) + "\n"


def join_feed(head: str, entries: dict[str, str]) -> bytes:
    return (head + "".join(entries.values()) + "</feed>\n").encode()


# What the JSON export shows of an event (``timeline_json``): an edit to one of these changes the file.
JSON_FIELDS = frozenset({"title", "when", "actors", "tags", "place", "summary", "sources"})


def timeline_json(site: Site) -> bytes:
    """Every event with ISO dates, actors, tags, sources and URL, for other tools to reuse.

    Written compact (with indent, json uses its pure-Python encoder: about 1 s at 10,000 events) and
    one event at a time, so the whole document never exists as Python objects at once.
    """
    timeline, config = site.timeline, site.config
    base = config.base_url

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def event_data(event: Event) -> dict[str, Any]:
        when = event.when
        return {
            "slug": event.slug,
            "title": event.title,
            "url": canonical(page_path("event", event.slug), config),
            "date": when.start.iso(),
            "end": when.end.iso() if when.end else None,
            "precision": when.precision.name.lower(),
            "circa": when.circa,
            "display_date": when.label(),
            "actors": [{"id": a, "name": timeline.actors[a].name} for a in timeline.event_actors[event.slug]],
            "tags": [timeline.tags[t].name for t in timeline.event_tags[event.slug]],
            "place": event.place,
            "summary": site.summary(event),
            "sources": [
                {"title": s.title, "url": s.url, "publisher": s.publisher,
                 "published": s.published.iso() if s.published else None}  # fmt: skip
                for s in event.sources
            ],
        }

    def actor_data(actor: Actor) -> dict[str, Any]:
        return {"id": actor.id, "name": actor.name, "aliases": list(actor.aliases), "kind": actor.kind, "role": actor.role,
                "url": canonical(page_path("actor", actor.id), config), "events": list(timeline.actor_events[actor.id])}  # fmt: skip

    head = dump({"title": config.title, "description": config.description, "url": base})[:-1]
    events = ",".join(dump(event_data(e)) for e in timeline.events)
    actors = ",".join(dump(actor_data(a)) for a in timeline.actors.values())
    return f'{head},"events":[{events}],"actors":[{actors}]}}\n'.encode()


def sitemap(paths: Iterable[str], config: SiteConfig) -> bytes:
    """Every HTML page but the 404, at its clean absolute URL."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in paths:
        if path.endswith(INDEX):
            lines.append(f"  <url><loc>{escape(canonical(path, config))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def export_files(site: Site, pages: Iterable[str], feed: Callable[[], tuple[str, dict[str, str]]]) -> dict[str, Callable[[], bytes]]:
    """Every data file of the site, each made only when asked for (they depend on every event).

    ``feed`` gives the feed's head and entries (``feed_parts``), which the caller makes from events with their bodies.
    """
    paths = list(pages)
    config = site.config
    makers: dict[str, Callable[[], bytes]] = {
        FEED: lambda: join_feed(*feed()),
        DATA: lambda: timeline_json(site),
        SITEMAP: lambda: sitemap(paths, config),
        NO_JEKYLL: lambda: b"",
    }
    if config.cname:
        makers[CNAME] = lambda: config.cname.encode() + b"\n"
    return makers
