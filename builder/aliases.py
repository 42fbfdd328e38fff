"""The actor index: which actor a writer means by an id, a name or any alias."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .records import Actor
from .text import edit_distance, name_key


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a reference points at: one id, several (ambiguous), or none (maybe with a near spelling)."""

    ids: tuple[str, ...]
    suggestion: str | None = None


class ActorIndex:
    """Lookup from normalised spellings to actor ids; built once per build."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self._ids: dict[str, dict[str, None]] = {}  # key -> the ids it names, in the order met
        self._spelling: dict[str, str] = {}  # key -> a spelling as written, for did-you-mean
        self._by_length: dict[int, list[str]] = {}  # len(key) -> keys: a typo changes the length by one at most
        self._exact: set[str] = set()
        for actor in actors:
            self._exact.add(actor.id)
            for spelling in (actor.name, *actor.aliases, actor.id):  # name first: suggestions read as names
                key = name_key(spelling)
                if key not in self._ids:
                    self._ids[key] = {}
                    self._by_length.setdefault(len(key), []).append(key)
                self._ids[key].setdefault(actor.id)
                self._spelling.setdefault(key, spelling)

    def resolve(self, reference: str) -> Resolved:
        # an id written exactly always wins, so "write the id instead" works even when it is another actor's alias
        if reference.strip() in self._exact:
            return Resolved((reference.strip(),))
        key = name_key(reference)
        if key in self._ids:
            return Resolved(tuple(sorted(self._ids[key])))
        return Resolved((), self.suggest(reference))

    def suggest(self, reference: str) -> str | None:
        """The known spelling one typo away (an edit or a swap of two letters), if exactly one is."""
        key = name_key(reference)
        lengths = (len(key) - 1, len(key), len(key) + 1)
        near = [k for length in lengths for k in self._by_length.get(length, ()) if edit_distance(key, k, 1) <= 1]
        if len({tuple(sorted(self._ids[k])) for k in near}) != 1:
            return None  # nothing near, or spellings of different actors: any pick would be a guess
        return sorted(self._spelling[k] for k in near)[0]
