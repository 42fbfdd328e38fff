"""The interface's catalogs: complete, consistent with the code, and compiled.

Every message the builder, the templates and site.js use is in every catalog, translated and not fuzzy; the
placeholders of each translation are the original's; and each ``.mo`` is what its ``.po`` compiles to, so a build
from a fresh clone (which compiles nothing) shows what the translators wrote.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from builder.i18n import LOCALE_DIR, catalogs

ROOT = Path(__file__).resolve().parents[1]
COMPLETE = ("en", "ko", "uk")  # the languages whose catalogs must be whole; others (ar) may be partial


def _used() -> set[str]:
    """The ids of every message in the code, as make translations extracts them (babel.cfg)."""
    python = extract_from_dir(str(ROOT / "builder"), [("**.py", "python")])
    templates = extract_from_dir(str(ROOT / "templates"), [("**.html", "jinja2"), ("static/**.js", "javascript")],
                                 options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}})  # fmt: skip
    return {(context, message if isinstance(message, str) else message[0]) for found in (python, templates)
            for _, _, message, _, context in found}  # fmt: skip


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def test_the_complete_catalogs_are_there() -> None:
    assert set(COMPLETE) <= set(catalogs())


@pytest.mark.parametrize("language", COMPLETE)
def test_every_message_in_use_is_translated(language: str) -> None:
    catalog = _catalog(language)
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert sorted(_used() - ids) == [], "run make translations, then translate the new messages"
    untranslated = [m.id for m in catalog if m.id and (not m.string or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language", catalogs())
def test_translations_keep_the_placeholders(language: str) -> None:
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", catalogs())
def test_each_mo_is_its_po_compiled(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language))
    assert (LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo").read_bytes() == compiled.getvalue(), "run make translations"
