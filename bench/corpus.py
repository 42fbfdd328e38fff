"""Deterministic synthetic corpus: N realistic event notes (and actor notes), in Timeline Builder's format and as a Hugo site.

    python bench/corpus.py OUT_DIR --notes 10000 [--seed 1] [--hugo HUGO_DIR]

The notes themselves come from bench/notes.py (all randomness is there); this module writes them
in our format and bench/hugo_site.py as a Hugo site, so both formats hold the same notes for a seed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ itself is first on the path, the project is not
    sys.path.insert(0, str(ROOT))

from bench.hugo_site import write_hugo_site  # noqa: E402
from bench.notes import BASE_URL, SITE_TITLE, Corpus, Note, generate  # noqa: E402


def note_path(content: Path, note: Note) -> Path:
    """Where ``write_corpus`` puts a note under ``content``."""
    return content / "events" / note.date[:4] / f"{note.slug}.md"


def write_corpus(out: Path, notes: int | Corpus, seed: int = 1) -> Corpus:
    """Write the event notes and actor notes under ``out`` (replacing it), in Timeline Builder's format."""
    corpus = notes if isinstance(notes, Corpus) else generate(notes, seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "events").mkdir(parents=True)
    (out / "actors").mkdir(parents=True)
    (out / "site.toml").write_text(f'title = "{SITE_TITLE}"\nbase_url = "{BASE_URL}"\n')
    for actor in corpus.actors:
        aliases = f"aliases: [{', '.join(json.dumps(a) for a in actor.aliases)}]\n" if actor.aliases else ""
        (out / "actors" / f"{actor.id}.md").write_text(
            f"---\nname: {actor.name}\n{aliases}kind: {actor.kind}\nrole: {actor.role}\n---\n{actor.profile}\n"
        )
    for note in corpus.notes:
        extra = ([f'end: "{note.end}"'] if note.end else []) + (["circa: true"] if note.circa else [])
        refs = ", ".join(corpus.actors[a].id if a % 2 else corpus.actors[a].name for a in note.actors)  # ids and names
        sources = "".join(
            f'  - title: {s["title"]}\n    url: {s["url"]}\n    publisher: {s["publisher"]}\n    published: "{s["published"]}"\n'
            for s in (note.source(s) for s in range(note.sources))
        )
        path = note_path(out, note)
        path.parent.mkdir(exist_ok=True)
        front = "\n".join([f"title: {note.title}", f'date: "{note.date}"', *extra,
                           f"actors: [{refs}]", f"tags: [{', '.join(note.tags)}]", f"sources:\n{sources.rstrip()}"])  # fmt: skip
        path.write_text(f"---\n{front}\n---\n{note.body}")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", type=Path, metavar="DIR", help="also write the same notes as a Hugo site in DIR")
    args = parser.parse_args()
    corpus = write_corpus(args.out, args.notes, args.seed)
    if args.hugo:
        write_hugo_site(args.hugo, corpus, static=ROOT / "templates" / "static")


if __name__ == "__main__":
    main()
