"""Order within a day: the writer's ``order:``, then the time, and never the file names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import Options, build, check

from .conftest import TEMPLATES


def _note(title: str, date: str, order: int | None = None) -> str:
    lines = ["---", f"title: {json.dumps(title)}", f'date: "{date}"', "sources: [{title: Wire, publisher: Wire, published: 2023-06-26}]"]
    if order is not None:
        lines.append(f"order: {order}")
    return "\n".join([*lines, "---", f"{title}.", ""])


# 24 June 2023, as a writer would have it: the address at 10:00, the deal known only to the day but struck in the
# evening, the column turning back after it. Left alone the deal would open the day.
MUTINY = {
    "2023-06-24-exile-deal.md": ("Exile deal brokered by Minsk", "2023-06-24", 1),
    "2023-06-24-turn-back.md": ("The column turns back", "2023-06-24", 2),
    "2023-06-24t1000-address.md": ("Putin addresses the nation", "2023-06-24T10:00+03:00", None),
    "2023-06-24t0730-rostov.md": ("Fighters hold Rostov headquarters", "2023-06-24T07:30+03:00", None),
    "2023-06-24-voronezh.md": ("Column passes Voronezh", "2023-06-24", None),
    "2023-06-23-statement.md": ("Prigozhin accuses the ministry", "2023-06-23", None),
    "2023-06-25-aftermath.md": ("Checkpoints dismantled", "2023-06-25", -5),
}
EXPECTED = [
    "Prigozhin accuses the ministry",
    "Column passes Voronezh",  # known only to the day, and no order: first in its day
    "Fighters hold Rostov headquarters",  # then the timed events, by time
    "Putin addresses the nation",
    "Exile deal brokered by Minsk",  # order 1, then 2: after everything of order 0 that day
    "The column turns back",
    "Checkpoints dismantled",  # an order never moves an event out of its day
]


def _write(content: Path, names: dict[str, tuple[str, str, int | None]]) -> None:
    (content / "events").mkdir(parents=True, exist_ok=True)
    (content / "site.toml").write_text('title = "Mutiny"\nbase_url = "/"\n')
    for name, (title, date, order) in names.items():
        (content / "events" / name).write_text(_note(title, date, order))


def _timeline_titles(out: Path) -> list[str]:
    return [e["title"] for e in json.loads((out / "timeline.json").read_text())["events"]]


def test_a_same_day_group_follows_order_then_time(tmp_path: Path) -> None:
    _write(tmp_path / "content", MUTINY)
    out = tmp_path / "site"
    result = build(Options(content=tmp_path / "content", templates=TEMPLATES, out=out))
    assert result.report.items == ()
    assert _timeline_titles(out) == EXPECTED
    home = (out / "index.html").read_text()
    positions = [home.index(title) for title in EXPECTED]
    assert positions == sorted(positions), "the home page lists the day in the same order"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.permutations(list(MUTINY)), prefix=st.lists(st.sampled_from("abz0"), min_size=len(MUTINY), max_size=len(MUTINY)))
def test_file_names_never_decide_the_order(tmp_path: Path, names: list[str], prefix: list[str]) -> None:
    """The same notes under other file names (each note's name given to another) come out in the same order."""
    folder = tmp_path / "shuffled"
    shutil.rmtree(folder, ignore_errors=True)
    renamed = {f"{p}-{name}": MUTINY[original] for p, name, original in zip(prefix, names, MUTINY, strict=True)}
    _write(folder / "content", renamed)
    out = folder / "site"
    build(Options(content=folder / "content", templates=TEMPLATES, out=out))
    assert _timeline_titles(out) == EXPECTED


def test_order_must_be_a_whole_number(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _write(content, {})
    for name, value in {"a.md": "first", "b.md": "1.5", "c.md": "true", "d.md": "10000000"}.items():
        (content / "events" / name).write_text(f'---\ntitle: T {name}\ndate: 2024-01-01\norder: {value}\n---\nText.\n')
    report = check(Options(content=content)).report
    errors = sorted(str(d) for d in report.items if d.severity == "error")
    assert len(errors) == 4
    for name, line in zip("abcd", errors, strict=True):
        assert line.startswith(f"{content.as_posix()}/events/{name}.md:4: error: \"order\" must be a whole number"), line
