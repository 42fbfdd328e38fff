"""Name normalisation and slugs: how writers' spellings become keys and URLs."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")

# The file name endings of notes, as Markdown editors and GitHub name them.
NOTE_SUFFIXES = (".md", ".markdown")


def name_key(name: str) -> str:
    """Key under which two spellings count as the same name (NFKC, case-folded, spaces collapsed)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _SPACE.sub(" ", folded).strip()


def slugify(text: str) -> str:
    """URL-safe slug; Latin accents are dropped, other scripts are kept readable rather than lost."""
    kept: list[str] = []
    base = ""  # the letter marks attach to: "latin", "other", or "" after a separator
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.category(c).startswith("M"):
            # only Latin accents go: a mark in Cyrillic (й), kana (ガ) or Devanagari is part of the letter
            if base == "other":
                kept.append(c)
        elif c.isalnum():
            base = "latin" if c.isascii() or unicodedata.name(c, "").startswith("LATIN") else "other"
            kept.append(c)
        else:
            base = ""
            kept.append(" ")
    composed = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    return "-".join(composed.split())


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (optimal string alignment) distance, giving up at ``limit + 1`` to stay cheap."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


# XML 1.0 allows three C0 controls (tab, line feed, carriage return) and no surrogate, U+FFFE or U+FFFF: one of these
# anywhere in a feed or sitemap makes the whole file ill-formed, so readers reject it.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def without_xml_forbidden(text: str) -> tuple[str, str]:
    """The text without the characters XML 1.0 forbids, and which of them it held (each once, in code point order)."""
    if _NOT_XML.search(text) is None:
        return text, ""
    return _NOT_XML.sub("", text), "".join(sorted(set(_NOT_XML.findall(text))))


def code_points(characters: str, most: int = 8) -> str:
    """Characters as a writer can look them up: "U+0001, U+FFFE"; past ``most``, the rest is counted."""
    shown = ", ".join(f"U+{ord(c):04X}" for c in characters[:most])
    return shown + (f" and {len(characters) - most} more" if len(characters) > most else "")
