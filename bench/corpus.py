"""Deterministic synthetic corpus: N realistic event notes (and actor notes), in Timeline Builder's format and as a Hugo site.

    python bench/corpus.py OUT_DIR --notes 10000 [--seed 1] [--hugo HUGO_DIR]

``generate`` makes the notes (all randomness is there); ``write_corpus`` and ``write_hugo_site``
only render them, so both formats hold the same notes for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections import Counter
from dataclasses import dataclass
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


def _source(note: Note, s: int) -> dict[str, str]:
    return {"title": f"Source {note.index}-{s}", "url": f"https://example.com/{note.index}/{s}",
            "publisher": f"Publisher {s}", "published": note.date[:10]}  # fmt: skip


# ---- Timeline Builder's format ------------------------------------------------------------------


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
            for s in (_source(note, s) for s in range(note.sources))
        )
        path = note_path(out, note)
        path.parent.mkdir(exist_ok=True)
        front = "\n".join([f"title: {note.title}", f'date: "{note.date}"', *extra,
                           f"actors: [{refs}]", f"tags: [{', '.join(note.tags)}]", f"sources:\n{sources.rstrip()}"])  # fmt: skip
        path.write_text(f"---\n{front}\n---\n{note.body}")
    return corpus


# ---- Hugo ------------------------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
locale = "en"
title = "{SITE_TITLE}"
disableKinds = ["section", "robotsTXT"]
capitalizeListTitles = false
summaryLength = 1  # the summary is the first paragraph, as in our cards

[taxonomies]
  actor = "actors"
  tag = "tags"

[pagination]
  pagerSize = {PAGE_SIZE}
  disableAliases = true

[outputs]
  home = ["html", "rss"]
  page = ["html"]
  taxonomy = ["html"]
  term = ["html"]

[services.rss]
  limit = {FEED_SIZE}
"""

