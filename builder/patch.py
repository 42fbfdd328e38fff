"""The build after edits that stay on their own page (``changes.local``: an event's body), patched into the last
build instead of laying the site out again.

An event's body shows on its own page and in the feeds that hold it (the site's, its actors' and its tags'),
nowhere else. So when every note that changed is such an edit, the last build's layout still holds, and the
build needs only that event's page frame (the page without its body, kept in the store by the last full build),
its new body, and the feeds as the last build wrote them, to swap its entry in. Anything else returns None, and
the caller makes the full build.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .aliases import ActorIndex
from .changes import changed_fields, local
from .checks import event_warnings
from .config import SiteConfig
from .diagnostics import Report
from .exports import feed_entry, swap_entry
from .keys import digest
from .links import LinkIndex, LinkTarget, linked_html
from .model import as_modelled
from .pages import with_body
from .pipeline import Settings, configure, markdown_for
from .reading import NoteState, note_kind, read_state
from .records import Actor, Event, SourceNote
from .render import Renderer
from .routes import Links, page_path
from .site import Card, Page
from .store import LastBuild, Stat, Store, decode_frame, encode
from .translations import as_shown, disagreement, original_of, translation


def frame_entry(frame: Page, cards: Mapping[str, Card]) -> bytes:
    """An event page's frame with the cards it shows, as the next build reads it back to patch in a new body."""
    return encode((frame.path, frame.template, frame.context, {slug: cards[slug] for slug in sorted(frame.events)}))


def read_frame(entry: bytes) -> tuple[Page, dict[str, Card]] | None:
    found = decode_frame(entry)
    if found is None:
        return None
    path, template, context, cards = found
    return Page(path, template, context, frozenset(cards)), dict(cards)


def page_print(entry: bytes, page: Page) -> str:
    """An event page's fingerprint: its frame entry and what ``pages.with_body`` added."""
    return digest(entry, page.context["body"], page.context["lede"] or "")


@dataclass(frozen=True, slots=True)
class Patch:
    """The files a patched build writes, its report, and what to record for the next build."""

    report: Report
    files: dict[str, bytes]  # output path -> bytes
    last: LastBuild  # the record of this build (outputs still to be filled in once written)
    states: dict[str, tuple[Stat, NoteState]]  # the edited notes, for the store once the files are written


def patch(
    settings: Settings, store: Store, last: LastBuild, changed: Iterable[Path], stats: Mapping[str, Stat], out: Path
) -> Patch | None:
    """The pages and feeds after local edits to the ``changed`` event notes, or None when a full build is needed.
    ``out`` holds the last build's files, as it wrote them (the caller checks)."""
    config, _ = configure(settings)
    markdown = markdown_for(config)
    index = LinkIndex(last.link_actors, last.link_slugs, last.link_drafts)
    titles = {"event": dict(zip(last.link_slugs, last.link_titles, strict=True)), "actor": {a.id: a.name for a in last.link_actors}}

    def title(target: LinkTarget) -> str | None:
        """What a [[target]] with no text shows: the title of the event, or the name of the actor, it names."""
        return None if target.route is None else titles[target.route].get(target.key)
    own = dict(last.local)
    feeds: dict[str, bytes] = {}  # feed path -> the feed with the edited events' entries swapped in
    pages: list[tuple[str, bytes, Page, dict[str, Card]]] = []
    states: dict[str, tuple[Stat, NoteState]] = {}
    languages, notes = config.translated, {Path(p) for p in last.notes}

    def note_of(path: Path) -> Event | Actor | SourceNote | None:
        kept = store.note(str(path))
        return kept[1].record if kept is not None else None

    for path in changed:
        kept = store.note(str(path))
        if note_kind(path, settings.content) != "event" or kept is None or kept[0] != last.notes.get(str(path)):
            return None
        old = kept[1].record
        new = read_state(path, settings.content, "event", markdown)
        event = new.record
        if not isinstance(old, Event) or not isinstance(event, Event) or not local(changed_fields(old, event)):
            return None
        if old.body.files or event.body.files:  # which files the site holds, and whether each exists: the full build's
            return None
        original = original_of(path, languages, notes)
        shown = _as_shown(path, event, config, last, notes, original is not None, note_of)  # by each language's prefix
        if shown is None:
            return None
        states[str(path)] = ((*stats[str(path)][:5], new.digest), new)
        if original is None:
            own[str(path)] = new.diagnostics + tuple(event_warnings(shown[0][1], index, settings.today))
        else:  # a translation: only its words are shown, and what it says of the facts is checked against its original's
            base = note_of(original[1])
            assert isinstance(base, Event)
            own[str(path)] = new.diagnostics + tuple(disagreement(base, event, ActorIndex(last.link_actors)))
        for prefix, event in shown:
            found = _patched_page(prefix, event, config, last, store, out, index, title, feeds)
            if found is None:
                return None
            pages.append(found)

    report = Report.of([*last.shared, *(d for found in own.values() for d in found)])
    record = replace(last, notes={**stats, **{p: s for p, (s, _) in states.items()}}, local=own, diagnostics=report.items)
    if report.errors:  # the build fails: nothing to render
        return Patch(report, {}, record, states)
    renderer = Renderer(settings.templates, settings.templates.as_posix())
    files: dict[str, bytes] = {}
    prints = dict(last.pages)
    for at, entry, page, cards in pages:
        files[at] = renderer.render(page, cards)
        prints[at] = page_print(entry, page)
    files.update(feeds)
    return Patch(report, files, replace(record, pages=prints), states)


