"""Site settings from ``content/site.toml``, with command-line overrides."""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from .diagnostics import Diagnostic, error, warning
from .eras import FILENAME as ERAS_FILE
from .eras import Era, load_eras
from .i18n import UnknownLanguage, has_catalog
from .text import edit_distance

FILENAME = "site.toml"
FILES = (FILENAME, ERAS_FILE)  # the settings files of a content folder: a change to one is a change to the whole site


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Timeline"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    author: str = ""
    allow_html: bool = False
    cname: str = ""  # custom domain for GitHub Pages, written to site/CNAME
    links: str = "clean"  # "clean": links end at a page's folder; "index.html": they name the file (for reading from disk)
    eras: tuple[Era, ...] = ()  # from eras.toml beside site.toml
    languages: tuple[str, ...] = ()  # a site in several languages: the first is ``language``, at the top; () for one
    prefix: str = ""  # where this language's pages are below the site's top ("ko/"); "" for the first language
    # the title and description in each other language, from its table ([ko] title = "..."): (tag, title, description)
    words: tuple[tuple[str, str | None, str | None], ...] = ()

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))

    @property
    def translated(self) -> tuple[str, ...]:
        """The languages besides the first that the site is also built in (none for a site in one language)."""
        return self.languages[1:]

    def in_language(self, tag: str) -> SiteConfig:
        """The settings of the part of the site in one of its other languages: below the top, at ``<tag>/``."""
        prefix = self.prefix_of(tag)
        title, description = next(((t, d) for known, t, d in self.words if known == tag), (None, None))
        return replace(self, language=tag, base_url=self.base_url + prefix, prefix=prefix, title=title or self.title,
                       description=description or self.description)  # fmt: skip

    def prefix_of(self, tag: str) -> str:
        """Where the pages in a language are below the site's top: "" for the first, else "<tag>/"."""
        return "" if not self.languages or tag == self.languages[0] else f"{tag}/"

    @property
    def top_url(self) -> str:
        """The base URL of the whole site, whatever language these settings are of."""
        return self.base_url.removesuffix(self.prefix) if self.prefix else self.base_url


_TEXT_KEYS = ("title", "description", "language", "author", "base_url", "cname", "links")
LINK_STYLES = ("clean", "index.html")
_KNOWN = {*_TEXT_KEYS, "allow_html", "languages"}


def _languages(value: object, language: object) -> tuple[tuple[str, ...], str | None]:
    """``languages`` as a tuple of tags (the first the site's ``language``), or why it cannot be one."""
    if not isinstance(value, list) or not value or not all(isinstance(tag, str) and tag for tag in value):
        return (), 'languages must be a list of language tags, the first the default: languages = ["en", "ko"]'
    folded = [tag.casefold() for tag in value]
    if len(set(folded)) < len(folded):
        return (), "languages names a language twice"
    if isinstance(language, str) and language.casefold() != folded[0]:
        return (), f'language "{language}" is not the first of languages ("{value[0]}"): leave language out, or make them agree'
    return tuple(value), None


