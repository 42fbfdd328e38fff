"""The benchmark's notes as a Hugo project: config, minimal layouts that render the same pages as templates/, content.

Hugo reads the same notes as bench/corpus.py writes for Timeline Builder (bench/notes.py makes them),
so the two tools build the same site from the same events.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from bench.notes import BASE_URL, FEED_SIZE, PAGE_SIZE, SITE_TITLE, Corpus, Note, generate

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
        front: dict[str, object] = {"title": actor.name, "spellings": list(actor.aliases), "kind": actor.kind, "role": actor.role}
        (folder / "_index.md").write_text(f"---\n{_yaml(front)}---\n{actor.profile}\n")
    for note in corpus.notes:
        fields: dict[str, object] = {
            "title": note.title,
            "date": _hugo_date(note.date),
            "precision": "range" if note.end else note.precision,
            **({"end": note.end} if note.end else {}),
            **({"circa": True} if note.circa else {}),
            "actors": [corpus.actors[a].id for a in note.actors],
            "tags": list(note.tags),
            "sources": [note.source(s) for s in range(note.sources)],
        }
        hugo_note_path(out, note).write_text(f"---\n{_yaml(fields)}---\n{note.body}")
    return corpus


def _yaml(mapping: Mapping[str, object]) -> str:
    """Front-matter lines: every value as JSON, which YAML reads as is."""
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in mapping.items())
