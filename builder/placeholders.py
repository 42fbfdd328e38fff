"""Text a writer is meant to replace: what ``new`` and ``init`` write into a note's body, and finding it again.

A published note that still holds such text would show readers a prompt meant for its writer, so it is an error
at the line it is on. A draft may hold it: the site leaves drafts out, and ``new`` writes drafts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from .diagnostics import Diagnostic, error
from .notes import Note

EVENT_BODY = "What happened, in a paragraph or two. The first paragraph is the summary in lists and feeds."
ACTOR_BODY = "Who this is, in a sentence or two. The first paragraph is the summary on the actors page."
EXAMPLE_BODY = "This is an example note written by init: replace it with your own, or delete it."


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str  # as quoted in the message
    key: str  # the word that must stay for a reworded sentence to count: "in a day or two" is prose, not a prompt
    fix: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.casefold() for w in _WORD.findall(self.text))


_WORD = re.compile(r"\w+")
_WRITE = "write the note's own text in its place (a note marked draft: true may keep it)"
_SENTENCES = (
    _Sentence("What happened, in a paragraph or two.", "paragraph", _WRITE),
    _Sentence("The first paragraph is the summary in lists and feeds.", "summary", _WRITE),
    _Sentence("Who this is, in a sentence or two.", "sentence", _WRITE),
    _Sentence("The first paragraph is the summary on the actors page.", "summary", _WRITE),
    _Sentence("This is an example note written by init", "init", "replace the example with a note of your own, or delete the file"),
)
_KEYS = tuple(dict.fromkeys(s.key for s in _SENTENCES))


def placeholder_problems(note: Note) -> list[Diagnostic]:
    """An error for each line of a note's body that holds a placeholder sentence, unless the note is a draft.

    A sentence counts in any case, spacing, punctuation or line breaks, and with one word added, left out or
    changed, as long as its key word stays: a writer who touched the prompt up has not replaced it.
    """
    if note.meta.get("draft") is True:
        return []
    folded = note.body.casefold()
    if not any(key in folded for key in _KEYS):  # most bodies: one pass in C, no word list made
        return []
    words = [w.casefold() for w in _WORD.findall(note.body)]
    found: dict[int, _Sentence] = {}
    for sentence in _SENTENCES:
        index = _find(sentence, words)
        if index is not None:
            at = next(islice(_WORD.finditer(note.body), index, None)).start()
            found.setdefault(note.body_line + note.body.count("\n", 0, at), sentence)
    return [error(note.path, line, f'still holds the placeholder "{s.text}": {s.fix}') for line, s in sorted(found.items())]


def _find(sentence: _Sentence, words: list[str]) -> int | None:
    """Where the first run of words within one word of the sentence starts, as an index into ``words``."""
    target = sentence.words
    n, k = len(target), target.index(sentence.key)
    distinct = set(target)
    i = -1
    while True:
        try:
            i = words.index(sentence.key, i + 1)  # the key word's next use, found in C: prose uses "summary" often
        except ValueError:
            return None
        if len(distinct.difference(words[max(0, i - k - 1) : i - k + n + 1])) > 1:
            continue  # two of the sentence's words are missing around it: no window there can be within one word
        # the sentence as it is or with a word changed, then with one left out, then with one added: after the key or before it
        for start, length in ((i - k, n), (i - k, n - 1), (i - k + 1, n - 1), (i - k, n + 1), (i - k - 1, n + 1)):
            if 0 <= start <= i < start + length <= len(words) and _within_one(words[start : start + length], target):
                return start


def _within_one(a: list[str], b: tuple[str, ...]) -> bool:
    """Whether two word sequences differ by at most one word added, left out or changed."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    shorter, longer = (a, list(b)) if len(a) < len(b) else (list(b), a)
    if len(longer) - len(shorter) != 1:
        return False
    i = next((j for j, (x, y) in enumerate(zip(shorter, longer, strict=False)) if x != y), len(shorter))
    return shorter[i:] == longer[i + 1 :]