def base_url_problem(url: str) -> str | None:
    """Why a base URL cannot be used, or None when it is an absolute http(s) URL."""
    try:
        parts = urlparse(url)
        absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:  # such as "http://[oops": urlparse rejects it outright
        absolute = False
    return None if absolute else f'base_url "{url}" must be an http(s) URL such as https://user.github.io/repo/'


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def load_config(content_dir: Path, display_dir: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read site.toml and eras.toml; a missing file means defaults, a broken one is reported with its line."""
    config, problems = _load_settings(content_dir, display_dir)
    eras, found = load_eras(content_dir, display_dir)
    return replace(config, eras=eras), problems + found


def _load_settings(content_dir: Path, display_dir: str) -> tuple[SiteConfig, list[Diagnostic]]:
    path = content_dir / FILENAME
    shown = f"{display_dir.rstrip('/')}/{FILENAME}"
    if not path.is_file():
        return SiteConfig(), [warning(shown, 1, "no site.toml: using a default title and base_url \"/\"")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return SiteConfig(), [error(shown, 1, f"cannot read file: {exc.strerror}")]
    raw = raw.removeprefix(codecs.BOM_UTF8)  # decoded apart, so error offsets count from the file's own bytes
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return SiteConfig(), [error(shown, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded); save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return SiteConfig(), [error(shown, int(match[1]) if match else 1, f"TOML syntax error: {message}")]

    def line_of(key: str) -> int:
        name = re.escape(key)  # a plain key, or the header of a table such as [extra]
        found = re.search(rf"^[ \t]*(?:{name}\s*[=.]|\[\[?\s*{name}\s*[.\]])", text, re.MULTILINE)
        return text.count("\n", 0, found.start()) + 1 if found else 1

    problems: list[Diagnostic] = []
    values: dict[str, object] = {}
    translated = [tag for tag in data.get("languages", [])[1:] if isinstance(tag, str)] if isinstance(data.get("languages"), list) else []
    for key, value in data.items():
        if key in translated and isinstance(value, dict):  # ko.title = "...": the site's title in Korean
            words = {name: value.get(name) for name in ("title", "description")}
            for other in sorted(set(value) - set(words)):
                problems.append(warning(shown, line_of(key), f'unknown setting "{key}.{other}" is ignored (known: title, description)'))
            for name, given in words.items():
                if given is not None and not isinstance(given, str):
                    problems.append(error(shown, line_of(key), f"{key}.{name} must be a string"))
                    words[name] = None
            values["words"] = (*values.get("words", ()), (key, words["title"], words["description"]))  # type: ignore[misc]
        elif key not in _KNOWN:
            near = [k for k in sorted(_KNOWN) if edit_distance(key.casefold(), k, 2) <= 2]
            hint = f'; did you mean "{near[0]}"?' if near else f" (known: {', '.join(sorted(_KNOWN))})"
            problems.append(warning(shown, line_of(key), f'unknown setting "{key}" is ignored{hint}'))
        elif key == "allow_html" and not isinstance(value, bool):
            problems.append(error(shown, line_of(key), "allow_html must be true or false"))
        elif key == "languages":
            found, problem = _languages(value, data.get("language"))
            if problem:
                problems.append(error(shown, line_of(key), problem))
            elif found:
                values["languages"], values["language"] = found, found[0]
        elif key in _TEXT_KEYS and not isinstance(value, str):
            problems.append(error(shown, line_of(key), f"{key} must be a string"))
        else:
            values[key] = value
    config = SiteConfig(**values)  # type: ignore[arg-type]
    if config.links not in LINK_STYLES:
        problems.append(error(shown, line_of("links"), f'links must be "clean" or "index.html", not "{config.links}"'))
        config = replace(config, links="clean")
    for tag in config.translated:
        try:
            if not has_catalog(tag):
                problems.append(warning(shown, line_of("languages"), f'no interface catalog for "{tag}": its pages show English '
                                        "words with its dates and numbers (see \"Adding a language\" in the README)"))  # fmt: skip
        except UnknownLanguage as exc:
            problems.append(error(shown, line_of("languages"), f"languages: {exc}"))
            config = replace(config, languages=())
    try:
        if not has_catalog(config.language):
            problems.append(warning(shown, line_of("language"), f'no interface catalog for "{config.language}": pages show English '
                                    "words with its dates and numbers (see \"Adding a language\" in the README)"))  # fmt: skip
    except UnknownLanguage as exc:
        problems.append(error(shown, line_of("language"), f"language {exc}"))
        config = replace(config, language="en")
    if config.base_url != "/" and (problem := base_url_problem(config.base_url)):
        problems.append(error(shown, line_of("base_url"), problem))
    return replace(config, base_url=normalise_base_url(config.base_url)), problems
