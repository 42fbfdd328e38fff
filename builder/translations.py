"""Notes in a site's other languages: ``<name>.<tag>.md`` beside ``<name>.md`` translates it into ``<tag>``.

A translation gives its note's words in that language: an event's title, summary, body and place, an actor's name,
summary, role and profile, a source note's summary and its note. The facts stay the original's (an event's date,
actors, tags, sources, status; an actor's aliases and kind), so every language has the same events on the same
pages, and a translation that disagrees with its original about them is warned about rather than followed. A note
without a translation is shown as written, marked as being in the first language.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .aliases import ActorIndex
from .assets import Found
from .checks import actor_warnings, broken_links, linked_files
from .diagnostics import Diagnostic, error, warning
from .i18n import UnknownLanguage, parse_tag
from .links import LinkIndex
from .model import Timeline, with_event
from .reading import NoteState
from .records import Actor, Event, SourceNote
from .relative import PENDING
from .text import NOTE_SUFFIXES


@dataclass(frozen=True, slots=True)
class Translation:
    path: Path  # the translation's file
    original: Path  # the file of the note it translates
    state: NoteState


@dataclass(frozen=True, slots=True)
class Split:
    """A content folder's notes, the translations set apart."""

    originals: dict[Path, NoteState]  # every note that is not a translation, in the files' order
    translations: dict[str, dict[Path, Translation]]  # language -> original's file -> its translation
    problems: tuple[Diagnostic, ...]  # translations of no note, and what reading them found


@dataclass(frozen=True, slots=True)
class InLanguage:
    """The notes of one of the site's other languages: each original with its translation's words, if it has one."""

    tag: str
    states: dict[Path, NoteState]  # in the files' order
    untranslated: frozenset[tuple[str, str]]  # (kind, key) of each note shown as written: ("event", slug), ("actor", id)
    parked: Mapping[str, str]  # event slug -> the slug its translation's body was read (and parked) under


def language_of(path: Path, languages: Sequence[str]) -> str | None:
    """The language a note's file name says it is a translation into (``x.ko.md``: "ko"), among ``languages``."""
    name, dot, tag = path.stem.rpartition(".")
    if not dot or not name:
        return None
    return next((known for known in languages if known.casefold() == tag.casefold()), None)


def unlisted(states: Mapping[Path, NoteState], languages: Sequence[str]) -> tuple[dict[Path, NoteState], list[Diagnostic]]:
    """The notes less the translations into a language the site is not built in (not among ``languages``), which
    are left out, each with a warning: a translation is never an event of its own."""
    kept: dict[Path, NoteState] = {}
    found: list[Diagnostic] = []
    for path, state in states.items():
        name, dot, tag = path.stem.rpartition(".")
        if dot and name and language_of(path, languages) is None and _is_language(tag) and _beside(path, name, states):
            found.append(warning(path.as_posix(), 1, f'a translation into "{tag}", which is not among the languages of site.toml: '
                                 "left out"))  # fmt: skip
        else:
            kept[path] = state
    return kept, found


def _is_language(tag: str) -> bool:
    try:
        parse_tag(tag)
    except UnknownLanguage:
        return False
    return True


def split(states: Mapping[Path, NoteState], languages: Sequence[str]) -> Split:
    """The translations among the notes (into ``languages``, the site's languages besides the first), set apart."""
    originals: dict[Path, NoteState] = {}
    translations: dict[str, dict[Path, Translation]] = {tag: {} for tag in languages}
    problems: list[Diagnostic] = []
    for path, state in states.items():
        tag = language_of(path, languages)
        if tag is None:
            originals[path] = state
            continue
        name = path.stem.rpartition(".")[0]
        original = _beside(path, name, states)
        problems += state.diagnostics
        if original is None:
            problems.append(error(path.as_posix(), 1, f'a translation into "{tag}" of {name}.md, which is not a note beside it'))
        else:
            translations[tag][original] = Translation(path, original, state)
    return Split(originals, translations, tuple(problems))


def in_language(found: Split, tag: str, first: str) -> InLanguage:
    """The notes as the part of the site in ``tag`` shows them; ``first`` is the site's first language, which a note
    shown untranslated is marked as written in (unless it says another)."""
    states: dict[Path, NoteState] = {}
    untranslated: set[tuple[str, str]] = set()
    parked: dict[str, str] = {}
    into = found.translations.get(tag, {})
    for path, state in found.originals.items():
        record, translation = state.record, into.get(path)
        words = translation.state.record if translation is not None else None
        if isinstance(record, Event):
            if isinstance(words, Event):
                parked[record.slug] = words.slug
                record = laid_over(record, words, tag)
            else:
                untranslated.add(("event", record.slug))
                record = in_first_language(record, first)
        elif isinstance(record, Actor):
            if isinstance(words, Actor):
                names = record.names + (((tag, words.name),) if words.name != record.name else ())
                record = replace(record, names=names, summary=words.summary, role=words.role or record.role, profile=words.profile)
            else:
                untranslated.add(("actor", record.id))
        elif isinstance(record, SourceNote):
            if isinstance(words, SourceNote):
                record = replace(record, summary=words.summary, profile=words.profile)
            else:
                untranslated.add(("source", record.id))
        states[path] = replace(state, record=record)
    return InLanguage(tag, states, frozenset(untranslated), parked)


