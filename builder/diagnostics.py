"""Problems found in content, carried as values and reported together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .pickling import fast_pickle


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# A key, name or file name can hold a line break (YAML's "\\n"); shown as written there, one diagnostic stays one line.
_ONE_LINE = {c: ascii(chr(c))[1:-1] for c in (0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}


@fast_pickle
@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, located at a line of a file (line 1 when nothing better is known)."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}".translate(_ONE_LINE)


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), Severity.ERROR, message)


def warning(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, max(line, 1), Severity.WARNING, message)


@dataclass(frozen=True, slots=True)
class Report:
    """Every diagnostic of a run, sorted and de-duplicated so output never depends on read order."""

    items: tuple[Diagnostic, ...]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Report:
        return cls(tuple(sorted(set(diagnostics), key=_sort_key)))

    @property
    def errors(self) -> int:
        return sum(1 for d in self.items if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.items if d.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def summary(self) -> str:
        return f"{counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"


def counted(n: int, word: str) -> str:
    """A count and its noun, plural unless the count is one ("1 note", "2 notes")."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sort_key(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.path, d.line, d.severity.value, d.message)
