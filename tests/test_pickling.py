"""Records come back equal, every field included, from the quick pickling (``fast_pickle``) that worker processes
send them back with, and from the plain-data encoding that the build store keeps them in."""

from __future__ import annotations

import pickle
from pathlib import Path

from builder.dates import PartialDate, When
from builder.diagnostics import warning
from builder.pipeline import Settings, configure, read
from builder.reading import NoteState
from builder.records import Event
from builder.store import _ACTOR, _EVENT, _SOURCE, encode

from .conftest import FIXTURES, SEED_CONTENT, TEMPLATES


def _states(content: Path) -> list[NoteState]:
    settings = Settings(content, TEMPLATES)
    return list(read(settings, configure(settings)[0]).states.values())


def test_every_note_of_the_seed_and_fixture_sites_survives_a_pickle_and_a_store_round_trip() -> None:
    for content in (SEED_CONTENT, FIXTURES / "basic" / "content"):
        states = _states(content)
        assert len(states) > 10
        assert pickle.loads(pickle.dumps(states, protocol=pickle.HIGHEST_PROTOCOL)) == states
        decoders = {"event": _EVENT, "actor": _ACTOR, "source": _SOURCE}
        stored = [NoteState(s.kind, *decoders[s.kind].decode(encode((s.record, s.diagnostics, s.digest)))) for s in states]
        assert stored == states


def test_single_field_and_every_field_records_round_trip() -> None:
    date = PartialDate(2024, 11, 5, 14, 30, 540)
    when = When(date, PartialDate(2024, 11, 7), circa=True)
    problem = warning("content/events/x.md", 4, "a message")
    for value in (date, when, problem, PartialDate(1990)):
        again = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == value and type(again) is type(value)


def test_a_parked_event_keeps_its_fields(tmp_path: Path) -> None:
    note = tmp_path / "events" / "x.md"
    note.parent.mkdir(parents=True)
    note.write_text('---\ntitle: T\ndate: "2024-11"\nplace: Seoul\ntags: [a, b]\nsummary: S\n---\nBody with *emphasis*.\n')
    (state,) = _states(tmp_path)
    assert isinstance(state.record, Event)
    again = pickle.loads(pickle.dumps(state.record))
    assert again == state.record and again.body_html == "<p>Body with <em>emphasis</em>.</p>\n" and again.tags == ("a", "b")