# Minimal layouts that render the same pages as templates/: an event page, a page set per actor and
# per tag, the directories of actors and tags, the timeline grouped by year and month, and the 404.
HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .Permalink }}">
{{- end }}
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header class="masthead">
  <a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
  <nav><ul>
    <li><a href="{{ site.Home.RelPermalink }}">Timeline</a></li>
    <li><a href="{{ "actors/" | relURL }}">Actors</a></li>
    <li><a href="{{ "tags/" | relURL }}">Tags</a></li>
  </ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="colophon"><p><a href="{{ "index.xml" | relURL }}">RSS feed</a></p></footer>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<p class="count">{{ len site.RegularPages }} events</p>
{{ partial "timeline.html" (.Paginate site.RegularPages.ByDate) }}
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
<article class="event">
  <header>
    <p class="card-meta">{{ partial "when.html" . }}</p>
    <h1>{{ .Title }}</h1>
    {{ partial "chips.html" . }}
  </header>
  <div class="body">
{{ .Content }}
  </div>
{{ with .Params.sources }}
  <section class="sources">
    <h2>Sources</h2>
    <ol>
{{ range . }}
      <li><a href="{{ .url }}">{{ .title }}</a>, {{ .publisher }}, <time>{{ .published }}</time>.</li>
{{ end }}
    </ol>
  </section>
{{ end }}
</article>
<nav class="neighbours">
  {{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}"><span>← Previous</span> {{ .Title }}</a>{{ end }}
  {{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}"><span>Next →</span> {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<header class="profile">
  <h1>{{ if eq .Data.Plural "tags" }}#{{ end }}{{ .Title }}</h1>
  {{ with .Params.role }}<p class="role">{{ . }}</p>{{ end }}
  {{ with .Params.spellings }}<p class="aliases">Also spelled {{ delimit . ", " }}</p>{{ end }}
  {{ with .Content }}<div class="body">{{ . }}</div>{{ end }}
</header>
<p class="count">{{ len .Pages }} events</p>
{{ partial "timeline.html" (.Paginate .Pages.ByDate) }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="directory">
{{ range .Pages.ByTitle }}
  <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <span class="n">{{ len .Pages }} events</span>
    {{- with .Params.role }} <span class="role">{{ . }}</span>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ site.Home.RelPermalink }}">Back to the timeline</a></p>
{{ end }}
""",
    "_partials/when.html": """\
{{- $format := "2 January 2006" -}}
{{- $p := .Params.precision -}}
{{- if eq $p "year" }}{{ $format = "2006" }}{{ else if eq $p "month" }}{{ $format = "January 2006" }}
{{- else if eq $p "minute" }}{{ $format = "2 January 2006, 15:04" }}{{ end -}}
<time class="when when-{{ $p }}{{ if .Params.circa }} when-circa{{ end }}" datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{- if .Params.circa }}c. {{ end }}{{ .Date.Format $format }}{{ with .Params.end }} – {{ . }}{{ end }}</time>
{{- /**/ -}}
""",
    "_partials/chips.html": """\
{{ with .GetTerms "actors" }}<ul class="chips actors">
  {{- range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .GetTerms "tags" }}<ul class="chips tags">
  {{- range . }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
""",
    "_partials/card.html": """\
<article class="card">
  <h4 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h4>
  <p class="card-meta">{{ partial "when.html" . }}</p>
  <div class="summary">{{ .Summary }}</div>
  {{ partial "chips.html" . }}
</article>
""",
    # A pager's page of events (sorted by date), grouped by year and month. Grouping only the page's own
    # events, not the whole list for every page, keeps the cost of a list linear in its length.
    "_partials/timeline.html": """\
{{ $year := 0 }}
<div class="timeline">
{{ range .Pages.GroupByDate "January 2006" "asc" }}
{{ $first := index .Pages 0 }}
{{ if ne $first.Date.Year $year }}
{{ if $year }}</section>{{ end }}
{{ $year = $first.Date.Year }}
<section class="year"><h2 class="year-label">{{ $year }}</h2>
{{ end }}
  <section class="month"><h3 class="month-label">{{ .Key }}</h3>
{{ range .Pages }}
  {{ partialCached "card.html" . .RelPermalink }}
{{ end }}
  </section>
{{ end }}
{{ if $year }}</section>{{ end }}
</div>
{{ if gt .TotalPages 1 }}
<nav class="pager">
  {{ with .Prev }}<a rel="prev" href="{{ .URL }}">← Earlier</a>{{ end }}
  <span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
  {{ with .Next }}<a rel="next" href="{{ .URL }}">Later →</a>{{ end }}
</nav>
{{ end }}
""",
}


def _hugo_date(date: str) -> str:
    """A full date Hugo accepts; a partial date becomes its first day (2024 -> 2024-01-01)."""
    if len(date) == 4:
        return f"{date}-01-01"
    if len(date) == 7:
        return f"{date}-01"
    if len(date) > 10:  # 2024-06-03T14:30+09:00 -> 2024-06-03T14:30:00+09:00
        return f"{date[:16]}:00{date[16:]}"
    return date


def hugo_note_path(site: Path, note: Note) -> Path:
    """Where ``write_hugo_site`` puts a note under the Hugo site ``site``."""
    return site / "content" / "events" / f"{note.slug}.md"


def write_hugo_site(out: Path, notes: int | Corpus, seed: int = 1, static: Path | None = None) -> Corpus:
    """Write the same notes as a Hugo project under ``out`` (replacing it): config, content, layouts.

    Actors and tags are the ``actors`` and ``tags`` taxonomies; each actor's profile is its term page's
    content. ``static`` (optional) is a folder of assets copied to the site's ``static/``.
    """
    corpus = notes if isinstance(notes, Corpus) else generate(notes, seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "content" / "events").mkdir(parents=True)
    (out / "content" / "actors").mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        path = out / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if static is not None and static.is_dir():
        shutil.copytree(static, out / "static")
    else:
        (out / "static").mkdir()
    (out / "content" / "_index.md").write_text(f"---\ntitle: {json.dumps(SITE_TITLE)}\n---\n")
    for plural, title in (("actors", "Actors"), ("tags", "Tags")):
        (out / "content" / plural).mkdir(exist_ok=True)
        (out / "content" / plural / "_index.md").write_text(f"---\ntitle: {title}\n---\n")
    for actor in corpus.actors:
        folder = out / "content" / "actors" / actor.id
        folder.mkdir()
        front = {"title": actor.name, "spellings": list(actor.aliases), "kind": actor.kind, "role": actor.role}
        (folder / "_index.md").write_text(f"---\n{_yaml(front)}---\n{actor.profile}\n")
    for note in corpus.notes:
        front = {
            "title": note.title,
            "date": _hugo_date(note.date),
            "precision": "range" if note.end else note.precision,
            **({"end": note.end} if note.end else {}),
            **({"circa": True} if note.circa else {}),
            "actors": [corpus.actors[a].id for a in note.actors],
            "tags": list(note.tags),
            "sources": [_source(note, s) for s in range(note.sources)],
        }
        hugo_note_path(out, note).write_text(f"---\n{_yaml(front)}---\n{note.body}")
    return corpus


def _yaml(mapping: dict[str, object]) -> str:
    """Front-matter lines: every value as JSON, which YAML reads as is."""
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in mapping.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", type=Path, metavar="DIR", help="also write the same notes as a Hugo site in DIR")
    args = parser.parse_args()
    corpus = write_corpus(args.out, args.notes, args.seed)
    if args.hugo:
        write_hugo_site(args.hugo, corpus, static=Path(__file__).resolve().parents[1] / "templates" / "static")


if __name__ == "__main__":
    main()
