"""Reading note files: bytes to front-matter, key lines and body. The only YAML user.

Every way a file can be unreadable becomes a diagnostic with a line, never an exception.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from frontmatter.default_handlers import YAMLHandler

from .diagnostics import Diagnostic, error

try:  # the C loader is several times faster; the pure-Python one is the fallback
    from yaml import CSafeLoader as _BaseLoader

    HAS_C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAS_C_LOADER = False

Kind = Literal["event", "actor"]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# The library's boundary ends in r"\s*$", which also swallows blank lines after '---' and shifts every line number.
_HANDLER = YAMLHandler(fm_boundary=re.compile(r"^-{3,}[ \t]*$", re.MULTILINE))


class _Loader(_BaseLoader):
    """Safe loader that leaves dates as text, so impossible ones are reported by us, with a line."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True, slots=True)
class Note:
    """A note as it is on disk: front-matter values, the line of each key, and the Markdown body."""

    path: str  # as shown in messages
    stem: str
    kind: Kind
    meta: Mapping[str, Any]
    lines: Mapping[str, int] = field(default_factory=dict)  # "title", "sources.0.url", ...
    body: str = ""
    body_line: int = 1

    def line(self, key: str) -> int:
        """Line of a key path, falling back to its parent, then to the top of the file."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return 1


def note_files(content_dir: Path) -> list[tuple[Path, Kind]]:
    """Every note under content/, in a stable order."""
    found: list[tuple[Path, Kind]] = [(p, "event") for p in sorted(_markdown_files(content_dir / "events", recursive=True))]
    found += [(p, "actor") for p in sorted(_markdown_files(content_dir / "actors", recursive=False))]
    return found


def _markdown_files(folder: Path, recursive: bool) -> list[Path]:
    """The .md files in a folder (and below it); os.scandir knows file types without a stat per file."""
    found: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_file() and entry.name.endswith(".md"):
            found.append(folder / entry.name)
        elif recursive and entry.is_dir():
            found += _markdown_files(folder / entry.name, recursive)
    return found


def read_note(path: Path, shown: str, kind: Kind) -> tuple[Note | None, list[Diagnostic]]:
    """Read one file; on failure return no note and the reasons."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(shown, 1, f"cannot read file: {exc.strerror}")]
    return parse_note(raw, shown, path.stem, kind)


def parse_note(raw: bytes, shown: str, stem: str, kind: Kind) -> tuple[Note | None, list[Diagnostic]]:
    raw = raw.removeprefix(codecs.BOM_UTF8)  # decoded apart, so error offsets count from the file's own bytes
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded); save it as UTF-8")]
    text = text.replace("\r\n", "\n")
    if not text.strip():
        return None, [error(shown, 1, "file is empty; a note starts with front-matter between two '---' lines (title and date at least)")]
    if not _HANDLER.detect(text):
        hint = "a note must start with a '---' line, then keys such as 'title:' and 'date:', then another '---' line"
        return None, [error(shown, 1, f"no front-matter: {hint}")]
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        return None, [error(shown, 1, "front-matter is not closed: add a '---' line after the last key")]
    if body.startswith("\n"):
        body = body[1:]
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    meta, lines, problems = _load_yaml(front, shown)
    if meta is None:
        return None, problems
    return Note(shown, stem, kind, meta, lines, body, body_line), problems


def _load_yaml(front: str, shown: str) -> tuple[dict[str, Any] | None, dict[str, int], list[Diagnostic]]:
    # The front-matter text starts on the file's first line (right after '---'), so file line = YAML line + 1.
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        try:
            data = _construct(loader, node, set()) if node is not None else None
        except _Cycle as cycle:
            return None, {}, [error(shown, cycle.line, "an alias (*name) stands for a value that holds it; write the value out instead")]
        except _Unusual:
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, {}, [error(shown, line, f"YAML syntax error: {_yaml_problem(exc, line)}")]
    except yaml.YAMLError as exc:
        return None, {}, [error(shown, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        return None, {}, [error(shown, line, "front-matter must be a set of 'key: value' lines (title, date, ...)")]
    lines: dict[str, int] = {}
    problems: list[Diagnostic] = []
    _walk(node, "", lines, problems, shown)
    return {str(k): v for k, v in data.items()}, lines, problems


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


class _Unusual(Exception):
    """Front-matter beyond plain maps, lists and scalars (a merge key, another type's tag, a cycle of aliases)."""


class _Cycle(_Unusual):
    """A value that holds itself through an alias: nothing a note's fields can be."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _construct(loader: _Loader, node: yaml.Node, active: set[int]) -> Any:
    """A node's value as PyYAML's safe constructor makes it, for the plain shapes front-matter has.

    PyYAML's generic constructor keeps books for anchors, cycles and deferred objects on every node, which
    is about half the cost of reading a note's front-matter; anything this does not cover raises _Unusual,
    and PyYAML constructs the document instead (a test holds the two to the same values).
    """
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        if node.tag not in _PLAIN_SCALARS:
            raise _Unusual
        return loader.yaml_constructors[node.tag](loader, node)
    if id(node) in active:
        raise _Cycle(node.start_mark.line + 1)
    active.add(id(node))
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        value: Any = [_construct(loader, item, active) for item in node.value]
    elif isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        value = {}
        for key, item in node.value:
            if not isinstance(key, yaml.ScalarNode) or (key.tag != _STR and key.tag not in _PLAIN_SCALARS):
                raise _Unusual  # a merge key ("<<"), a tagged or a collection key
            value[_construct(loader, key, active)] = _construct(loader, item, active)
    else:
        raise _Unusual
    active.discard(id(node))
    return value


def _yaml_problem(exc: yaml.MarkedYAMLError, line: int) -> str:
    """PyYAML's words, plus where the unfinished part started and the usual fix for a colon in a value."""
    text = exc.problem or exc.context or "cannot be read"
    if exc.problem and exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        text += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    if exc.problem and exc.problem.startswith("mapping values are not allowed"):
        text += "; put the value in quotes if it contains ': '"
    return text


def _walk(node: yaml.Node, prefix: str, lines: dict[str, int], problems: list[Diagnostic], shown: str) -> None:
    """Record the line of every key and list item; report keys given twice (YAML keeps the last silently)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}{key_node.value}"
            line = key_node.start_mark.line + 1
            if path in lines:
                problems.append(error(shown, line, f'key "{path}" is given twice (first on line {lines[path]})'))
                continue
            lines[path] = line
            _walk(value_node, path + ".", lines, problems, shown)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}{index}"
            lines[path] = item.start_mark.line + 1
            _walk(item, path + ".", lines, problems, shown)
