"""The folders a benchmark works in: the snapshot of the code measured, and each size's two corpora and outputs."""

from __future__ import annotations

import compileall
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import note_path, write_corpus
from bench.hugo_site import hugo_note_path, write_hugo_site
from bench.notes import Corpus, Note, generate

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("site.toml", "events", "actors")  # what the corpus writes in content/


def empty(folder: Path, keep: tuple[str, ...] = ()) -> None:
    """Delete what ``folder`` holds (but the names in ``keep``), leaving the folder itself."""
    if folder.exists():
        for entry in folder.iterdir():
            if entry.name in keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


@dataclass
class Workspace:
    """One size's scratch folders: our project (content/ and whatever the build keeps beside it) and the Hugo site."""

    root: Path
    hugo: Path
    code: Path  # the snapshot of builder/ and templates/ being measured
    notes: int
    corpus_seconds: float
    random_targets: list[tuple[Path, Path]] = field(default_factory=list)  # (our note, Hugo note) pairs to edit
    busy_targets: list[tuple[Path, Path]] = field(default_factory=list)
    edits: int = 0

    @property
    def project(self) -> Path:
        return self.root / "ours"

    @property
    def content(self) -> Path:
        return self.project / "content"

    @property
    def templates(self) -> Path:
        return self.code / "templates"

    @property
    def site(self) -> Path:
        return self.project / "site"

    @property
    def hugo_public(self) -> Path:
        return self.root / "hugo-public"

    @property
    def hugo_cache(self) -> Path:
        return self.root / "hugo-cache"

    @property
    def log(self) -> Path:
        return self.root / "commands.log"

    def next_target(self) -> tuple[int, Path, Path]:
        """The next note to edit: a random one, then one of the busiest actor's, and so on; and the edit's number."""
        number = self.edits
        self.edits += 1
        pool = self.busy_targets if number % 2 else self.random_targets
        ours, hugo = pool[(number // 2) % len(pool)]
        return number, ours, hugo


def snapshot(scratch: Path, source: Path = ROOT) -> Path:
    """A copy of builder/, templates/ and bench/ to measure, so that edits to the tree during a run change nothing.

    Compiled ahead, so the first measured build does not pay for writing the bytecode. ``source`` is
    the project, or an earlier snapshot when a run measures in several scratch folders.
    """
    code = scratch / "code"
    shutil.rmtree(code, ignore_errors=True)
    for name in ("builder", "templates", "bench"):
        shutil.copytree(source / name, code / name, ignore=shutil.ignore_patterns("__pycache__", "results*.md"))
    if not compileall.compile_dir(code, quiet=1):
        raise SystemExit(f"the snapshot in {code} does not compile")
    env = ours_env(code)
    subprocess.run([sys.executable, "-m", "builder", "build", "--help"], cwd=scratch, env=env, capture_output=True, check=True)
    found = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"], cwd=scratch, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    if not Path(found).resolve().is_relative_to(code.resolve()):
        raise SystemExit(f"builder is imported from {found}, not from the snapshot in {code}")
    return code


def prepare(root: Path, notes: int, seed: int, code: Path) -> Workspace:
    """Both corpora of ``notes`` notes written afresh under ``root``, with the notes to edit picked."""
    started = time.perf_counter()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    corpus = generate(notes, seed)
    write_corpus(root / "ours" / "content", corpus)
    write_hugo_site(root / "hugo", corpus, static=code / "templates" / "static")
    space = Workspace(root, root / "hugo", code, notes, time.perf_counter() - started)
    space.random_targets, space.busy_targets = _targets(corpus, space)
    space.hugo_public.mkdir()
    space.hugo_cache.mkdir()
    return space


def _targets(corpus: Corpus, space: Workspace, count: int = 200) -> tuple[list[tuple[Path, Path]], list[tuple[Path, Path]]]:
    rng = random.Random(7)
    _, busy = corpus.busiest_actor()
    by_slug = {note.slug: note for note in corpus.notes}
    pick = [rng.choice(corpus.notes) for _ in range(count)]
    busiest = [by_slug[rng.choice(busy)] for _ in range(count)]

    def paths(chosen: list[Note]) -> list[tuple[Path, Path]]:
        return [(note_path(space.content, n), hugo_note_path(space.hugo, n)) for n in chosen]

    return paths(pick), paths(busiest)


def ours_command(space: Workspace) -> list[str]:
    return [sys.executable, "-m", "builder", "build", "--content", str(space.content), "--templates", str(space.templates),
            "--out", str(space.site)]  # fmt: skip


def ours_env(code: Path) -> dict[str, str]:
    """The environment that imports builder from the snapshot ``code``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env
