"""Actor roles in an event (``actors: [{actor: X, role: speaker}]``): how they are read and reported, how the model
joins an actor's roles, and where a built site shows them: cards, event and actor pages, the role filter's data,
JSON-LD, timeline.json, the spreadsheet and TimelineJS, and back through an import."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import records
from builder.build import Options, build
from builder.cli import main
from builder.importer import import_files
from builder.pipeline import Settings, build_site

from .conftest import FIXTURES, TEMPLATES

TALKS = Path("events/2024/2024-11-05-talks.md")
ELECTION = Path("events/2024/2024-11-06-election.md")


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    return content


def _actors(content: Path, note: Path, lines: str) -> None:
    """Replace a note's ``actors:`` (one line, or a block of items) with ``lines``."""
    path = content / note
    text = re.sub(r"^actors:(?: \[.*\]\n|\n(?:  .*\n)+)", lines, path.read_text(), count=1, flags=re.MULTILINE)
    path.write_text(text)


def _site(content: Path) -> dict[str, str]:
    report, files = build_site(Settings(content, TEMPLATES))
    assert not report.failed(), [str(d) for d in report.items]
    return {path: data.decode() for path, data in files.items() if path.endswith((".html", ".json", ".csv"))}


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content)])
    return code, [line for line in capsys.readouterr().err.splitlines() if '"actors"' in line or 'role "' in line]


# ---- reading ---------------------------------------------------------------------------------------------------


def test_every_bad_actors_item_is_an_error_at_its_own_line_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    _actors(content, TALKS, "actors:\n  - {actor: Kyiv, part: speaker}\n  - {role: speaker}\n  - {actor: Kyiv, role: ''}\n"
                            "  - {actor: Kyiv, role: }\n  - [Kyiv]\n  - Seoul\n")  # fmt: skip
    code, lines = _check(content, capsys)
    path = (content / TALKS).as_posix()
    assert code == 1
    assert lines == [
        f'{path}:6: error: "actors" item 1: unknown key "part" (known: actor, role)',
        f'{path}:7: error: "actors" item 2 needs an actor: {{actor: name, role: speaker}}',
        f'{path}:8: error: "actors" item 3: "role" is empty',
        f'{path}:9: error: "actors" item 4: "role" is empty',
        f'{path}:10: error: "actors" item 5 must be a name, or a mapping such as {{actor: name, role: speaker}}',
    ]


NEAR_MISSES = [("speeker", "speaker"), ("Targer", "target"), ("partcipant", "participant")]
OTHER_WORDS = [("mentioned ", None), ("press secretary", None), ("host", None), ("Speaker", None)]


@pytest.mark.parametrize(("role", "near"), NEAR_MISSES + OTHER_WORDS)
def test_only_a_near_miss_of_a_common_role_is_warned_about_and_every_role_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], role: str, near: str | None
) -> None:
    content = _content(tmp_path)
    _actors(content, TALKS, f"actors:\n  - {{actor: Kyiv, role: '{role}'}}\n")
    code, lines = _check(content, capsys)
    assert code == 0
    hint = f'{(content / TALKS).as_posix()}:6: warning: role "{role.strip()}" of Kyiv is not a common role; did you mean "{near}"?'
    assert [line for line in lines if "role" in line] == ([hint + " (any other word is kept as written)"] if near else [])
    assert f'<span class="actor-role">, {role.strip()}</span>' in _site(content)["events/2024-11-05-talks/index.html"]


@given(st.text(min_size=1).filter(lambda t: t.strip() != ""), st.sampled_from(["Kyiv", "Seoul", 1984]))
def test_any_text_is_a_role_kept_as_written(role: str, actor: Any) -> None:
    assert records._actors([{"actor": actor, "role": role}], "actors") == ((0, str(actor).strip(), role.strip()),)


def test_a_name_and_a_name_with_a_role_are_both_kept_and_exact_repeats_once() -> None:
    speaker, target = {"actor": "Kyiv", "role": "speaker"}, {"actor": "Kyiv", "role": "target"}
    items = ["Kyiv", speaker, speaker, "Kyiv", target]
    assert records._actors(items, "actors") == ((0, "Kyiv", None), (1, "Kyiv", "speaker"), (4, "Kyiv", "target"))


# ---- the model and the pages ---------------------------------------------------------------------------------------


def test_an_actor_named_twice_with_two_roles_has_both_wherever_it_shows(tmp_path: Path) -> None:
    """By name and by alias: one actor, both roles, in the order written; no role given adds none."""
    content = _content(tmp_path)
    _actors(content, ELECTION, "actors:\n  - {actor: Yun Seok-yul, role: speaker}\n  - {actor: Yoon Suk Yeol, role: target}\n"
                               "  - yoon-suk-yeol\n  - Kim Jong-un (professor)\n")  # fmt: skip
    site = _site(content)
    page = site["events/2024-11-06-election/index.html"]
    assert '>Yoon Suk Yeol</a><span class="actor-role">, speaker, target</span></li>' in page
    assert '>Kim Jong-un (Political science professor in Seoul)</a></li>' in page  # no role: the name alone
    data = json.loads(site["timeline.json"])
    event = next(e for e in data["events"] if e["slug"] == "2024-11-06-election")
    assert event["actors"] == [{"id": "yoon-suk-yeol", "name": "Yoon Suk Yeol", "roles": ["speaker", "target"]},
                               {"id": "kim-jong-un-professor", "name": "Kim Jong-un", "roles": []}]  # fmt: skip
    jsonld = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)[0])
    assert jsonld["performer"][0] == {
        "@type": "Role", "roleName": ["speaker", "target"],
        "performer": {"@type": "Person", "name": "Yoon Suk Yeol", "url": "https://example.org/fixture/actors/yoon-suk-yeol/"},
    }  # fmt: skip
    assert "Role" not in json.dumps(jsonld["performer"][1])