def _as_shown(
    path: Path, event: Event, config: SiteConfig, last: LastBuild, notes: Container[Path], translates: bool,
    record: Callable[[Path], Event | Actor | SourceNote | None],
) -> list[tuple[str, Event]] | None:
    """An edited event as each part of the site that shows its words shows it, by that part's prefix: a translation's
    own language; for a note in the first language (not ``translates``), that one and each language without a
    translation of it. None when only a full build can tell (a date it cannot resolve; links in a body another
    language shows, whose titles of other events are that language's)."""
    languages, first = config.translated, config.language
    tags = [tag for tag in languages if translates or translation(path, tag, notes) is None]
    found = [] if translates else [("", event)]
    found += [(config.prefix_of(tag), shown) for tag in tags if (shown := as_shown(path, event, tag, first, languages, notes, record))]
    if not found or (event.body.links and any(prefix for prefix, _ in found)):
        return None
    done = [(prefix, as_modelled(shown, last.declared)) for prefix, shown in found]
    return [(prefix, shown) for prefix, shown in done if shown is not None] if all(shown for _, shown in done) else None


def _patched_page(
    prefix: str, event: Event, config: SiteConfig, last: LastBuild, store: Store, out: Path, index: LinkIndex,
    title: Callable[[LinkTarget], str | None], feeds: dict[str, bytes],
) -> tuple[str, bytes, Page, dict[str, Card]] | None:
    """An event's page in one language with its new body (its output path, frame entry, page and cards), its entry
    swapped into that language's feeds that hold it (``feeds``, as the last build wrote them until swapped here)."""
    settings = config.in_language(prefix.rstrip("/")) if prefix else config
    links = Links(config.links)
    path_of_page = page_path("event", event.slug)
    entry = store.frame(last.token, prefix + path_of_page)
    frame = read_frame(entry) if entry is not None else None
    if entry is None or frame is None or frame[0].path != path_of_page:  # a draft left out, or a frame lost or damaged
        return None

    def body(root: str) -> str:
        return linked_html(event.body, index, lambda t: links.to_note(t.route, t.key, t.fragment, root), title)  # type: ignore[arg-type]

    others = [config.prefix_of(tag) for tag in config.translated]
    held = [feed for feed in last.feeds.get(event.slug, ()) if (feed.startswith(prefix) if prefix else not feed.startswith(tuple(others)))]
    summary = str(frame[0].context["description"])  # as the frame has it: a local edit leaves it, and what it links to, as they were
    new_entry = feed_entry(event, last.feed_tags[event.slug], settings, body(settings.base_url), summary) if held else ""
    for feed in held:
        try:
            swapped = swap_entry(feeds[feed] if feed in feeds else (out / feed).read_bytes(), event.slug, new_entry, settings)
        except OSError:
            return None
        if swapped is None:
            return None
        feeds[feed] = swapped
    return prefix + path_of_page, entry, with_body(frame[0], event, body(frame[0].context["root"])), frame[1]