def laid_over(event: Event, words: Event, tag: str) -> Event:
    """An event as the part of the site in ``tag`` shows it: its translation's words (``words``) on its own facts."""
    return replace(event, title=words.title, summary=words.summary, body=words.body, place=words.place or event.place,
                   lang=words.lang or tag)  # fmt: skip


def in_first_language(event: Event, first: str) -> Event:
    """An event without a translation, as another language's part of the site shows it: in the first language."""
    return replace(event, lang=event.lang or first)


def disagreement(event: Event, words: Event, index: ActorIndex) -> list[Diagnostic]:
    """Where one translation (``words``) says another date, other actors or other tags than its original."""
    found: list[Diagnostic] = []

    def who(event: Event) -> set[str]:
        return {i for ref in event.actors for i in (index.resolve(ref.text).ids or (ref.text,))}

    where, then = words.path, "; the original's are shown in every language"
    if words.when != PENDING and words.when != event.when:
        found.append(warning(where, words.line, f'this translation is dated {words.when.label()} and its original '
                             f'{event.when.label()} ({event.path}){then}'))  # fmt: skip
    if who(words) != who(event):
        found.append(warning(where, words.line, f"this translation's actors are not its original's ({event.path}){then}"))
    if {t.casefold() for t in words.tags} != {t.casefold() for t in event.tags}:
        found.append(warning(where, words.line, f"this translation's tags are not its original's ({event.path}){then}"))
    return found


def original_of(path: Path, languages: Sequence[str], notes: Container[Path]) -> tuple[str, Path] | None:
    """For a translation's file, its language and the file of the note it translates, among ``notes``; None for a note
    that is no translation into one of ``languages``."""
    tag = language_of(path, languages)
    original = _beside(path, path.stem.rpartition(".")[0], notes) if tag is not None else None
    return (tag, original) if tag is not None and original is not None else None


def translation(path: Path, tag: str, notes: Container[Path]) -> Path | None:
    """The file of the translation into ``tag`` of the note at ``path``, among ``notes``; None if it has none."""
    return _beside(path, f"{path.stem}.{tag}", notes)


def _beside(path: Path, name: str, notes: Container[Path]) -> Path | None:
    """The note named ``name`` beside ``path`` (with any note suffix), if ``notes`` holds it."""
    return next((found for suffix in NOTE_SUFFIXES if (found := path.with_name(name + suffix)) in notes), None)


def as_shown(
    path: Path, event: Event, tag: str, first: str, languages: Sequence[str], notes: Container[Path],
    record: Callable[[Path], Event | Actor | SourceNote | None],
) -> Event | None:
    """The event of the note at ``path`` (as read: ``event``) as the part of the site in ``tag`` shows it: a note in the
    first language with its translation's words, or as written; a translation into ``tag`` laid over its original.
    None where that part does not show it (a translation into another language, or of a note that is no event).
    ``record`` reads another note (the translation, the original) as it is now."""
    hit = original_of(path, languages, notes)
    if hit is None:
        at = translation(path, tag, notes)
        words = record(at) if at is not None else None
        return laid_over(event, words, tag) if isinstance(words, Event) else in_first_language(event, first)
    original = record(hit[1])
    return laid_over(original, event, tag) if hit[0] == tag and isinstance(original, Event) else None


def modelled(timeline: Timeline, record: Event | Actor | SourceNote | None) -> Event | None:
    """An original note's event as the timeline holds it (None for a draft left out, or for a note that is no event)."""
    return timeline.event(record.slug) if isinstance(record, Event) and record.slug in timeline.position else None


def with_edits(timeline: Timeline, edits: Iterable[tuple[Path, Event, Event]], tag: str, first: str, languages: Sequence[str],
               states: Mapping[Path, NoteState]) -> Timeline | None:  # fmt: skip
    """The timeline of the part of the site in ``tag`` after edits to event notes (each its path, the event before and
    after), each as that part shows it (``as_shown``); None when only a fresh model can tell (``model.with_event``)."""

    def record(path: Path) -> Event | Actor | SourceNote | None:
        return states[path].record

    for path, old, new in edits:
        before, after = (as_shown(path, e, tag, first, languages, states, record) for e in (old, new))
        if before is None or after is None:
            continue
        changed = with_event(timeline, before, after)
        if changed is None:
            return None
        timeline = changed[0]
    return timeline


def problems(
    state: NoteState, original: Event | None, index: LinkIndex | None, files: Found, who: ActorIndex
) -> tuple[Diagnostic, ...]:
    """What a translation's own reading found, its links that go nowhere, and where it disagrees with its original."""
    record, found = state.record, list(state.diagnostics)
    if isinstance(record, Event):
        found += broken_links(record.path, record.body.links, index) if index is not None else []
        found += linked_files(record.path, record.body.files, files)
        found += disagreement(original, record, who) if original is not None else []
    elif record is not None:
        found += actor_warnings(record, index)
    return tuple(found)
