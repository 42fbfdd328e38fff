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
        self._ids: dict[str, list[str]] = {}
        self._spelling: dict[str, str] = {}  # key -> a spelling as written, for did-you-mean
        for actor in actors:
            for spelling in (actor.id, actor.name, *actor.aliases):
                key = name_key(spelling)
                owners = self._ids.setdefault(key, [])
                if actor.id not in owners:
                    owners.append(actor.id)
                self._spelling.setdefault(key, spelling)

    def resolve(self, reference: str) -> Resolved:
        key = name_key(reference)
        if key in self._ids:
            return Resolved(tuple(sorted(self._ids[key])))
        return Resolved((), self.suggest(reference))

    def suggest(self, reference: str) -> str | None:
        """The known spelling one typo away (an edit or a swap of two letters), if exactly one is."""
        key = name_key(reference)
        near = sorted(self._spelling[k] for k in self._ids if edit_distance(key, k, 1) <= 1)
        return near[0] if near else None
