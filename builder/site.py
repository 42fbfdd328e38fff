"""What every page function needs to know about the site: the timeline, the settings, the links between
pages, and each event as a card. Pages are data first: a page names the events it shows by slug and the
renderer looks their cards up, so editing one event changes one card, not every page that holds it.
Every link is relative to the page that holds it (``root`` climbs back to the site's top), so the site
works at a domain root, under a sub-path and from disk alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlparse

from .assets import site_path
from .config import SiteConfig
from .corrections import Correction, instant, newest_first
from .corrections import anchor as correction_anchor
from .dates import PartialDate
from .eras import Era, eras_of
from .i18n import N_, Language, foreign, language, own_name, span_label
from .links import LinkIndex, LinkTarget, linked_html
from .markup import Body, NoteLink
from .media import media_host, media_kind
from .model import Timeline, year_span
from .overview import Scale, scale_of
from .records import DEFAULT_STATUS, STATUSES, Actor, Event, Source, SourceNote
from .routes import FEED, Links, folder_of, page_path, quoted

PAGE_SIZE = 200  # events per list page: keeps every page to a few hundred KB at any archive size

Card = Mapping[str, Any]
JsonLd = dict[str, Any]

SCHEMA_ORG = "https://schema.org"
# schema.org types for actor kinds. Event.performer takes a Person or an Organization; a country, a place or an actor
# of unknown kind is what the event is about rather than who took part, so it goes under "about" instead.
_ACTOR_TYPES = {"person": "Person", "organization": "Organization", "group": "Organization", "country": "Country", "place": "Place"}
_PERFORMER_TYPES = {"Person", "Organization"}
# records.STATUSES in words, as headings and filters show them
STATUS_WORDS = {"reported": N_("Reported"), "confirmed": N_("Confirmed"), "disputed": N_("Disputed"),
                "denied": N_("Denied"), "retracted": N_("Retracted")}  # fmt: skip

# What a card shows of an event (``Site.card``): pages that show the card are rendered again when one of these changes.
CARD_FIELDS = frozenset({"title", "when", "place", "summary", "actors", "tags"}) | {"status", "claimed_by", "lang"}
# What a link to an event with its date shows (``Site.brief``: related events, claims, corrections): the kinds of
# page that show them list by these.
BRIEF_FIELDS = frozenset({"title", "when", "lang"})
# What a summary shows of an event it links to without a label (``Site.summary``): an edit to one of these changes the
# summary of every note that links to the event that way, wherever that summary shows.
LINKED_FIELDS = frozenset({"title"})


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # output file, relative to the site's top
    template: str
    context: Mapping[str, Any]
    events: frozenset[str] = field(default_factory=frozenset)  # slugs whose cards the page shows


class Site:
    """What every page function needs: the timeline, the settings and the actors' display names."""

    def __init__(self, timeline: Timeline, config: SiteConfig, untranslated: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.timeline = timeline
        self.config = config
        self.untranslated = untranslated  # (kind, key) of the notes shown untranslated, in a language besides the first
        self.up = "../" * config.prefix.count("/")  # from this language's top to the site's, where static files are
        # in a language besides the first: the language of the writers' own words that no translation gives (tags, era
        # names, an actor's name without a spelling in this language), for marking them; None otherwise
        self.written_in = foreign(config.languages[0], config.language) if config.languages else None
        self.links = Links(config.links)
        self.language = language(config.language)
        self.names = _display_names(timeline, config.language)
        self.periods = {e.slug: (e.when.start.year, e.when.start.month) for e in timeline.events}
        self._absolute = bool(urlparse(config.base_url).scheme)
        # made once here rather than for every card and page that shows them
        self.actor_urls = {actor_id: self.links.to("actor", actor_id) for actor_id in timeline.actors}
        self.tag_urls = {slug: self.links.to("tag", slug) for slug in timeline.tags}
        self._things: dict[str, JsonLd] = {}
        self._briefs: dict[str, dict[str, str | None]] = {}

    @classmethod
    def after(cls, previous: Site, timeline: Timeline, edited: Iterable[str]) -> Site:
        """The site of a timeline in which only the ``edited`` events differ from ``previous``'s (same actors, same
        settings): what does not depend on those events is taken over rather than made again."""
        site = cls.__new__(cls)
        site.timeline, site.config, site.links, site._absolute = timeline, previous.config, previous.links, previous._absolute
        site.untranslated, site.up, site.written_in = previous.untranslated, previous.up, previous.written_in
        site.language = previous.language
        same_actors = timeline.actors is previous.timeline.actors
        site.names = previous.names if same_actors else _display_names(timeline, previous.config.language)
        periods = {slug: (start.year, start.month) for slug in edited if (start := timeline.event(slug).when.start)}
        same = all(previous.periods.get(slug) == period for slug, period in periods.items())
        site.periods = previous.periods if same else {**previous.periods, **periods}
        site.actor_urls = previous.actor_urls if same_actors else {a: site.links.to("actor", a) for a in timeline.actors}
        site.tag_urls = {slug: previous.tag_urls.get(slug) or site.links.to("tag", slug) for slug in timeline.tags}
        site._things = dict(previous._things) if same_actors else {}
        gone = set(edited)
        site._briefs = {slug: brief for slug, brief in previous._briefs.items() if slug not in gone}
        made = previous.__dict__
        if "era_views" in made:
            site.era_views = made["era_views"]
        if "event_eras" in made:  # only the edited events can have moved into or out of an era
            marks = {slug: era for slug, era in made["event_eras"].items() if slug not in gone}
            site.event_eras = marks | {slug: found for slug in gone if (found := site._eras_at(timeline.event(slug).when.start))}
        if same_actors and "link_index" in made:  # the same actors and slugs: links name the same notes
            site.link_index = made["link_index"]
            old = previous.timeline
            if "linked_from" in made and all(old.event(s).summary.links == timeline.event(s).summary.links
                                             and correction_links(old.event(s)) == correction_links(timeline.event(s)) for s in gone):
                site.linked_from = made["linked_from"]
        return site

    @cached_property
    def scale(self) -> Scale | None:
        """The periods of every overview strip of the site, from its first and last events' years."""
        events = self.timeline.events
        return scale_of([self.periods[events[0].slug], self.periods[events[-1].slug]]) if events else None

    @cached_property
    def era_views(self) -> dict[Era, dict[str, str]]:
        """Each era as lists and strips name it, made once and shared by every card and band."""
        when = self.language.when
        marked = {"lang": self.written_in} if self.written_in else {}
        return {era: {"name": era.name, "label": when(era.span), "text": era.text, **marked} for era in self.config.eras}

    def _eras_at(self, start: PartialDate) -> tuple[dict[str, str], ...]:
        return tuple(self.era_views[era] for era in eras_of(self.config.eras, start)) if self.config.eras else ()

    @cached_property
    def event_eras(self) -> dict[str, tuple[dict[str, str], ...]]:
        """The eras each event belongs to (``eras.Era.holds``), by slug; events of no era are left out."""
        if not self.config.eras:
            return {}
        return {e.slug: found for e in self.timeline.events if (found := self._eras_at(e.when.start))}

    def media(self, event: Event) -> dict[str, Any] | None:
        """An event's media as its page shows it: a picture shown in place, or anything else as a link to where it lives,
        named by its kind and host (no embedded player: a page loads nothing from elsewhere until the reader asks)."""
        media = event.media
        if media is None:
            return None
        host = media_host(media.url)
        return {"image": media.image, "url": media.url, "alt": media.alt or "", "caption": media.caption, "credit": media.credit,
                "kind": media_kind(media), "host": host}  # fmt: skip

    def brief(self, slug: str) -> dict[str, str | None]:
        """An event as a link with its date (made once: each event is related to several others); its ``datetime`` is
        None outside years 1 to 9999."""
        if slug not in self._briefs:
            when = self.timeline.event(slug).when
            event = self.timeline.event(slug)
            self._briefs[slug] = {"title": event.title, "url": self.links.to("event", slug), "lang": self.foreign(event.lang),
                                  "date_label": self.language.when(when), "datetime": _datetime(when.start)}  # fmt: skip
        return self._briefs[slug]

    def listed_at(self, event: Event) -> dict[str, str]:
        """Where the timeline lists an event: its month (or year) on the home page, or on its year's page."""
        year, month = self.periods[event.slug]
        anchor = f"y{year}-{month or 0:02d}"
        label = self.language.date(PartialDate(year, month))
        if len(self.timeline.events) <= PAGE_SIZE:
            return {"url": self.links.at("home", anchor), "label": label}
        first, _ = year_span(self.timeline, year)
        n = (self.timeline.position[event.slug] - first) // PAGE_SIZE + 1
        return {"url": self.links.at("year", anchor, str(year), n), "label": label}

    def filters(self, slugs: Sequence[str], own: str = "") -> dict[str, Any]:
        """Which filters a list page offers: those that can tell its events apart (decided here, not in the browser,
        so nothing moves when the page's script runs)."""
        if len(slugs) < 2:  # one event: nothing to tell apart (thousands of sources are cited by one event each)
            return {"actors": False, "tags": False, "years": False, "roles": False, "statuses": []}
        timeline = self.timeline
        kind, _, key = own.partition(":")
        actors = any(kind != "actor" or a != key for s in slugs for a in timeline.event_actors[s])
        tags = any(kind != "tag" or t != key for s in slugs for t in timeline.event_tags[s])
        periods, ends = self.periods, self._end_years
        years = {periods[s][0] for s in slugs} | {ends[s] for s in slugs if s in ends}
        # on an actor's page the role filter picks that actor's role in each event (static/site.js)
        roles = any(s in timeline.event_roles and (kind != "actor" or key in timeline.event_roles[s]) for s in slugs)
        return {"actors": actors, "tags": tags, "years": len(years) > 1, "roles": roles, "statuses": self.statuses(slugs)}

    def statuses(self, slugs: Sequence[str]) -> list[dict[str, str]]:
        """The statuses a list's status filter offers, in the order of ``records.STATUSES``: those of its events,
        when there are two or more (one status cannot tell events apart)."""
        timeline = self.timeline
        present = {timeline.event(s).status for s in slugs}
        return [{"value": s, "label": self.status_word(s)} for s in STATUSES if s in present] if len(present) > 1 else []

    def status_word(self, status: str) -> str:
        """A status in words, as a heading or a filter names it ("Disputed")."""
        return self.language.gettext(STATUS_WORDS[status])

    @cached_property
    def _end_years(self) -> dict[str, int]:
        """The year each range ends in, by slug (made when a list page first needs it, never for one event page)."""
        return {e.slug: e.when.end.year for e in self.timeline.events if e.when.end is not None}

    @cached_property
    def years(self) -> dict[int, tuple[Event, ...]]:
        return self.timeline.years()

    @cached_property
    def nav(self) -> dict[str, str]:
        return self.links.nav() | self.corrections_nav

    @cached_property
    def link_index(self) -> LinkIndex:
        """The index that resolves links between notes (made when a page first shows a note that has some)."""
        return LinkIndex.of(self.timeline)

    def summary(self, note: Event | Actor | SourceNote) -> str:
        """A note's summary as readers see it: a link to another note in it without a label of its own reads as that
        note's title (an actor's name), or as written when it names no note of this build."""
        summary = note.summary
        if not summary.links:
            return summary.text
        return summary.named([self._title(self.link_index.resolve(link)) for link in summary.links])

    def _title(self, target: LinkTarget) -> str | None:
        if target.route == "event":
            return self.timeline.event(target.key).title
        return self.timeline.actors[target.key].name if target.route == "actor" else None

    @cached_property
    def linked_from(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The notes whose summaries or bodies show an event's title (a ``[[slug]]`` with no text of its own), by its slug:
        each as (``"event"``, slug), (``"actor"``, id) or (``"source"``, id)."""
        found: dict[str, dict[tuple[str, str], None]] = {}
        def named(note: Event | Actor | SourceNote) -> list[NoteLink]:
            body = note.body if isinstance(note, Event) else note.profile
            return [*note.summary.links, *(link for link in body.links if link.named), *correction_links(note)]

        notes: list[tuple[str, str, Event | Actor | SourceNote]] = [("event", e.slug, e) for e in self.timeline.events]
        notes += [("actor", a.id, a) for a in self.timeline.actors.values()]
        notes += [("source", n.id, n) for n in self.timeline.source_notes.values()]  # a source's page shows its note
        for route, key, note in notes:
            for link in named(note):
                target = self.link_index.resolve(link)
                if target.route == "event":
                    found.setdefault(target.key, {})[(route, key)] = None
        return {slug: tuple(notes) for slug, notes in found.items()}

    def href(self, root: str) -> Callable[[LinkTarget], str]:
        """Where a link to another note goes, from a page ``root`` below the site's top."""

        def go(target: LinkTarget) -> str:
            assert target.route is not None
            return self.links.to_note(target.route, target.key, target.fragment, root)

        return go

    def body_html(self, event: Event, root: str) -> str:
        """An event's body as shown on a page ``root`` below the site's top (or at an absolute base URL)."""
        return self._shown(event.body, root)

    def profile_html(self, actor: Actor, root: str) -> str:
        return self._shown(actor.profile, root)

    def source_profile(self, note: SourceNote, root: str) -> str:
        """A source note's body, as ``profile_html`` shows an actor's."""
        return self._shown(note.profile, root)

    def _shown(self, body: Body, root: str) -> str:
        """A body with its links to files and to other notes pointing where they go from a page ``root`` below the top."""
        if body.files:
            body = body.with_files([root + self.up + quoted(site_path(link.path)) + link.rest for link in body.files])
        return linked_html(body, self.link_index, self.href(root), self._title) if body.links else body.html

    def absolute(self, url: str) -> str | None:
        """The absolute URL of a link relative to the site's top, or None when the base URL is not absolute."""
        return self.config.base_url + url if self._absolute else None

    @cached_property
    def actor_chips(self) -> dict[str, dict[str, str]]:
        """Each actor as cards show it, made once and shared by every card (read-only, like all page data)."""
        actors, written_in = self.timeline.actors, self.written_in
        as_written = {a for a, actor in actors.items() if written_in and local_name(actor, self.config.language) == actor.name}
        return {a: _chip(self.names[a], url, a, written_in if a in as_written else None) for a, url in self.actor_urls.items()}

    @cached_property
    def tag_chips(self) -> dict[str, dict[str, str]]:
        return {t: _chip(self.timeline.tags[t].name, url, t, self.written_in) for t, url in self.tag_urls.items()}

    def cards(self) -> dict[str, Card]:
        return {event.slug: self.card(event) for event in self.timeline.events}

    def card(self, event: Event) -> Card:
        """Everything a list shows of one event."""
        when = event.when
        timeline = self.timeline
        return {
            "slug": event.slug,
            "title": event.title,
            "lang": self.foreign(event.lang),
            "url": self.links.to("event", event.slug),
            "date_label": self.language.when(when),
            "datetime": _datetime(when.start),
            "end_datetime": _datetime(when.end) if when.end else None,
            "precision": "range" if when.end else when.precision.name.lower(),
            "circa": when.circa,
            "span_label": span_label(when, self.language),
            "years": f"{when.start.year} {when.end.year if when.end else when.start.year}",
            "place": event.place,
            "summary": self.summary(event),
            "actors": (actors := self.actors_in(event.slug)),
            "tags": (tags := [self.tag_chips[t] for t in timeline.event_tags[event.slug]]),
            "eras": [era["name"] for era in self.event_eras.get(event.slug, ())],
            # what the filters read, joined here once rather than in the template for every page depth
            "actor_keys": " ".join(a["key"] for a in actors),
            "tag_keys": " ".join(t["key"] for t in tags),
            "role_keys": " ".join(f'{a["key"]}:{quote(role, safe="")}' for a in actors for role in a.get("roles", ())),
            **self.claim(event),
        }

    def claim(self, event: Event) -> Card:
        """How sure the timeline is of an event and who says so, as its card and page show it: the status in words
        (and by a mark's shape, in the stylesheet), and the actors who claim it as links."""
        return {
            "status": event.status,
            "status_label": self.status_word(event.status),
            "status_shown": event.status != DEFAULT_STATUS,  # a card says "reported" by saying nothing; its page says it
            "claimants": [self.actor_chips[a] for a in self.timeline.event_claimants[event.slug]],
        }

    def actors_in(self, slug: str) -> list[Mapping[str, Any]]:
        """An event's actors as its card and page show them: each with its roles in the event, if it has any
        ("role": "speaker, target"), else the chip every card shares."""
        chips, roles = self.actor_chips, self.timeline.event_roles.get(slug, {})
        return [{**chips[a], "roles": roles[a], "role": ", ".join(roles[a])} if a in roles else chips[a]
                for a in self.timeline.event_actors[slug]]  # fmt: skip

    def page(self, path: str, template: str, title: str | None, events: Sequence[str] = (), **context: Any) -> Page:
        root = "../" * path.count("/")
        canonical = self.absolute(folder_of(path))
        base = {
            "site": self.config,
            "lang": self.config.language,
            "dir": self.language.direction,
            "root": root,
            "top": root + self.up,  # the site's top, where the static files are, whatever the page's language
            "translations": self.translations(path, root + self.up),
            "home": self.links.home(root),
            "links": self.nav,
            "page_title": title,
            "here": folder_of(path),  # this page's URL from the site's top: a link to it becomes a bare anchor
            "canonical": canonical,
            "feed_url": self.absolute(FEED),
            "og_type": "website",
            "jsonld": self.web_page(path, title, canonical),
        }
        return Page(path, template, {**base, **context}, frozenset(events))

    def translations(self, path: str, top: str) -> list[dict[str, Any]]:
        """The page in each of the site's languages (none for a site in one): its ``href`` from this page, its ``url``
        for ``hreflang`` (absolute when the base URL is), the language's name for itself."""
        config = self.config
        if not config.translated:
            return []
        found = []
        for tag in config.languages:
            href = top + config.prefix_of(tag) + self.links.url(path) or "./"
            url = config.top_url + config.prefix_of(tag) + quoted(folder_of(path)) if self._absolute else href
            found.append({"lang": tag, "name": own_name(tag), "href": href, "url": url, "current": tag == config.language})
        return found

    def untranslated_in(self, kind: str, key: str) -> str | None:
        """The first language's name, in this one's words, when a note is shown untranslated; else None."""
        if (kind, key) not in self.untranslated:
            return None
        return self.language.name_of(self.config.languages[0])

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
            name = local_name(actor, self.config.language)
            self._things[actor_id] = _compact({"@type": kind, "name": name, "url": self.absolute(self.actor_urls[actor_id])})
        return self._things[actor_id]

    def event_data(self, event: Event) -> JsonLd:
        """schema.org Event for an event page: dates at the precision the writer gave, actors, place and sources."""
        when = event.when
        roles = self.timeline.event_roles.get(event.slug, {})
        actors = [(self.thing(a), roles.get(a, ())) for a in self.timeline.event_actors[event.slug]]
        sources = [self.creative_work(s) for s in event.sources]
        return _compact({
            "@context": SCHEMA_ORG,
            "@type": "Event",
            "name": event.title,
            "startDate": when.start.iso(),
            "endDate": when.end.iso() if when.end else None,
            "description": self.summary(event),
            "url": self.absolute(self.links.to("event", event.slug)),
            "location": {"@type": "Place", "name": event.place} if event.place else None,
            "performer": [_in_role(a, r) for a, r in actors if a["@type"] in _PERFORMER_TYPES],
            "about": [_in_role(a, r) for a, r in actors if a["@type"] not in _PERFORMER_TYPES],
            "subjectOf": sources + self.claim_data(event),
            "mainEntityOfPage": self.cited_by_page(event),
            "keywords": [self.timeline.tags[t].name for t in self.timeline.event_tags[event.slug]],
            "image": event.media.url if event.media is not None and event.media.image else None,
            "dateModified": changed.iso() if (changed := event.modified) is not None else None,
            "correction": self.correction_data(event),
        })  # fmt: skip

    def claim_data(self, event: Event) -> list[JsonLd]:
        """An event's status and claimants in its JSON-LD: the event is the subject of a schema.org ``Claim`` whose
        authors are the claimants and whose ``creativeWorkStatus`` is the status. Not a ``ClaimReview``: that is a
        fact-checker's verdict with a rating, and a timeline reports how a claim stands, it does not rate it. Left out
        for an event that is merely reported by nobody in particular, which is what no claim at all says."""
        claimants = [self.thing(a) for a in self.timeline.event_claimants[event.slug]]
        if event.status == DEFAULT_STATUS and not claimants:
            return []
        return [_compact({"@type": "Claim", "name": event.title, "creativeWorkStatus": event.status, "author": claimants})]

    # ---- the corrections trail ----

    @cached_property
    def corrections_nav(self) -> dict[str, str]:
        """The corrections page among the links every page offers, once the site has corrections."""
        return {"corrections": self.links.to("corrections")} if any(e.corrections for e in self.timeline.events) else {}

    def correction_text(self, correction: Correction) -> str:
        """A correction's text as readers see it: like a summary, its links to other notes read as their titles."""
        text = correction.text
        return text.named([self._title(self.link_index.resolve(link)) for link in text.links]) if text.links else text.text

    def trail(self, event: Event) -> dict[str, Any]:
        """What an event's page shows of its changes: when it was updated, and its corrections newest first."""
        return {
            "updated": self.dated(event.updated) if event.updated is not None else None,
            "corrections": [{**self.dated(c.date), "text": self.correction_text(c), "anchor": correction_anchor(c, n)}
                            for n, c in newest_first(event.corrections)],
        }  # fmt: skip

    def correction_data(self, event: Event) -> list[JsonLd]:
        """schema.org's ``correction`` of a CreativeWork: each correction as a CorrectionComment, newest first."""
        return [{"@type": "CorrectionComment", "datePublished": c.date.iso(), "text": self.correction_text(c)}
                for _, c in newest_first(event.corrections)]  # fmt: skip

    def all_corrections(self) -> list[tuple[str, int, Correction]]:
        """Every correction of the site, newest first: (its event's slug, its number among its date's, the correction);
        corrections of one moment in the timeline's order of their events."""
        found = [(e.slug, n, c) for e in self.timeline.events if e.corrections for n, c in newest_first(e.corrections)]
        return sorted(found, key=lambda f: instant(f[2].date), reverse=True)
    def foreign(self, lang: str | None) -> str | None:
        """A note's language where it is not the site's: the ``lang`` its title, summary and body are marked with."""
        return foreign(lang, self.config.language)

    def dated(self, date: PartialDate) -> dict[str, str | None]:
        """A date as a page shows it: its label, and its ``datetime`` where HTML can hold one."""
        return {"label": self.language.date(date), "datetime": _datetime(date)}

    # ---- sources ----------------------------------------------------------------------------------

    def source_view(self, key: str, source: Source | None = None) -> dict[str, Any]:
        """A source as pages show it: ``source`` in an event's own words (a citation), else as the site resolved it."""
        shown = source or self.timeline.sources[key]
        publisher = self.timeline.source_publishers.get(key)
        return {
            "key": key, "page": self.links.to("source", key), "title": shown.title, "url": shown.url,
            "host": media_host(shown.url) if shown.url else None,
            "publisher": shown.publisher, "publisher_page": self.links.to("publisher", publisher) if publisher else None,
            "author": shown.author, "archive_url": shown.archive_url, "language": shown.language,
            "published_label": self.language.date(shown.published) if shown.published else None,
            # HTML's datetime holds years 1-9999 only
            "published_iso": shown.published.iso() if shown.published and shown.published.datable else None,
        }  # fmt: skip

    def citations(self, event: Event) -> list[dict[str, Any]]:
        """An event's sources, numbered in its note's order, each linking its page on this site and where it lives."""
        keys = self.timeline.event_sources.get(event.slug, ())
        return [self.source_view(key, source) for key, source in zip(keys, event.sources, strict=False)]

    def creative_work(self, source: Source) -> JsonLd:
        """A source as schema.org names a work that is cited."""
        return _compact({
            "@type": "CreativeWork", "name": source.title, "url": source.url, "author": source.author,
            "publisher": {"@type": "Organization", "name": source.publisher} if source.publisher else None,
            "datePublished": source.published.iso() if source.published else None,
            "archivedAt": source.archive_url, "inLanguage": source.language,
        })  # fmt: skip

    def cited_by_page(self, event: Event) -> JsonLd | None:
        """The event's page as the work that cites its sources (schema.org's ``citation`` belongs to works, not events)."""
        if not event.sources:
            return None
        url = self.absolute(self.links.to("event", event.slug))
        return _compact({"@type": "WebPage", "@id": url, "citation": [self.creative_work(s) for s in event.sources]})


def _datetime(date: PartialDate) -> str | None:
    """A date as an HTML ``datetime`` value, or None outside years 1 to 9999, which that value cannot hold (a page
    then shows the date in an element other than ``<time>``)."""
    return date.iso() if date.datable else None


def _in_role(thing: JsonLd, roles: Sequence[str]) -> JsonLd:
    """An actor as an event's JSON-LD names it: in a schema.org Role (``roleName``) wrapping it when the event gives it
    a role, the way schema.org qualifies who took part as what."""
    if not roles:
        return thing
    return {"@type": "Role", "roleName": roles[0] if len(roles) == 1 else list(roles), "performer" if thing["@type"] in _PERFORMER_TYPES
            else "about": thing}  # fmt: skip


def correction_links(event: Event | Actor | SourceNote) -> list[NoteLink]:
    """The links to other notes in an event's corrections (an actor or a source has none)."""
    return [link for c in event.corrections for link in c.text.links] if isinstance(event, Event) else []


def _chip(name: str, url: str, key: str, lang: str | None = None) -> dict[str, str]:
    """An actor or tag as a card shows it; ``key`` (as a URL spells it) is what the filters use; ``lang`` the language
    its name is written in, where it is not the page's."""
    return {"name": name, "url": url, "key": quoted(key), **({"lang": lang} if lang else {})}


def _compact(data: JsonLd) -> JsonLd:
    """Leave out what is unknown (None, empty text, empty lists) rather than state it as empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def local_name(actor: Actor, tag: str) -> str:
    """An actor's name as a site in the language ``tag`` writes it: its alias marked with that language (or with the
    language alone, "ko" for "ko-KR"), else its name."""
    names = dict(actor.names)
    return names.get(tag) or names.get(tag.split("-")[0]) or actor.name


def spellings(actor: Actor, tag: str) -> tuple[str, tuple[str, ...]]:
    """An actor's name in the language ``tag`` (``local_name``), and its other spellings, the note's name among them."""
    shown = local_name(actor, tag)
    return shown, tuple(n for n in (actor.name, *actor.aliases) if n != shown)


def _display_names(timeline: Timeline, tag: str) -> dict[str, str]:
    """Actor names as readers see them, in the site's language; two actors sharing a name are told apart by role (or id)."""
    local = {a.id: local_name(a, tag) for a in timeline.actors.values()}
    counts = Counter(name.casefold() for name in local.values())
    return {
        a.id: f"{local[a.id]} ({a.role or a.id})" if counts[local[a.id].casefold()] > 1 else local[a.id]
        for a in timeline.actors.values()
    }


def groups(language: Language, periods: Mapping[str, tuple[int, int | None]], slugs: Sequence[str],
           eras: Mapping[str, Sequence[Mapping[str, str]]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Events grouped by year, then month; events known only to the year come first in their year.

    ``periods`` gives each event's (year, month or None); ``eras`` the eras each belongs to (``Site.event_eras``).
    Each month says which eras begin in the list at which of its events (``eras_at``): an era's band goes before
    the first of its events on the page, in the order of eras.toml when several begin at one event.
    """
    begun: set[tuple[str, str]] = set()
    result = []
    for year, in_year in groupby(slugs, key=lambda slug: periods[slug][0]):
        months = []
        for month, in_month in groupby(in_year, key=lambda slug: periods[slug][1]):
            label = language.date(PartialDate(year, month)) if month else language.gettext("Sometime in %(year)s", year=language.year(year))
            anchor = f"y{year}-{month:02d}" if month else f"y{year}-00"
            events = list(in_month)
            eras_at: dict[str, list[Mapping[str, str]]] = {}
            for slug in events if eras else ():
                for era in eras.get(slug, ()):  # type: ignore[union-attr]
                    if (era["name"], era["label"]) not in begun:
                        begun.add((era["name"], era["label"]))
                        eras_at.setdefault(slug, []).append(era)
            months.append({"label": label, "anchor": anchor, "events": events, "eras_at": eras_at})
        result.append({"year": year, "label": language.year(year), "anchor": f"y{year}", "months": months})
    return result




def chunks(route: str, key: str, slugs: Sequence[str]) -> list[tuple[str, Sequence[str]]]:
    """A list of events cut into pages: (its first page, first 200), (page/2/, next 200), ..."""
    parts = [slugs[i : i + PAGE_SIZE] for i in range(0, len(slugs), PAGE_SIZE)] or [[]]
    return [(page_path(route, key, n), part) for n, part in enumerate(parts, 1)]  # type: ignore[arg-type]
