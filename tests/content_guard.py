"""What keeps the tests off the repository's content/ folder, the one place besides tests/test_content.py that names it.

content/ holds the writer's story, and a newsroom that forks the project replaces it with its own: a test that read
it would fail on their story, or pass on it while testing nothing. So no test module names the folder (`named_in`,
run over every module by tests/test_content.py), and no test reads it while it runs (an audit hook, registered as a
plugin by tests/conftest.py, fails the test that opens or lists anything under it, in-process, whatever path
it took to get there: a relative "content" or a default option included).
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

import pytest

TESTS = Path(__file__).resolve().parent
REPO_CONTENT = TESTS.parent / "content"
# Where reading content/ is the point: this module and the test of whatever content/ holds.
ALLOWED = frozenset({TESTS / "content_guard.py", TESTS / "test_content.py"})


# ---- in the source: no module makes a path to content/ ----


class _Paths:
    """Follows the constant paths of one module (``__file__``, module-level names, names imported from conftest)."""

    def __init__(self, module: Path, tree: ast.Module) -> None:
        self.module = module
        self.names: dict[str, PurePath | str] = {}
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.module == "conftest" and statement.level:
                conftest = module.parents[statement.level - 1] / "conftest.py"
                if conftest != module and conftest.is_file():
                    known = _Paths.of(conftest).names
                    for alias in statement.names:
                        if alias.name in known:
                            self.names[alias.asname or alias.name] = known[alias.name]
            elif isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                value = self.value(statement.value)
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name) and value is not None:
                        self.names[target.id] = value

    @classmethod
    def of(cls, module: Path, source: str | None = None) -> _Paths:
        return cls(module, ast.parse(module.read_text(encoding="utf-8") if source is None else source))

    def value(self, node: ast.expr) -> PurePath | str | None:
        """The path (or string) an expression always stands for, or None when it depends on anything else."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return PurePath(node.value) if os.path.isabs(node.value) else node.value
        if isinstance(node, ast.Name):
            return str(self.module) if node.id == "__file__" else self.names.get(node.id)
        if isinstance(node, ast.JoinedStr):
            parts = [self.value(v.value) if isinstance(v, ast.FormattedValue) else getattr(v, "value", None) for v in node.values]
            return None if None in parts else self.value(ast.Constant("".join(map(str, parts))))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left, right = self.value(node.left), self.value(node.right)
            return _path(left) / right if left is not None and right is not None else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self.value(node.value)
            return _path(base).parent if base is not None else None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            base, index = self.value(node.value.value), node.slice
            if base is not None and isinstance(index, ast.Constant) and isinstance(index.value, int):
                return _path(base).parents[index.value]
            return None
        if isinstance(node, ast.Call):
            return self.call(node)
        return None

    def call(self, node: ast.Call) -> PurePath | str | None:
        args = [self.value(a) for a in node.args]
        if None in args:
            return None
        values = [a for a in args if a is not None]
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(function, ast.Name) else ""
        if name in ("Path", "PurePath", "PosixPath", "PurePosixPath") and len(values) >= 1:
            return PurePath(*values) if os.path.isabs(values[0]) else None
        if name in ("join", "dirname", "abspath", "realpath", "normpath") and values and os.path.isabs(values[0]):
            # os.path's functions, on a path that is already absolute
            return PurePath(*values) if name == "join" else PurePath(values[0]).parent if name == "dirname" else PurePath(values[0])
        if isinstance(function, ast.Attribute) and name in ("resolve", "absolute", "joinpath", "glob", "rglob", "iterdir"):
            base = self.value(function.value)
            if base is None or not isinstance(base, PurePath) and not os.path.isabs(base):
                return None
            return PurePath(base, *values) if name in ("joinpath", "glob", "rglob") else PurePath(base)
        return None


def _path(value: PurePath | str) -> PurePath:
    return value if isinstance(value, PurePath) else PurePath(value)


def _inside_content(value: PurePath | str | None) -> bool:
    if not isinstance(value, PurePath):
        return False
    path = PurePath(os.path.normpath(value))
    return path == REPO_CONTENT or REPO_CONTENT in path.parents


def named_in(module: Path, source: str | None = None) -> list[int]:
    """The lines where a test module (or ``source``, as if it were that module) makes a path to content/ or below."""
    tree = ast.parse(module.read_text(encoding="utf-8") if source is None else source)
    paths = _Paths(module, tree)
    return sorted({n.lineno for n in ast.walk(tree) if isinstance(n, ast.expr) and _inside_content(paths.value(n))})


def modules() -> list[Path]:
    """Every Python module under tests/, the fixture trees and npm's folder aside."""
    return [p for p in sorted(TESTS.rglob("*.py")) if "node_modules" not in p.parts and "fixtures" not in p.relative_to(TESTS).parts]


# ---- at run time: no test opens or lists anything under content/ ----

_WATCHED_EVENTS = frozenset({"open", "os.scandir", "os.listdir", "glob.glob", "shutil.copytree"})
_reads: list[str] | None = None  # while a guarded phase of a test runs: what it opened or listed under content/


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _reads is None or event not in _WATCHED_EVENTS or not args or isinstance(args[0], int) or args[0] is None:
        return
    try:
        name = os.fsdecode(args[0])  # type: ignore[arg-type]
        if event == "open" and len(args) > 1 and args[1] is None and not os.path.isabs(name):
            return  # os.open, whose name may be relative to a folder's descriptor (shutil.rmtree's): not known here
        path = os.path.normpath(os.path.join(os.getcwd(), name))
    except (TypeError, ValueError, OSError):  # not a path, or the working folder is gone
        return
    if path == str(REPO_CONTENT) or path.startswith(str(REPO_CONTENT) + os.sep):
        _reads.append(path)


sys.addaudithook(_audit)


@contextmanager
def watching() -> Iterator[list[str]]:
    """Collect every file or folder under content/ opened or listed in this process while the block runs."""
    global _reads
    outer, _reads = _reads, []
    try:
        yield _reads
    finally:
        _reads = outer


def _guarded(item: pytest.Item) -> Generator[None, None, None]:
    if item.path in ALLOWED:
        yield
        return
    with watching() as reads:
        yield
    if reads:
        pytest.fail(
            f"{item.nodeid} read the repository's content/ ({', '.join(sorted(set(reads))[:3])}); content/ is the writer's "
            "story and is replaced by theirs: use a tree under tests/fixtures (only tests/test_content.py reads content/)",
            pytrace=False,
        )


# Each phase of a test is watched, so a module- or session-scoped fixture is caught in the setup of its first user.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    yield from _guarded(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield from _guarded(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield from _guarded(item)
