"""The whole pipeline, top to bottom: read, validate, model, pages, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import exports
from .checks import check_timeline
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Report, error
from .markup import Markdown
from .model import Timeline, build_timeline
from .notes import note_files, read_note
from .output import read_static, write_site
from .pages import Site, all_pages
from .records import Actor, Event, actor_from_note, event_from_note
from .render import Renderer, TemplateProblem


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False  # warnings stop the build too


@dataclass(frozen=True, slots=True)
class Loaded:
    config: SiteConfig
    timeline: Timeline | None  # None when any note has an error
    notes: int
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Result:
    report: Report
    notes: int
    files: int
    seconds: float


def load(options: Options) -> Loaded:
    """Read and validate every note, then build the timeline; every problem is collected, none raised."""
    shown = options.content.as_posix()
    config, problems = load_config(options.content, shown)
    if options.base_url is not None:
        config = config.with_base_url(options.base_url)
    markdown = Markdown(allow_html=config.allow_html)
    events: list[Event] = []
    actors: list[Actor] = []
    files = note_files(options.content)
    for path, kind in files:
        note, found = read_note(path, f"{shown}/{path.relative_to(options.content).as_posix()}", kind)
        problems += found
        if note is None:
            continue
        if kind == "event":
            event, found = event_from_note(note, markdown)
            problems += found
            if event is not None:
                events.append(event)
        else:
            actor, found = actor_from_note(note, markdown)
            problems += found
            if actor is not None:
                actors.append(actor)
    timeline, found = build_timeline(events, actors, drafts=options.drafts)
    problems += found
    problems += check_timeline(timeline)
    failed = Report.of(problems).errors > 0
    return Loaded(config, None if failed else timeline, len(files), tuple(problems))


def render_site(timeline: Timeline, config: SiteConfig, templates: Path) -> dict[str, bytes]:
    """Every output file as bytes, keyed by its path in the site."""
    renderer = Renderer(templates, templates.as_posix())
    site = Site(timeline, config)
    cards = site.cards()
    pages = all_pages(site)
    files = {page.path: renderer.render(page, cards) for page in pages}
    files["feed.xml"] = exports.atom_feed(timeline, config)
    files["timeline.json"] = exports.timeline_json(timeline, config)
    files["sitemap.xml"] = exports.sitemap((p.path for p in pages), config)
    files[".nojekyll"] = b""
    files.update(read_static(templates / "static"))
    return files


def build(options: Options) -> Result:
    """Build the site into ``options.out``; with any error, the previous site is left untouched."""
    started = time.perf_counter()
    loaded = load(options)
    problems = list(loaded.diagnostics)
    written = 0
    if loaded.timeline is not None and not Report.of(problems).failed(options.strict):
        if not options.templates.is_dir():
            problems.append(error(options.templates.as_posix(), 1, "templates folder not found"))
        else:
            try:
                files = render_site(loaded.timeline, loaded.config, options.templates)
            except TemplateProblem as exc:
                problems.append(exc.diagnostic)
            else:
                write_site(options.out, files)
                written = len(files)
    return Result(Report.of(problems), loaded.notes, written, time.perf_counter() - started)
