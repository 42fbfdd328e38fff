"""Reading note files: bytes to front-matter, key lines and body. The only YAML user.

Every way a file can be unreadable becomes a diagnostic with a line, never an exception. However a note is
written, reading it costs little: the limits below bound the work and memory of its front-matter (an alias
copies what it names, so nine lines of aliases can stand for billions of values), each reported at the line
where it is reached. Real notes stay far below them: the seed content, the test fixtures and the benchmark
corpus have at most 562 bytes of front-matter, 49 values, lists of 8 items, values nested 3 deep (a source's
title) and integers of 4 digits (years), so each limit leaves a hundredfold room at least.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from frontmatter.default_handlers import YAMLHandler

from .diagnostics import Diagnostic, error, warning
from .text import code_points, without_xml_forbidden

try:  # the C loader is several times faster; the pure-Python one is the fallback
    from yaml import CSafeLoader as _BaseLoader

    HAS_C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAS_C_LOADER = False

MAX_FRONT_MATTER_BYTES = 64 * 1024  # the text between the two '---' lines, in UTF-8
MAX_ITEMS = 1_000  # in any one list, or keys in any one mapping
MAX_VALUES = 10_000  # every key, value and list item, an alias counting as a copy of what it names
MAX_DEPTH = 20  # lists and mappings inside each other (a source's title is 3 deep)
MAX_INT_DIGITS = 100  # Python refuses to turn integers past 4,300 digits into text

Kind = Literal["event", "actor", "source"]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
# YAML 1.1's integers but octal ("0752"): binary, decimal, hexadecimal and sexagesimal, as PyYAML writes them
_NOT_OCTAL = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")
# The library's boundary ends in r"\s*$", which also swallows blank lines after '---' and shifts every line number.
_HANDLER = YAMLHandler(fm_boundary=re.compile(r"^-{3,}[ \t]*$", re.MULTILINE))


class _Reading(yaml.constructor.SafeConstructor):
    """What the builder adds to PyYAML's safe loader (mixed into the C one or the pure-Python one).

    Dates stay text, so impossible ones are reported by us, with a line; and a value its tag cannot make
    (``!!int abc``, ``!!timestamp 2024-13-45``) is a located error rather than whatever Python raised. A number
    with a leading zero stays text too, where YAML 1.1 would read it as octal: ``date: -0752`` is then refused as
    ambiguous, and ``date: 0752`` is the year 752, rather than both silently becoming the year 490.
    """

    yaml_implicit_resolvers = {
        first: [(tag, _NOT_OCTAL if tag == _INT else regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _CONSTRUCTION_ERRORS as exc:
            raise _BadValue(node) from exc


class _Loader(_Reading, _BaseLoader):
    """The loader notes are read with."""


# What PyYAML's constructors raise, besides its own errors, for a value its tag cannot make
_CONSTRUCTION_ERRORS = (ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


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


# ---- finding the notes ---------------------------------------------------------------------------


_SPECIAL = {
    stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder",
}  # fmt: skip


def what_it_is(mode: int) -> str:
    """What a file that is not a regular file is, in words (\"a named pipe\")."""
    return _SPECIAL.get(stat.S_IFMT(mode), "not a file")



# ---- reading one note ----------------------------------------------------------------------------


def read_note(path: Path, shown: str, kind: Kind) -> tuple[Note | None, list[Diagnostic]]:
    """Read one file; on failure return no note and the reasons."""
    raw, problems = read_file(path, shown)
    return (None, problems) if raw is None else parse_note(raw, shown, path.stem, kind)


def read_file(path: Path, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A note file's bytes, or why it cannot be read (without waiting: a pipe is reported, not opened for reading)."""
    try:
        raw = _read_file(path)
    except OSError as exc:
        return None, [error(shown, 1, f"cannot read file: {exc.strerror or exc}")]
    if isinstance(raw, int):
        return None, [error(shown, 1, f"is {what_it_is(raw)}, not a note; it is not read")]
    return raw, []


def _read_file(path: Path) -> bytes | int:
    """The bytes of a regular file, or the type of anything else, found without waiting (opening a pipe would block)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        return file.read() if stat.S_ISREG(mode) else mode


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
    if len(front) > MAX_FRONT_MATTER_BYTES // 4 and (size := len(encoded := front.encode())) > MAX_FRONT_MATTER_BYTES:
        line = encoded.count(b"\n", 0, MAX_FRONT_MATTER_BYTES) + 1  # front-matter starts on the file's first line
        limit = f"more than the {MAX_FRONT_MATTER_BYTES:,} a note may have (reached on this line)"
        return None, [error(shown, line, f"front-matter is {size:,} bytes, {limit}; long text belongs in the body")]
    meta, lines, problems = _load_yaml(front, shown)
    if meta is None:
        return None, problems
    cleaned, removed = without_xml_forbidden(body)
    if removed:
        first = min(i for i in map(body.find, removed) if i >= 0)
        line = body_line + body.count("\n", 0, first)
        problems.append(warning(shown, line, f"the body holds characters that XML forbids ({code_points(removed)}); they were removed"))
    return Note(shown, stem, kind, meta, lines, cleaned, body_line), problems


# ---- front-matter --------------------------------------------------------------------------------


def _load_yaml(
    front: str, shown: str, loader_class: type[_Reading] = _Loader
) -> tuple[dict[str, Any] | None, dict[str, int], list[Diagnostic]]:
    """Front-matter values, the line of each key path, and the problems (``loader_class``: tests try the pure-Python one).

    The nodes are surveyed before any value is made: past a limit, none is.
    """
    # The front-matter text starts on the file's first line (right after '---'), so file line = YAML line + 1.
    loader: Any = None
    try:
        loader = loader_class(front)  # type: ignore[call-arg]  # the loader classes take the text
        node = loader.get_single_node()
        survey = _Survey(shown)
        if node is not None:
            survey.run(node)
            if survey.refused:
                return None, {}, survey.refused + survey.problems
        try:
            data = _construct(loader, node) if node is not None else None
        except _Unusual:
            data = loader.construct_document(node)
    except _BadValue as bad:
        return None, {}, [error(shown, bad.line, bad.message)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file, such as a control character
        character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        at = front.find(character)
        line = front.count("\n", 0, at) + 1 if at >= 0 else 1
        what = f"U+{ord(character):04X}" if len(character) == 1 else repr(character)
        return None, {}, [error(shown, line, f"front-matter holds a character that YAML does not allow ({what}); remove it")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, {}, [error(shown, line, f"YAML syntax error: {_yaml_problem(exc, line)}{_quote_hint(front, line)}")]
    except yaml.YAMLError as exc:
        return None, {}, [error(shown, 1, f"YAML error: {' '.join(str(exc).split())}")]
    except RecursionError:  # the pure-Python loader reads nested lists by recursion; libyaml stops at 1,000 levels
        return None, {}, [error(shown, 1, f"front-matter nests lists or mappings more than {MAX_DEPTH} levels deep")]
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        return None, {}, [error(shown, line, "front-matter must be a set of 'key: value' lines (title, date, ...)")]
    return {str(k): v for k, v in data.items()}, survey.lines, survey.problems


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


class _Unusual(Exception):
    """Front-matter beyond plain maps, lists and scalars (a merge key, another type's tag)."""


class _BadValue(Exception):
    """A scalar its tag cannot make, such as ``!!int abc``."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__(node.start_mark.line)
        self.line = node.start_mark.line + 1
        value = str(node.value)
        shown = value if len(value) <= 40 else value[:40] + "…"
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.message = f"{shown!r} cannot be read as {tag}; remove the tag or correct the value"


class _OutOfValues(Exception):
    """The survey met more values than a note may hold."""


class _Survey:
    """One walk over the front-matter's nodes, as the values will be made (an alias walked as often as it is used).

    It records the line of every key and list item, reports keys given twice (YAML keeps the last silently),
    removes the characters XML forbids from text values (one warning per field), and refuses front-matter
    past a limit: values nested too deep, a list too long, an integer too long, a value that holds itself,
    or more values in all than ``MAX_VALUES``, which stops the walk itself long before a billion aliases.
    """

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.lines: dict[str, int] = {}
        self.problems: list[Diagnostic] = []  # the note still reads
        self.refused: list[Diagnostic] = []  # past a limit: no value is made
        self._left = MAX_VALUES
        self._field_line = 1  # the top-level key being walked: where running out of values is reported
        self._active: set[int] = set()  # the lists and mappings the walk is inside of
        self._too_deep = False
        self._removed: dict[str, tuple[int, str]] = {}  # field -> (first line, characters removed)

    def run(self, node: yaml.Node) -> None:
        try:
            self._walk(node, "", 0, key=False)
        except _OutOfValues:
            message = (f"front-matter holds more than {MAX_VALUES:,} values, counting an alias (*name) as a copy of "
                       "what it names (reached on this line); write fewer values, or write them out")  # fmt: skip
            self.refused.append(error(self.shown, self._field_line, message))
        for name, (line, removed) in self._removed.items():
            message = f'"{name}" holds characters that XML forbids ({code_points(removed)}); they were removed'
            self.problems.append(warning(self.shown, line, message))

    def _refuse(self, node: yaml.Node, message: str) -> None:
        self.refused.append(error(self.shown, node.start_mark.line + 1, message))

    def _walk(self, node: yaml.Node, prefix: str, depth: int, key: bool) -> None:
        """``key``: the node is (inside) a mapping's key, whose parts have no key path and are never shown."""
        self._left -= 1
        if self._left < 0:
            raise _OutOfValues
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                if not key and not node.value.isprintable():  # printable text holds none of them: most text, found fast
                    self._clean(node, prefix)
            elif node.tag == _INT and len(node.value) > MAX_INT_DIGITS:
                self._integer(node, prefix)
            return
        if depth >= MAX_DEPTH:
            if not self._too_deep:
                self._refuse(node, f"{_where(prefix)}: lists and mappings nest more than {MAX_DEPTH} levels deep")
            self._too_deep = True
            return
        if id(node) in self._active:
            self._refuse(node, "an alias (*name) stands for a value that holds it; write the value out instead")
            return
        if len(node.value) > MAX_ITEMS:
            mapping = isinstance(node, yaml.MappingNode)
            at = node.value[MAX_ITEMS][0] if mapping else node.value[MAX_ITEMS]
            what = f"{len(node.value):,} {'keys' if mapping else 'items'}, more than the {MAX_ITEMS:,} a note may have"
            self._refuse(at, f"{_where(prefix)} holds {what} (the first past the limit is on this line)")
            return
        self._active.add(id(node))
        if isinstance(node, yaml.MappingNode):
            top = not prefix and not key
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if top:
                    self._field_line = line
                if isinstance(key_node, yaml.ScalarNode):
                    name = key_node.value
                    self._left -= 1
                    if key_node.tag == _INT and len(name) > MAX_INT_DIGITS:
                        self._integer(key_node, prefix)
                else:  # a list or mapping as a key: PyYAML refuses it, once it is made
                    name = f"(key on line {line})"
                    self._walk(key_node, prefix, depth + 1, key=True)
                path = prefix + name
                if not key and path in self.lines:
                    self.problems.append(error(self.shown, line, f'key "{path}" is given twice (first on line {self.lines[path]})'))
                elif not key:
                    self.lines[path] = line
                self._walk(value_node, path + ".", depth + 1, key)
        else:
            for index, item in enumerate(node.value):
                path = f"{prefix}{index}"
                if not key:
                    self.lines[path] = item.start_mark.line + 1
                self._walk(item, path + ".", depth + 1, key)
        self._active.discard(id(node))

    def _integer(self, node: yaml.ScalarNode, prefix: str) -> None:
        if sum(c.isalnum() for c in node.value) > MAX_INT_DIGITS:  # "1_000", "-0x1F": the digits only, more or less
            self._refuse(node, f"{_where(prefix)}: an integer of more than {MAX_INT_DIGITS} digits; put it in quotes if it is text")

    def _clean(self, node: yaml.ScalarNode, prefix: str) -> None:
        """Text without the characters XML forbids (escapes such as "\\x01" make them); the first line each field holds them on."""
        cleaned, removed = without_xml_forbidden(node.value)
        if removed:
            node.value = cleaned
            name = prefix.partition(".")[0] or "front-matter"
            line, before = self._removed.get(name, (node.start_mark.line + 1, ""))
            self._removed[name] = (line, "".join(sorted(set(before + removed))))


def _where(prefix: str) -> str:
    return f'"{prefix[:-1]}"' if prefix else "front-matter"


def _construct(loader: _Reading, node: yaml.Node) -> Any:
    """A node's value as PyYAML's safe constructor makes it, for the plain shapes front-matter has.

    PyYAML's generic constructor keeps books for anchors, cycles and deferred objects on every node, which
    is about half the cost of reading a note's front-matter; anything this does not cover raises _Unusual,
    and PyYAML constructs the document instead (a test holds the two to the same values). The survey has
    made sure that the nodes hold no cycle and, aliases copied, not too many values.
    """
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        if node.tag not in _PLAIN_SCALARS:
            raise _Unusual
        try:
            return loader.yaml_constructors[node.tag](loader, node)
        except _CONSTRUCTION_ERRORS as exc:
            raise _BadValue(node) from exc
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_construct(loader, item) for item in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        value: dict[Any, Any] = {}
        for key, item in node.value:
            if not isinstance(key, yaml.ScalarNode) or (key.tag != _STR and key.tag not in _PLAIN_SCALARS):
                raise _Unusual  # a merge key ("<<"), a tagged or a collection key
            value[_construct(loader, key)] = _construct(loader, item)
        return value
    raise _Unusual


def _yaml_problem(exc: yaml.MarkedYAMLError, line: int) -> str:
    """PyYAML's words, plus where the unfinished part started and the usual fix for a colon in a value."""
    text = exc.problem or exc.context or "cannot be read"
    if exc.problem and exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        text += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    if exc.problem and exc.problem.startswith("mapping values are not allowed"):
        text += "; put the value in quotes if it contains ': '"
    return text


# Where a quoted value may start in a line: after "key: ", "- ", "[" or "," (and spaces)
_VALUE_START = re.compile(r"""(?:^[ \t]*(?:-[ \t]+)*(?:[^\s#'"][^:#]*?:[ \t]+)?|[\[{,][ \t]*)(["'])""")


def _quote_hint(front: str, line: int) -> str:
    """For a value whose own quote marks end it early (``title: "He said "no" today"``), how to write it instead.

    The line PyYAML stops at, or the one before, holds a quoted value followed by more than a comma, a bracket or a
    comment; the fix is the other kind of quotes around it, or its inner quotes escaped.
    """
    lines = front.split("\n")
    for number in (line, line - 1):
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        for match in _VALUE_START.finditer(text):
            quote = match.group(1)
            end = _closing(text, match.end(), quote)
            rest = text[end + 1 :].lstrip() if end is not None else ""
            if end is None or not rest or rest[0] in ",]}#":
                continue
            other, inner = ("single", '\\"') if quote == '"' else ("double", "''")
            hint = f"; the {quote} inside the value on line {number} ends it early: put the value in {other} quotes"
            if match.group().lstrip()[:1] in "[{," or not text.rstrip().endswith(quote):  # in a list, or a comment after it
                return f"{hint}, or write each {quote} inside it as {inner}"
            head, value = text[: match.start(1)], text[match.end() : text.rstrip().rfind(quote)]
            if quote == "'":
                fixed = head + '"' + value.replace("''", "'").replace("\\", "\\\\").replace('"', '\\"') + '"'
            else:
                fixed = head + "'" + value.replace("'", "''") + "'"
            return f"{hint}, as in {fixed.strip()}"
    return ""


def _closing(text: str, start: int, quote: str) -> int | None:
    """Where a quoted value that starts at ``start`` (after its opening quote) closes; None when it does not."""
    i = start
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":  # '' is a quote inside single quotes
                i += 2
                continue
            return i
        i += 1
    return None

