"""Differential test: wherever the compiled engine (markdown-it-pyrs) renders a body, its HTML and the
summary taken from it are byte-identical to the reference engine's (markdown-it-py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from builder.markup import Markdown, _fast_can_render

from .conftest import SEED_CONTENT

DATA = Path(__file__).resolve().parent / "data" / "markdown"


def _spec() -> list[str]:
    return [case["markdown"] for case in json.loads((DATA / "commonmark-spec.json").read_text(encoding="utf-8"))]


def _fixtures() -> list[str]:
    inputs: list[str] = []
    for path in sorted(DATA.glob("fixture-*.md")):
        text = path.read_text(encoding="utf-8")
        inputs += [m[1] for m in re.finditer(r"^\.\n(.*?)^\.\n.*?^\.$", text, re.MULTILINE | re.DOTALL)]
    return inputs


def _bodies(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted(folder.rglob("*.md"))]


@pytest.fixture(scope="module")
def engines() -> tuple[Markdown, Markdown]:
    return Markdown(fast=True), Markdown(fast=False)


def _differences(sources: list[str], engines: tuple[Markdown, Markdown]) -> list[str]:
    fast, reference = engines
    return [source for source in sources if fast.render(source) != reference.render(source)]


def test_commonmark_spec_examples(engines: tuple[Markdown, Markdown]) -> None:
    sources = _spec()
    assert len(sources) == 652
    assert sum(map(_fast_can_render, sources)) > 400, "most examples must exercise the compiled engine"
    assert _differences(sources, engines) == []


def test_markdown_it_fixtures_tables_strikethrough_and_edge_cases(engines: tuple[Markdown, Markdown]) -> None:
    sources = _fixtures()
    assert len(sources) > 150
    assert _differences(sources, engines) == []


def test_seed_content(engines: tuple[Markdown, Markdown]) -> None:
    sources = _bodies(SEED_CONTENT)
    assert all(map(_fast_can_render, sources))
    assert _differences(sources, engines) == []


def test_benchmark_corpus(engines: tuple[Markdown, Markdown], tmp_path: Path) -> None:
    write_corpus(tmp_path, 2000)
    sources = _bodies(tmp_path / "events")
    assert sum(map(_fast_can_render, sources)) == len(sources)
    assert _differences(sources, engines) == []


@pytest.mark.parametrize(
    "source",
    ["[a `b` c`\n", "![alt `code` x`\n", "See [[Kyiv]].\n", "[x](other.md)\n", "*£*bravo\n", "a \\* b\n"],
)
def test_what_the_compiled_engine_cannot_render_goes_to_the_reference(source: str, engines: tuple[Markdown, Markdown]) -> None:
    assert not _fast_can_render(source)
    fast, reference = engines
    assert fast.render(source) == reference.render(source)


def test_raw_html_allowed_uses_the_reference_engine() -> None:
    assert Markdown(allow_html=True).render("<b>x</b>\n").body.html == "<p><b>x</b></p>\n"


def test_the_quick_eligibility_check_agrees_with_the_documented_pattern() -> None:
    from builder.markup import _NEEDS_REFERENCE

    sources = _spec() + _fixtures() + ["plain *text*\n", "é*x*\n", "<http://a.b>\n", "<b>x</b>\n", "a/[b]\n", "u@[::1]\n"]
    assert [_fast_can_render(s) for s in sources] == [_NEEDS_REFERENCE.search(s) is None for s in sources]
