"""The package's import direction, as in ARCHITECTURE.md: each module imports only layers above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "builder"

# In order: a module may import only modules listed before it.
ORDER = [
    "pickling", "diagnostics", "dates", "relative", "i18n", "eras", "text", "markup", "routes", "output", "workers", "progress",
    "config", "notes", "scan", "assets",
    "placeholders", "media", "corrections", "records", "reading",
    "aliases", "sources", "model", "links", "checks", "translations", "overview",
    "site", "pages", "layout", "timelinejs", "spreadsheet", "ical", "exports", "changes", "render",
    "keys", "store", "pipeline", "patch", "rendering",
    "preview", "build", "scaffold", "starter", "importer",
    "serve", "cli", "__main__",
]  # fmt: skip

# Each third-party library has one adapter module.
ADAPTERS = {
    "yaml": "notes", "frontmatter": "notes", "markdown_it": "markup", "markdown_it_pyrs": "markup", "jinja2": "render",
    "watchdog": "serve", "msgspec": "store", "sqlite3": "store", "markdownify": "importer", "icalendar": "ical",
    "babel": "i18n", "gettext": "i18n",
}  # fmt: skip


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(package modules, third-party top-level names) imported by a file."""
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                if node.module:
                    internal.add(node.module.split(".")[0])
                else:
                    internal.update(alias.name for alias in node.names)
            elif node.module:
                external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
    return internal, external


MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_every_module_has_a_place_in_the_order() -> None:
    assert [m for m in MODULES if m not in ORDER] == []


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_to_lower_layers_and_libraries_to_their_adapter(module: str) -> None:
    internal, external = _imports(PACKAGE / f"{module}.py")
    upward = sorted(m for m in internal if m in ORDER and ORDER.index(m) >= ORDER.index(module))
    assert upward == [], f"{module} imports {upward}, which are not below it"
    misplaced = sorted(lib for lib in external if lib in ADAPTERS and ADAPTERS[lib] != module)
    assert misplaced == [], f"{module} imports {misplaced}; only their adapter modules may"
