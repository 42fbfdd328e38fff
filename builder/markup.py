"""The one Markdown engine: CommonMark with tables and strikethrough, raw HTML escaped unless allowed.

Links to other notes (``[[target]]``, ``[[target|text]]`` and ``[text](other-note.md)``) cannot get
their href here: which note a target names is only known once every note is read. So they are
rendered with a marker and listed in order with their lines; the model resolves the targets and
``Body.html_with`` puts the hrefs in (or leaves a link's text unlinked when it has none).

Links and images to files beside the notes (``![Rostov](../images/rostov.jpg)``, ``[the filing](files/court.pdf)``,
``<img src>`` in raw HTML) are found here too, by their path relative to the note, and get a marker of their
own: their URL depends on how deep the page that shows the body is (``Body.with_files``).
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown_it_pyrs
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline as _commonmark_html_inline
from markdown_it.rules_inline.image import image as _commonmark_image
from markdown_it.rules_inline.link import link as _commonmark_link
from markdown_it.token import Token

from .pickling import fast_pickle
from .text import NOTE_SUFFIXES


@fast_pickle
@dataclass(frozen=True, slots=True)
class NoteLink:
    """A link to another note as the writer wrote it, with the line of the file it is on."""

    target: str  # [[target]]: an event slug or an actor id, name or alias; a Markdown link: the path, URL-decoded
    line: int
    fragment: str = ""  # after "#", percent-encoded, kept on the resolved href
    wiki: bool = True  # False for [text](path.md)
    named: bool = False  # [[target]] with no text of its own: it shows the title (or name) of the note it links to


@fast_pickle
@dataclass(frozen=True, slots=True)
class FileLink:
    """A link or an image naming a file beside the notes, by a path relative to its note (as GitHub shows it)."""

    path: str  # the file's path under the content folder, normalised ("images/rostov.jpg"); "" when it climbs out
    written: str  # the path as the writer wrote it, URL-decoded, for messages
    line: int
    image: bool = False
    described: bool = True  # an image with alt text (an <img> in raw HTML: with an alt attribute, empty or not)
    rest: str = ""  # "?query#fragment" as written, kept on the link


@fast_pickle
@dataclass(frozen=True, slots=True)
class Body:
    """Rendered HTML in which each note link carries a marker until ``html_with`` gives it an href, and each link to a
    file a marker until ``with_files`` gives it its URL."""

    html: str = ""
    links: tuple[NoteLink, ...] = ()
    files: tuple[FileLink, ...] = ()

    def with_files(self, urls: Sequence[str]) -> Body:
        """The body with file i at ``urls[i]`` (its links to other notes still marked)."""
        if not self.files:
            return self
        return Body(_FILE_MARKER.sub(lambda m: escapeHtml(urls[int(m[1])]) if int(m[1]) < len(urls) else "", self.html), self.links)

    def html_with(self, hrefs: Sequence[str | None], texts: Sequence[str | None] = ()) -> str:
        """The HTML with link i pointing at ``hrefs[i]``, or shown as plain text where that is None (or missing), and
        showing ``texts[i]`` where that is given (the title of the note a ``[[target]]`` names) instead of the target."""
        if self.files:
            return self.with_files(()).html_with(hrefs, texts)
        if not self.links:
            return self.html
        html = self.html
        if any(text is not None for text in texts):

            def retitle(match: re.Match[str]) -> str:
                i = int(match[2])
                text = texts[i] if i < len(texts) else None
                return match[0] if text is None else f"{match[1]}{escapeHtml(text)}{match[4]}"

            html = _WHOLE_LINK.sub(retitle, html)

        def href(i: int) -> str | None:
            return hrefs[i] if i < len(hrefs) else None

        def put(match: re.Match[str]) -> str:
            if match[1] is not None:
                to = href(int(match[1]))
                return "" if to is None else f'<a href="{escapeHtml(to)}"{match[2]}>'
            return "</a>" if href(int(match[3])) is not None else ""

        return _MARKER.sub(put, html)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Summary:
    """A summary as plain text, in which each link to another note that has no text of its own (``[[target]]``)
    stands as written until the timeline says which note it names: ``named`` puts that note's title in its place.

    A link with its own text (``[[target|label]]``, ``[label](note.md)``) reads as that text wherever it leads,
    so it is not kept.
    """

    text: str = ""  # every link as its text, or its target as written where it has none
    links: tuple[NoteLink, ...] = ()  # the links without text of their own, in order
    spans: tuple[tuple[int, int], ...] = ()  # where each of them stands in ``text``

    def named(self, names: Sequence[str | None]) -> str:
        """The text with link i read as ``names[i]``, or left as written where that is None."""
        parts: list[str] = []
        at = 0
        for (start, end), name in zip(self.spans, names, strict=False):
            if name is not None:
                parts += (self.text[at:start], name)
                at = end
        return "".join(parts) + self.text[at:] if parts else self.text


@dataclass(frozen=True, slots=True)
class Rendered:
    body: Body
    first_paragraph: Summary  # for summaries when the writer gave none


# markdown-it turns every NUL of the source into U+FFFD, so a NUL in the output can only be ours.
_MARKER = re.compile(r'<a href="\x00(\d+)\x00"([^>]*)>|</a>\x00/(\d+)\x00')
_FILE_MARKER = re.compile(r"\x00f(\d+)\x00")
_WHOLE_LINK = re.compile(r'(<a href="\x00(\d+)\x00"[^>]*>)(.*?)(</a>\x00/\2\x00)', re.S)
_WIKI = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
_NAMED = "\x00"  # around the text of a link that takes the name of its note, while a summary is made


# CommonMark's rules as markdown-it-pyrs names them, plus tables and strikethrough; raw HTML rules left out.
_FAST_RULES: list[Any] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table", "strikethrough",
]  # fmt: skip
# Where the two engines part ways, markdown-it-py decides (each case found by the differential test):
# note links (its own rules); emphasis or strikethrough markers next to a non-ASCII character (Unicode
# punctuation differs); backslashes (escapes in image alt text and multi-line link titles); backticks
# (an all-space code span; a panic on "[a `b` c`"); images (entities in alt text); autolinks (how
# their text decodes percent-escapes); and IPv6 hosts in URLs (bracket escaping).
_NEEDS_REFERENCE = re.compile(
    r"\[\[|\.md|\.markdown|[*_~][^\x00-\x7f]|[^\x00-\x7f][*_~]|\\|`|!\[|<[a-z][a-z0-9.+-]{1,31}:|[/@]\[", re.IGNORECASE
)


_NON_ASCII_MARKER = re.compile(r"[*_~][^\x00-\x7f]|[^\x00-\x7f][*_~]")
_AUTOLINK = re.compile(r"<[a-z][a-z0-9.+-]{1,31}:", re.IGNORECASE)


def _fast_can_render(source: str) -> bool:
    """Whether the compiled engine renders this body exactly as the reference does (``_NEEDS_REFERENCE``).

    The same test as one search of ``_NEEDS_REFERENCE``, in cheap steps: substring checks first, regexes only when needed.
    """
    lowered = source.lower()
    if any(s in lowered for s in ("[[", ".md", ".markdown", "\\", "`", "![", "/[", "@[")):
        return False
    if not source.isascii() and _NON_ASCII_MARKER.search(source):
        return False
    return "<" not in source or _AUTOLINK.search(source) is None


_HEADING = re.compile(r"<(/?)h([1-6])>")
_TAG = re.compile(r"<[^>]*>")  # attribute values are escaped, so no ">" inside a tag


class Markdown:
    """The Markdown engines of one build, never module-global.

    markdown-it-py is the reference. Bodies it alone can render go to it; every other body goes to
    markdown-it-pyrs (the same parser family, compiled), which a differential test holds to
    byte-identical output over the CommonMark spec, the benchmark corpus and the seed content.
    """

    def __init__(self, allow_html: bool = False, fast: bool = True) -> None:
        self._md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
        self._md.inline.ruler.before("link", "wiki_link", _wiki_link)
        self._md.inline.ruler.at("link", _link_with_line)
        self._md.inline.ruler.at("image", _with_line(_commonmark_image, "image"))
        if allow_html:
            self._md.inline.ruler.at("html_inline", _with_line(_commonmark_html_inline, "html_inline"))
        self._md.add_render_rule("note_link_open", _render_note_open)
        self._md.add_render_rule("note_link_close", _render_note_close)
        # raw HTML stays with the reference: pyrs would pass block HTML through differently
        self._fast = markdown_it_pyrs.MarkdownIt("zero").enable_many(_FAST_RULES) if fast and not allow_html else None

    def render(self, source: str, shift_headings: int = 1, first_line: int = 1, summary: bool = True, folder: str = "") -> Rendered:
        """Render a body that starts on ``first_line`` of its file; headings move down a level (the page's title is the h1).

        ``summary=False`` skips finding the first paragraph's text, for notes that give their own summary. ``folder``
        is the note's folder under the content folder ("events/2024"), which paths to files start from.
        """
        if self._fast is not None and _fast_can_render(source):
            try:
                html = self._fast.render(source)
            except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                return self._reference(source, shift_headings, first_line, summary, folder)
            if '<a href="' in html and _LOCAL_HREF.search(html):  # a link to a file: the reference engine marks it
                return self._reference(source, shift_headings, first_line, summary, folder)
            html = html.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")
            if shift_headings:
                html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift_headings, 6)}>", html)
            if not summary:
                return Rendered(Body(html), Summary())
            if html.startswith("<p>"):  # the usual case: the text is in the HTML, no need to parse again
                inner = html[3 : html.find("</p>")]
                return Rendered(Body(html), Summary(" ".join(unescape(_TAG.sub("", inner)).split())))
            return Rendered(Body(html), Summary(_fast_first_paragraph(self._fast.tree(source))))
        return self._reference(source, shift_headings, first_line, summary, folder)

    def _reference(self, source: str, shift_headings: int, first_line: int, summary: bool, folder: str) -> Rendered:
        tokens = self._md.parse(source)
        links: list[NoteLink] = []
        files = _Files(folder)
        for token in tokens:
            if shift_headings and token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift_headings, 6)}"
            line = first_line + (token.map[0] if token.map else 0)
            if token.type == "inline" and token.children:
                _mark_links(token.children, line, links, files)
            elif token.type == "html_block":
                token.content = files.in_html(token.content, line)
        html = self._md.renderer.render(tokens, self._md.options, {})
        return Rendered(Body(html, tuple(links), tuple(files.found)), _first_paragraph(tokens, links) if summary else Summary())


def _wiki_link(state: StateInline, silent: bool) -> bool:
    """[[target]] or [[target|text]]; never inside another link's text, and code spans never get here."""
    if not state.src.startswith("[[", state.pos) or state.linkLevel > 0:
        return False
    match = _WIKI.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    target, _, fragment = match[1].strip().partition("#")
    if not target.strip():
        return False
    if not silent:
        text = (match[2] or "").strip() or match[1].strip()
        meta = {"target": target.strip(), "fragment": fragment.strip(), "offset": _lines_before(state, state.pos),
                "named": not (match[2] or "").strip()}  # fmt: skip
        state.push("link_open", "a", 1).meta = {**meta, "wiki": True}
        state.push("text", "", 0).content = text
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _link_with_line(state: StateInline, silent: bool) -> bool:
    """CommonMark's link rule, noting how many lines into the paragraph each link starts."""
    start, count = state.pos, len(state.tokens)
    if not _commonmark_link(state, silent):
        return False
    if not silent:
        opened = next(t for t in state.tokens[count:] if t.type == "link_open")
        opened.meta["offset"] = _lines_before(state, start)
    return True


def _with_line(rule: Callable[[StateInline, bool], bool], kind: str) -> Callable[[StateInline, bool], bool]:
    """CommonMark's rule for images (or inline HTML), noting how many lines into the paragraph each starts."""

    def with_line(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type == kind:
                    token.meta["offset"] = _lines_before(state, start)
        return True

    return with_line


_NEWLINES = "builder.markup.newlines"  # in the parse's env: (inline text, where its line breaks are)


def _lines_before(state: StateInline, pos: int) -> int:
    """How many line breaks the inline text has before ``pos``.

    The breaks are found once per text and bisected: counting them afresh for each link made a paragraph
    of n links cost n times its length (20,000 links: seconds instead of milliseconds).
    """
    found = state.env.get(_NEWLINES)
    if found is None or found[0] is not state.src:
        found = state.env[_NEWLINES] = (state.src, [m.start() for m in _LINE_BREAK.finditer(state.src)])
    return bisect_left(found[1], pos)


_LINE_BREAK = re.compile("\n")


def _note_path(href: str) -> tuple[str, str] | None:
    """(path, fragment) of a relative link to a note's file (.md or .markdown), such as ../2024/other-note.md#terms."""
    if not href.partition("#")[0].partition("?")[0].lower().endswith(NOTE_SUFFIXES):
        return None  # most links: no need to parse them
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.lower().endswith(NOTE_SUFFIXES):
        return None
    return unquote(parts.path), parts.fragment


# A link's href (as markdown-it writes it) that may name a file beside the note: not a URL with a scheme, not an anchor,
# a query or a path from the site's top; one search of the fast engine's HTML tells whether a body has any.
_LOCAL_HREF = re.compile(r'<a href="(?![#/?"]|[A-Za-z][A-Za-z0-9+.-]*:)')


class _Files:
    """The links to files one body holds, in document order, each resolved from the note's folder."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.found: list[FileLink] = []

    def mark(self, url: str, line: int, image: bool = False, described: bool = True) -> str | None:
        """The marker that stands for ``url`` until the page's depth is known, or None when it names no file here."""
        local = _local_path(url)
        if local is None:
            return None
        written, rest = local
        path = posixpath.normpath(posixpath.join(self.folder, written)) if written else ""
        if path == ".." or path.startswith("../"):
            path = ""  # climbs out of the content folder
        self.found.append(FileLink(path, written, line, image, described, rest))
        return f"\x00f{len(self.found) - 1}\x00"

    def in_html(self, html: str, line: int) -> str:
        """Raw HTML with each src, href and poster that names a file beside the note marked (an <a href> to a .md
        file is left as it is: only Markdown links name notes)."""
        if "=" not in html:
            return html

        def tag(found: re.Match[str]) -> str:
            name = found[1].lower()
            at = line + html.count("\n", 0, found.start())
            attributes = {m[1].lower() for m in _ATTRIBUTE.finditer(found[2])}

            def attribute(m: re.Match[str]) -> str:
                key, value = m[1].lower(), m[2]
                if value is None or key not in ("src", "href", "poster"):
                    return m[0]
                url = unescape(value[1:-1] if value[:1] in "\"'" else value)
                if key == "href" and _note_path(url) is not None:
                    return m[0]
                image = name == "img" and key == "src"
                where = at + found[0].count("\n", 0, len(found[1]) + 1 + m.start(2))  # the value's line
                marker = self.mark(url, where, image, "alt" in attributes or not image)
                return m[0] if marker is None else f'{m[0][: m.start(2) - m.start()]}"{marker}"'

            return f"<{found[1]}{_ATTRIBUTE.sub(attribute, found[2])}{found[3]}"

        return _OPEN_TAG.sub(tag, html)


# An HTML open tag and its attributes, as CommonMark reads raw HTML.
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)(\s*/?>)")
_ATTRIBUTE = re.compile(r"\s+([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")


def _local_path(url: str) -> tuple[str, str] | None:
    """(path, "?query#fragment") of a URL that names a file by a relative path, or None: a URL with a scheme or a
    host, an anchor, a query alone or a path from the site's top name no file beside the note."""
    if not url or url[0] in "#?/":
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # such as "http://[oops"
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return unquote(parts.path), rest


def _mark_links(children: list[Token], line: int, links: list[NoteLink], files: _Files) -> None:
    """Turn each note link into a marked one, numbered in document order (links never nest), and each link, image or
    inline HTML naming a file into one marked for ``files``."""
    opened: Token | None = None
    for token in children:
        if token.type == "image":
            described = bool(token.content.strip())
            marker = files.mark(str(token.attrGet("src") or ""), line + token.meta.get("offset", 0), True, described)
            if marker is not None:
                token.attrSet("src", marker)
        elif token.type == "html_inline":
            token.content = files.in_html(token.content, line + token.meta.get("offset", 0))
        elif token.type == "link_open":
            found: tuple[str, str] | None
            if token.meta.get("wiki"):
                found = token.meta["target"], token.meta["fragment"]
            else:
                found = _note_path(str(token.attrGet("href") or ""))
            if found is None:
                marker = files.mark(str(token.attrGet("href") or ""), line + token.meta.get("offset", 0))  # never a [[link]]
                if marker is not None:
                    token.attrSet("href", marker)
                continue
            token.type = "note_link_open"
            token.meta["index"] = len(links)
            wiki = bool(token.meta.get("wiki"))
            links.append(NoteLink(found[0], line + token.meta.get("offset", 0), found[1], wiki, wiki and bool(token.meta.get("named"))))
            opened = token
        elif token.type == "link_close" and opened is not None:
            token.type = "note_link_close"
            token.meta["index"] = opened.meta["index"]
            opened = None


def _render_note_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    rest = {k: v for k, v in token.attrs.items() if k != "href"}
    attrs = "".join(f' {escapeHtml(str(k))}="{escapeHtml(str(v))}"' for k, v in rest.items())
    return f'<a href="\x00{token.meta["index"]}\x00"{attrs}>'


def _render_note_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"</a>\x00/{tokens[idx].meta['index']}\x00"


def _first_paragraph(tokens: list[Token], links: list[NoteLink]) -> Summary:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            named: dict[int, NoteLink] = {}
            return _summary(" ".join(_plain(tokens[i + 1].children or [], links, named).split()), tuple(named.values()))
    return Summary()


def _plain(children: list[Token], links: list[NoteLink], named: dict[int, NoteLink]) -> str:
    """The text of inline tokens; the text of each [[target]] without a label between ``_NAMED`` marks, its link in
    ``named`` (by its number among the body's links)."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or [], links, named))
        elif child.type in ("note_link_open", "note_link_close"):
            if child.type == "note_link_open" and child.meta.get("named"):
                named[child.meta["index"]] = links[child.meta["index"]]
            if child.meta["index"] in named:
                parts.append(_NAMED)
    return "".join(parts)


def _summary(marked: str, named: tuple[NoteLink, ...]) -> Summary:
    """A summary from text in which ``_NAMED`` marks stand around the text of each of the ``named`` links."""
    if not named:
        return Summary(marked)
    pieces = marked.split(_NAMED)  # plain text at even places, a link's text at odd ones
    spans: list[tuple[int, int]] = []
    at = 0
    for i, piece in enumerate(pieces):
        if i % 2:
            spans.append((at, at + len(piece)))
        at += len(piece)
    return Summary("".join(pieces), named, tuple(spans))


def summary_of(text: str, line: int) -> Summary:
    """A summary the writer gave as plain text: a link to another note in it (``[[target]]``, ``[[target|label]]``,
    ``[label](note.md)``) reads as its text, or as the title of its note where it has none."""
    if "[" not in text:
        return Summary(text)
    named: list[NoteLink] = []

    def mark(match: re.Match[str]) -> str:
        if match[0].startswith("[["):
            target, _, fragment = match[1].strip().partition("#")
            if not target.strip():
                return match[0]
            if (match[2] or "").strip():
                return match[2].strip()
            named.append(NoteLink(target.strip(), line, fragment.strip()))
            return _NAMED + match[1].strip() + _NAMED
        return match[3] if _note_path(match[4]) is not None else match[0]

    return _summary(_LINK_IN_TEXT.sub(mark, text.replace(_NAMED, "\ufffd")), tuple(named))


_LINK_IN_TEXT = re.compile(f"{_WIKI.pattern}|{_MARKDOWN_LINK.pattern}")


_BLOCKS = frozenset({
    "paragraph", "bullet_list", "ordered_list", "list_item", "blockquote", "code_block", "fence", "heading",
    "lheading", "hr", "table", "thead", "tbody", "tr", "th", "td", "html_block",
})  # fmt: skip


def _fast_first_paragraph(node: markdown_it_pyrs.Node) -> str:
    """The first paragraph's plain text from a markdown-it-pyrs tree, as ``_first_paragraph`` reads tokens.

    In a tight list item this tree has no paragraph node (markdown-it-py keeps a hidden one): each run
    of inline content in the item stands for one.
    """
    if node.name == "paragraph":
        return " ".join(_fast_plain(node.children).split())
    run: list[markdown_it_pyrs.Node] = []
    for child in node.children:
        if node.name == "list_item" and child.name not in _BLOCKS:
            run.append(child)
            continue
        if run:
            return " ".join(_fast_plain(run).split())
        if child.name in _BLOCKS and (found := _fast_first_paragraph(child)):
            return found
    return " ".join(_fast_plain(run).split()) if run else ""


def _fast_plain(children: Sequence[markdown_it_pyrs.Node]) -> str:
    parts: list[str] = []
    for child in children:
        if child.name in ("text", "text_special"):
            parts.append(str(child.meta.get("content", "")))
        elif child.name in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.name != "html_inline":
            parts.append(_fast_plain(child.children))
    return "".join(parts)
