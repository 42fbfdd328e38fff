"""The benchmark's notes, before any format: N realistic events and a pool of actors, the same for the same seed.

All the randomness is here: bench/corpus.py writes these notes in Timeline Builder's format and
bench/hugo_site.py as a Hugo site, so both hold the same notes for a given seed.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

WORDS = (
    "government officials ministry talks weapons supply shells artillery ammunition troops border "
    "agreement treaty sanctions statement envoy president minister council report analysts security "
    "defence policy pressure allies partners negotiations ceasefire offensive frontline aid package "
    "shipment exports industry reconstruction parliament vote election campaign briefing conference "
    "intelligence satellite missile drone launch exercise drills coalition summit meeting visit"
).split()
TAGS = [f"topic-{i:02d}" for i in range(50)]
KINDS = ("person", "organization", "country", "place", "group")
SITE_TITLE = "Benchmark timeline"
BASE_URL = "https://example.org/bench/"
PAGE_SIZE = 200  # list pages hold 200 events, as in builder/pages.py
FEED_SIZE = 50  # the feed holds the latest 50 events


@dataclass(frozen=True, slots=True)
class Actor:
    index: int
    profile: str

    @property
    def id(self) -> str:
        return f"actor-{self.index:05d}"

    @property
    def name(self) -> str:
        return f"Actor {self.index}"

    @property
    def aliases(self) -> tuple[str, ...]:
        return (f"Actor {self.index} alias", f"A. {self.index}") if self.index % 3 == 0 else ()

    @property
    def kind(self) -> str:
        return KINDS[self.index % len(KINDS)]

    @property
    def role(self) -> str:
        return f"Role {self.index}"


@dataclass(frozen=True, slots=True)
class Note:
    index: int
    title: str
    date: str  # 2024, 2024-06, 2024-06-03 or 2024-06-03T14:30+09:00
    end: str | None
    circa: bool
    actors: tuple[int, ...]  # indexes into the actor pool
    tags: tuple[str, ...]
    sources: int  # how many sources (1-3)
    body: str

    @property
    def slug(self) -> str:
        return f"event-{self.index:06d}"

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}.get(len(self.date), "minute")

    def source(self, number: int) -> dict[str, str]:
        """The note's ``number``th source (of ``sources``), as both formats list it."""
        return {"title": f"Source {self.index}-{number}", "url": f"https://example.com/{self.index}/{number}",
                "publisher": f"Publisher {number}", "published": self.date[:10]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Corpus:
    seed: int
    actors: tuple[Actor, ...]
    notes: tuple[Note, ...]

    def busiest_actor(self) -> tuple[int, list[str]]:
        """The actor in the most events (the one with the largest pages), and the slugs of its events."""
        counts = Counter(a for note in self.notes for a in note.actors)
        actor = min(counts, key=lambda a: (-counts[a], a))
        return actor, [note.slug for note in self.notes if actor in note.actors]


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


def _date(rng: random.Random) -> tuple[str, str | None, bool]:
    year = rng.randint(1990, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    end = None
    if roll < 0.1:
        date = f"{year}"
    elif roll < 0.3:
        date = f"{year}-{month:02d}"
    elif roll < 0.4:
        date = f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+09:00"
    else:
        date = f"{year}-{month:02d}-{day:02d}"
        if roll > 0.93:
            end = f"{year}-{month:02d}-{min(day + rng.randint(1, 5), 28):02d}"
    return date, end, rng.random() < 0.08


def generate(notes: int, seed: int = 1) -> Corpus:
    """``notes`` event notes and a pool of N/20 actors (at least 5), the same for the same arguments."""
    rng = random.Random(seed)
    pool = max(notes // 20, 5)
    actors = tuple(Actor(i, _sentence(rng)) for i in range(pool))
    weights = [1 / (rank + 1) for rank in range(pool)]  # Zipf-like: a few actors appear everywhere
    made = []
    for i in range(notes):
        date, end, circa = _date(rng)
        involved = tuple(sorted(set(rng.choices(range(pool), weights=weights, k=rng.randint(1, 4)))))
        tags = tuple(sorted(set(rng.sample(TAGS, rng.randint(1, 3)))))
        sources = rng.randint(1, 3)
        title = f"Event number {i} about {rng.choice(WORDS)}"
        made.append(Note(i, title, date, end, circa, involved, tags, sources, _body(rng)))
    return Corpus(seed, actors, tuple(made))
