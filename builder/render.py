"""The Jinja2 environment: the only Jinja user. Autoescaping on, undefined names are errors."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import i18n
from .diagnostics import Diagnostic, error
from .site import Card, Page


class TemplateProblem(Exception):
    """A template that cannot be loaded or rendered, located at its file and line."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[TemplateProblem], tuple[Diagnostic]]:  # travels back from worker processes whole
        return (TemplateProblem, (self.diagnostic,))


class _Environment(jinja2.Environment):
    """Jinja, looking a name up in a dict's keys first: page data are dicts, and ``card.title`` written the usual way
    would otherwise try (and fail) an attribute lookup first, about a million times per 10,000 pages.

    A key therefore wins over a dict method of the same name (``d.items`` is ``d["items"]`` when there is one).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _lang_attr(item: Mapping[str, Any]) -> markupsafe.Markup:
    """` lang="ko"` for a card or a link to an event whose note is in another language than the site's, else nothing:
    on what shows the note's words (its title, summary, body). A function, not a macro: it is on every card."""
    lang = item.get("lang")
    return markupsafe.Markup(' lang="%s"') % lang if lang else markupsafe.Markup()


class _Messages:
    """The template's gettext calls in one language, as Jinja's newstyle gettext makes them (the message marked safe,
    its ``%(name)s`` values escaped), but plain functions: Jinja's own wrap each call in two more context calls, a
    cost every page paid some twenty times. A message without values is translated once."""

    def __init__(self, language: i18n.Language) -> None:
        self._t = language.translations
        self._plain: dict[str, markupsafe.Markup] = {}

    def gettext(self, message: str, **values: Any) -> markupsafe.Markup:
        text = self._plain.get(message)
        if text is None:
            text = self._plain[message] = markupsafe.Markup(self._t.gettext(message))
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> markupsafe.Markup:
        values.setdefault("num", n)
        return markupsafe.Markup(self._t.ngettext(singular, plural, n)) % values

    def pgettext(self, context: str, message: str, **values: Any) -> markupsafe.Markup:
        text = markupsafe.Markup(self._t.pgettext(context, message))
        return text % values if values else text

    def npgettext(self, context: str, singular: str, plural: str, n: int, **values: Any) -> markupsafe.Markup:
        values.setdefault("num", n)
        return markupsafe.Markup(self._t.npgettext(context, singular, plural, n)) % values

    def callables(self) -> dict[str, Any]:
        return {"_": self.gettext, "gettext": self.gettext, "ngettext": self.ngettext, "pgettext": self.pgettext,
                "npgettext": self.npgettext}  # fmt: skip


class Renderer:
    def __init__(self, templates_dir: Path, shown_dir: str) -> None:
        self._templates = templates_dir
        self._shown = shown_dir.rstrip("/")
        self._envs: dict[str, jinja2.Environment] = {}

        # An event's card is shown on many list pages: render it once per depth of page and language, and reuse
        # it until the card itself changes (a new card is a new object).
        self._card_html: dict[tuple[str, str, str], tuple[Card, markupsafe.Markup]] = {}

    def _env(self, tag: str) -> jinja2.Environment:
        """The templates in one language: gettext from its catalog (Jinja's i18n extension), its numbers."""
        env = self._envs.get(tag)
        if env is None:
            env = _Environment(
                loader=jinja2.FileSystemLoader(self._templates),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                auto_reload=False,  # a renderer lives for one build; the live preview makes a new one when templates change
                extensions=["jinja2.ext.i18n"],
            )
            language = i18n.language(tag)
            env.globals.update(_Messages(language).callables())
            env.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %} passes its variables to the call
            env.filters["number"] = language.number
            env.globals["lang_attr"] = _lang_attr
            env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's message is its words, not its line breaks
            self._envs[tag] = env
        return env

    def _card(self, cards: Mapping[str, Card], slug: str, root: str, tag: str) -> markupsafe.Markup:
        card = cards[slug]
        cached = self._card_html.get((slug, root, tag))
        if cached is not None and cached[0] is card:
            return cached[1]
        html = markupsafe.Markup(self._env(tag).get_template("_macros.html").module.card(card, root))  # type: ignore[attr-defined]
        self._card_html[(slug, root, tag)] = (card, html)
        return html

    def render(self, page: Page, cards: Mapping[str, Card]) -> bytes:
        """Render one page, its events' cards looked up by slug; template mistakes become a TemplateProblem."""
        root, tag = page.context["root"], page.context["lang"]

        def card_html(slug: str) -> markupsafe.Markup:
            return self._card(cards, slug, root, tag)

        try:
            return self._env(tag).get_template(page.template).render({**page.context, "cards": cards, "card_html": card_html}).encode()
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(error(self._where(exc.name or page.template), exc.lineno, f"template syntax: {exc.message}")) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(error(self._where(page.template), 1, f'template "{exc.name}" not found in {self._shown}/')) from None
        except jinja2.TemplateError as exc:
            name, line = _template_frame(exc, page.template)
            raise TemplateProblem(error(self._where(name), line, f"while rendering {page.path}: {exc.message or exc}")) from None

    def _where(self, name: str) -> str:
        return f"{self._shown}/{name}"


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int]:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml")) and frame.lineno:
            return Path(frame.filename).name, frame.lineno
    return fallback, 1