def test_the_actor_page_counts_events_by_role_and_links_each_to_its_filtered_list(tmp_path: Path) -> None:
    """In the fixture Yoon Suk Yeol speaks at the talks and the briefing and has no role in the election."""
    site = _site(_content(tmp_path))
    page = site["actors/yoon-suk-yeol/index.html"]
    roles = page[page.index('<section class="roles"') : page.index("</section>", page.index('<section class="roles"'))]
    assert re.findall(r"<li.*</li>", roles) == [
        '<li><a href="?role=speaker">As speaker</a> <span class="n">in 2 events</span></li>',
        '<li class="no-role">No role given <span class="n">in 1 event</span></li>',
    ]
    assert '<label for="filter-role">Role of Yoon Suk Yeol</label>' in page
    cards = re.findall(r'<article class="card[^>]*>', page)
    assert sum('data-roles="yoon-suk-yeol:speaker' in card for card in cards) == 2
    # an actor no event gives a role has no such section and no role filter, even where others in its events have one
    content = _content(tmp_path / "other")
    _actors(content, ELECTION, "actors: [{actor: Yun Seok-yul, role: target}, Kim Jong-un (professor)]\n")
    kim = _site(content)["actors/kim-jong-un-professor/index.html"]
    assert 'data-roles="yoon-suk-yeol:target"' in kim
    assert 'class="roles"' not in kim and "filter-role" not in kim


def test_the_home_page_offers_the_role_filter_with_every_role_on_its_cards(tmp_path: Path) -> None:
    content = _content(tmp_path)
    _actors(content, ELECTION, "actors:\n  - {actor: Kim Jong-un (professor), role: press secretary}\n")
    home = _site(content)["index.html"]
    assert '<select id="filter-role" name="role"><option value="">Any role</option></select>' in home
    assert re.findall(r'data-roles="([^"]*)"', home) == [
        "yoon-suk-yeol:speaker kyiv:participant", "kim-jong-un-professor:press%20secretary", "yoon-suk-yeol:speaker", "kyiv:speaker",
    ]  # fmt: skip
    _actors(content, TALKS, "actors: [Yoon Seok-yol, Kyiv]\n")
    for note in ("events/2024/2024-11-06t1430-briefing.md", "events/2024/2024-11-06-evening-statement.md", ELECTION):
        _actors(content, Path(note), "actors: [Kyiv]\n")
    assert "filter-role" not in _site(content)["index.html"]  # no role anywhere: no role filter


# ---- the data files, and back -------------------------------------------------------------------------------------


def _csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["Slug"]: row for row in csv.DictReader(io.StringIO(text)) if row["Slug"]}


def test_the_spreadsheet_and_timelinejs_carry_roles_parallel_to_actors(tmp_path: Path) -> None:
    site = _site(_content(tmp_path))
    rows = _csv_rows(site["timeline.csv"])
    assert (rows["2024-11-05-talks"]["Actors"], rows["2024-11-05-talks"]["Actor Roles"]) == ("Yoon Seok-yol; Kyiv", "speaker; participant")
    assert (rows["2024-11-06-election"]["Actor Roles"], rows["2024-11-10-reactions"]["Actor Roles"]) == ("", "")
    slides = {s["unique_id"]: s["timeline_builder"] for s in json.loads(site["timelinejs.json"])["events"]}
    assert slides["2024-11-05-talks"]["actor_roles"] == ["speaker", "participant"]
    assert "actor_roles" not in slides["2024-11-06-election"]


def test_roles_come_back_from_a_spreadsheet_and_one_without_the_roles_column_still_reads_as_ours(tmp_path: Path) -> None:
    content = _content(tmp_path)
    _actors(content, ELECTION, "actors:\n  - {actor: Yun Seok-yul, role: 'speaker; aside'}\n  - Kim Jong-un (professor)\n"
                               "  - {actor: Yun Seok-yul, role: target}\n")  # fmt: skip
    out = tmp_path / "site"
    assert not build(Options(content=content, templates=TEMPLATES, out=out, cache=None)).report.failed()
    again = tmp_path / "again"
    assert not import_files([(out / "timeline.csv", "timeline.csv")], again, "again").report.errors
    note = next(again.rglob("*election*.md")).read_text()
    assert 'actors:\n  - {actor: "Yun Seok-yul", role: "speaker; aside"}\n  - "Kim Jong-un (professor)"\n' in note
    written = (out / "timeline.csv").read_bytes().decode()
    assert _site(again)["timeline.csv"] == written

    rows = list(csv.reader(io.StringIO(written, newline="")))
    dropped = rows[0].index("Actor Roles")
    older = tmp_path / "older.csv"
    table = io.StringIO(newline="")
    csv.writer(table, lineterminator="\r\n").writerows([cell for i, cell in enumerate(row) if i != dropped] for row in rows)
    older.write_bytes(table.getvalue().encode())
    plain = tmp_path / "plain"
    outcome = import_files([(older, "older.csv")], plain, "plain")
    assert not outcome.report.errors
    note = next(plain.rglob("*election*.md")).read_text()
    assert 'actors:\n  - "Yun Seok-yul"\n  - "Kim Jong-un (professor)"\n' in note  # the Actors column, as ours: no roles
