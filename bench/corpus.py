"""Deterministic synthetic corpus: N realistic event notes (and actor notes) in Timeline Builder's format.

    python bench/corpus.py OUT_DIR --notes 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = (
    "government officials ministry talks weapons supply shells artillery ammunition troops border "
    "agreement treaty sanctions statement envoy president minister council report analysts security "
    "defence policy pressure allies partners negotiations ceasefire offensive frontline aid package "
    "shipment exports industry reconstruction parliament vote election campaign briefing conference "
    "intelligence satellite missile drone launch exercise drills coalition summit meeting visit"
).split()
TAGS = [f"topic-{i:02d}" for i in range(50)]
KINDS = ("person", "organization", "country", "place", "group")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}](https://example.com/{rng.randrange(10**6)})"
    return " ".join(words) + "."


def _body(rng: random.Random) -> str:
    target = rng.randint(150, 600)
    parts: list[str] = []
    count = 0
    while count < target:
        roll = rng.random()
        if roll < 0.12:
            items = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))) for _ in range(rng.randint(2, 5))]
            block = "\n".join(f"- {item}" for item in items)
        elif roll < 0.2:
            block = "> " + _sentence(rng)
        else:
            block = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts) + "\n"


def _date(rng: random.Random) -> tuple[str, list[str]]:
    year = rng.randint(1990, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    extra: list[str] = []
    if roll < 0.1:
        date = f"{year}"
    elif roll < 0.3:
        date = f"{year}-{month:02d}"
    elif roll < 0.4:
        date = f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+09:00"
    else:
        date = f"{year}-{month:02d}-{day:02d}"
        if roll > 0.93:
            extra.append(f'end: "{year}-{month:02d}-{min(day + rng.randint(1, 5), 28):02d}"')
    if rng.random() < 0.08:
        extra.append("circa: true")
    return date, extra


def write_corpus(out: Path, notes: int, seed: int = 1) -> None:
    """Write ``notes`` event notes and N/20 actor notes under ``out`` (replacing it)."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "events").mkdir(parents=True)
    (out / "actors").mkdir(parents=True)
    (out / "site.toml").write_text('title = "Benchmark timeline"\nbase_url = "https://example.org/bench/"\n')
    pool = max(notes // 20, 5)
    for i in range(pool):
        aliases = f'aliases: ["Actor {i} alias", "A. {i}"]\n' if i % 3 == 0 else ""
        (out / "actors" / f"actor-{i:05d}.md").write_text(
            f"---\nname: Actor {i}\n{aliases}kind: {KINDS[i % len(KINDS)]}\nrole: Role {i}\n---\n{_sentence(rng)}\n"
        )
    weights = [1 / (rank + 1) for rank in range(pool)]  # Zipf-like: a few actors appear everywhere
    for i in range(notes):
        date, extra = _date(rng)
        actors = sorted(set(rng.choices(range(pool), weights=weights, k=rng.randint(1, 4))))
        refs = ", ".join(f"actor-{a:05d}" if a % 2 else f"Actor {a}" for a in actors)
        tags = ", ".join(sorted(set(rng.sample(TAGS, rng.randint(1, 3)))))
        sources = "".join(
            f"  - title: Source {i}-{s}\n    url: https://example.com/{i}/{s}\n    publisher: Publisher {s}\n"
            f'    published: "{date[:10]}"\n'
            for s in range(rng.randint(1, 3))
        )
        folder = out / "events" / date[:4]
        folder.mkdir(exist_ok=True)
        front = "\n".join([f"title: Event number {i} about {rng.choice(WORDS)}", f'date: "{date}"', *extra,
                           f"actors: [{refs}]", f"tags: [{tags}]", f"sources:\n{sources.rstrip()}"])  # fmt: skip
        (folder / f"event-{i:06d}.md").write_text(f"---\n{front}\n---\n{_body(rng)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.out, args.notes, args.seed)


if __name__ == "__main__":
    main()
