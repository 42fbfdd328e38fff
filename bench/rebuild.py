"""Live-preview benchmark: median time to rebuild after editing one note's body, title, date or actors, and peak memory.

    python bench/rebuild.py [--notes 10000] [--edits 25] [--corpus DIR]

Generates the seeded corpus (bench/corpus.py), builds it once in a preview session, then edits
one note at a time (half of them events of the busiest actor, whose pages are the largest) and
times the preview's rebuild for each, as after a save (watcher and HTTP server left out). Each
kind of edit: the body (a sentence added), the title (retitled), the date (another day of the
same month, or the month's first day) and the actors (one of them swapped for another actor).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import write_corpus  # noqa: E402
from builder.build import Options  # noqa: E402
from builder.preview import Outcome  # noqa: E402
from builder.serve import Preview  # noqa: E402


def open_preview(content: Path, templates: Path = ROOT / "templates") -> tuple[Preview, Outcome]:
    """A preview session (no watcher, no HTTP serving) with the site built once in memory."""
    preview = Preview(Options(content=content, templates=templates), port=0, log=False)
    first = preview.rebuild(None, fork=True)  # as Preview.start makes it
    assert first.ok, [str(d) for d in first.report.items[:5]]
    return preview, first


def busiest_actor(preview: Preview) -> tuple[str, Sequence[str]]:
    """The actor with the most events (the largest pages) and the slugs of its events."""
    model = preview.session._model
    timeline = model.timeline if model is not None else None
    assert timeline is not None, "the preview has built once"
    return max(timeline.actor_events.items(), key=lambda item: len(item[1]))


def _title(text: str, number: int) -> str:
    return re.sub(r"^title: (.*)$", rf"title: \1 (edit {number})", text, count=1, flags=re.MULTILINE)


def _date(text: str, number: int) -> str:
    """Another day of the same month (the first, or the second if it was the first); a date without a day gets one."""

    def day(match: re.Match[str]) -> str:
        month, rest = match[1], match[2] or ""
        new = "02" if rest[1:3] == "01" else "01"
        return f'date: "{month}-{new}{rest[3:]}"'

    return re.sub(r'^date: "(\d{4}-\d\d)(-\d\d[^"]*)?"$', day, text, count=1, flags=re.MULTILINE)


def _actors(text: str, number: int) -> str:
    """One of the event's actors swapped for another (actor notes are actor-00000 to actor-NNNNN)."""
    return re.sub(r"^actors: \[([^,\]]+)", f"actors: [actor-{number % 50:05d}", text, count=1, flags=re.MULTILINE)


EDITS = {
    "body": lambda text, number: text + f"\nAn added sentence, edit number {number}.\n",
    "title": _title,
    "date": _date,
    "actors": _actors,
}


def edit_note(path: Path, number: int, kind: str = "body") -> None:
    """Edit a note as a writer would: ``kind`` is one of ``EDITS``."""
    path.write_text(EDITS[kind](path.read_text(), number))


def edit_and_rebuild(preview: Preview, path: Path, number: int, kind: str = "body") -> Outcome:
    """Edit one note and rebuild the preview for that one change, as after a save."""
    edit_note(path, number, kind)
    outcome = preview.rebuild({path})
    assert outcome.ok
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=25)
    parser.add_argument("--corpus", type=Path, help="where to write the corpus (default: a temporary folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        content = args.corpus or Path(scratch) / "content"
        started = time.perf_counter()
        write_corpus(content, args.notes)
        print(f"corpus: {args.notes} notes written in {time.perf_counter() - started:.1f} s")

        preview, first = open_preview(content)
        print(f"first build in memory: {first.seconds:.2f} s, {first.rendered} pages rendered")

        busiest = busiest_actor(preview)
        by_slug = {p.stem: p for p in (content / "events").rglob("*.md")}
        rng = random.Random(7)
        targets = [by_slug[rng.choice(busiest[1])] if i % 2 else rng.choice(list(by_slug.values())) for i in range(args.edits)]
        print(f"busiest actor: {busiest[0]} with {len(busiest[1])} events")
        for kind in EDITS:
            times, pages = [], []
            for i, path in enumerate(targets):
                outcome = edit_and_rebuild(preview, path, i, kind)
                times.append(outcome.seconds * 1000)
                pages.append(outcome.rendered)
            print(f"{kind} edit, {args.edits} edits: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, "
                  f"pages re-rendered per edit: median {statistics.median(pages):.0f}")  # fmt: skip
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
