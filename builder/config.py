"""Site settings from ``content/site.toml``, with command-line overrides."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from .diagnostics import Diagnostic, error, warning

FILENAME = "site.toml"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Timeline"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    author: str = ""
    allow_html: bool = False

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


_TEXT_KEYS = ("title", "description", "language", "author", "base_url")
_KNOWN = {*_TEXT_KEYS, "allow_html"}


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def load_config(content_dir: Path, display_dir: str) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read site.toml; a missing file means defaults, a broken one is reported with its line."""
    path = content_dir / FILENAME
    shown = f"{display_dir.rstrip('/')}/{FILENAME}"
    if not path.is_file():
        return SiteConfig(), [warning(shown, 1, "no site.toml: using a default title and base_url \"/\"")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        return SiteConfig(), [error(shown, raw[: exc.start].count(b"\n") + 1, "file is not UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return SiteConfig(), [error(shown, int(match[1]) if match else 1, f"TOML syntax error: {message}")]

    def line_of(key: str) -> int:
        found = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
        return text.count("\n", 0, found.start()) + 1 if found else 1

    problems: list[Diagnostic] = []
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in _KNOWN:
            problems.append(warning(shown, line_of(key), f'unknown setting "{key}" (known: {", ".join(sorted(_KNOWN))})'))
        elif key == "allow_html" and not isinstance(value, bool):
            problems.append(error(shown, line_of(key), "allow_html must be true or false"))
        elif key in _TEXT_KEYS and not isinstance(value, str):
            problems.append(error(shown, line_of(key), f"{key} must be a string"))
        else:
            values[key] = value
    config = SiteConfig(**values)  # type: ignore[arg-type]
    url = urlparse(config.base_url)
    if config.base_url != "/" and (url.scheme not in ("http", "https") or not url.netloc):
        problems.append(error(shown, line_of("base_url"), f'base_url "{config.base_url}" must be an http(s) URL such as https://user.github.io/repo/'))
    return replace(config, base_url=normalise_base_url(config.base_url)), problems
