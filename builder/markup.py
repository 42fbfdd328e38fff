"""The one Markdown engine: CommonMark with tables and strikethrough, raw HTML escaped unless allowed."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    first_paragraph: str  # plain text, for summaries when the writer gave none


class Markdown:
    """A configured markdown-it instance; one per build, never module-global."""

    def __init__(self, allow_html: bool = False) -> None:
        self._md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])

    def render(self, source: str, shift_headings: int = 1) -> Rendered:
        """Render a body; headings move down a level so the page's own title stays the only h1."""
        tokens = self._md.parse(source)
        for token in tokens:
            if shift_headings and token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift_headings, 6)}"
        html = self._md.renderer.render(tokens, self._md.options, {})
        return Rendered(html, _first_paragraph(tokens))


def _first_paragraph(tokens: list[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and i + 1 < len(tokens):
            return _plain(tokens[i + 1].children or [])
    return ""


def _plain(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []))
    return " ".join("".join(parts).split())
