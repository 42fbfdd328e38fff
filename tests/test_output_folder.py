"""The output folder is the build's alone: a mistyped --out is refused with nothing touched, a build
deletes only files that an earlier build wrote there, the new site replaces the old one in one step with
whatever other tools put there carried over, and builds of one folder take turns."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import output
from builder.cli import main
from builder.output import MARKER, Staging, locked

from .conftest import FIXTURES, TEMPLATES, tree


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writer's clone: notes, templates, a README and a git folder, with the shell in it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "basic" / "content", root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    (root / "README.md").write_text("my timeline\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    monkeypatch.chdir(root)
    return root


def _everything(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, links included, as (path -> bytes); folders as empty entries."""
    found: dict[str, bytes] = {}
    for place, dirs, files in os.walk(folder):
        for name in dirs:
            found[os.path.relpath(os.path.join(place, name), folder) + "/"] = b""
        for name in files:
            path = os.path.join(place, name)
            found[os.path.relpath(path, folder)] = Path(path).read_bytes()
    return found


def _build(*args: str) -> int:
    return main(["build", "--jobs", "1", *args])


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        (".", "would hold the content folder"),
        ("content", "would hold the content folder"),
        ("content/events", "is inside the content folder"),
        ("templates/static", "is inside the templates folder"),
        ("out/a/../..", "would hold the content folder"),
        ("..", "would hold the content folder"),
        (".git", "is inside a git repository's own folder"),
        (".cache", "would hold the build cache"),
    ],
)
def test_an_output_that_is_or_holds_the_project_is_refused(
    project: Path, out: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _everything(project.parent)
    assert _build("--out", out) == 2
    err = capsys.readouterr().err
    assert f"error: --out: {out} {reason}" in err
    assert "nothing was written" in err
    assert "Traceback" not in err
    assert _everything(project.parent) == before, "a refused build touched something"


def test_an_output_that_is_a_file_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "notes.txt").write_text("mine\n")
    before = _everything(project.parent)
    assert _build("--out", "notes.txt") == 2
    assert "error: --out: notes.txt is a file, not a folder" in capsys.readouterr().err
    assert _everything(project.parent) == before


def test_a_folder_the_build_did_not_make_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "drafts").mkdir()
    (project / "drafts" / "chapter.md").write_text("my unfinished chapter\n")
    before = _everything(project.parent)
    assert _build("--out", "drafts") == 2
    assert f"drafts is a folder that this tool did not make (it has files but no {MARKER} marker)" in capsys.readouterr().err
    assert _everything(project.parent) == before


def test_another_git_work_tree_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other-repo"
    (other / ".git").mkdir(parents=True)
    before = _everything(tmp_path)
    assert _build("--out", str(other)) == 2
    assert "is a git work tree" in capsys.readouterr().err
    assert _everything(tmp_path) == before


def test_a_symlink_to_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(project)
    before = _everything(project)
    assert _build("--out", str(tmp_path / "link")) == 2
    assert _everything(project) == before


def test_an_empty_folder_is_adopted_and_marked(project: Path) -> None:
    (project / "public").mkdir()
    assert _build("--out", "public") == 0
    assert (project / "public" / "index.html").is_file()
    listed = (project / "public" / MARKER).read_text().splitlines()[1:]
    assert sorted(listed) == sorted(p for p in tree(project / "public") if p != MARKER)


def test_a_rebuild_deletes_only_what_the_last_build_wrote(project: Path) -> None:
    out = project / "site"
    assert _build("--out", "site") == 0
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.json").write_text("{}")  # another tool's output, written beside ours
    (out / "notes-to-self.txt").write_text("keep me")
    note = project / "content" / "events" / "2024" / "2024-11-05-talks.md"
    note.unlink()  # its page is no longer produced: the build wrote it, so the build removes it
    assert (out / "events" / "2024-11-05-talks" / "index.html").is_file()
    for cache in (True, False):
        assert _build("--out", "site", *([] if cache else ["--no-cache"])) == 0
        assert not (out / "events" / "2024-11-05-talks").exists()
        assert (out / "pagefind" / "index.json").read_text() == "{}"
        assert (out / "notes-to-self.txt").read_text() == "keep me"


def test_a_tampered_marker_never_reaches_outside_the_output(project: Path) -> None:
    out = project / "site"
    assert _build("--out", "site") == 0
    marker = out / MARKER
    victim = project / "content" / "events" / "2024" / "2024-11-06-election.md"
    lines = marker.read_text().splitlines(keepends=True)
    lines += ["../content/events/2024/2024-11-06-election.md\n", f"{victim}\n", "./../README.md\n", "..\n", "events/../../README.md\n"]
    marker.write_text("".join(lines))
    outside = _everything(project / "content") | {"README.md": (project / "README.md").read_bytes()}
    assert _build("--out", "site", "--no-cache") == 0
    assert _everything(project / "content") | {"README.md": (project / "README.md").read_bytes()} == outside
    assert victim.is_file()


TALKS = Path("content/events/2024/2024-11-05-talks.md")


def _beside(project: Path) -> list[str]:
    """What lies beside the site that the build may have made (the project's own files left out)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site", "site")))


def test_a_rebuild_puts_a_whole_new_site_in_place_with_unchanged_files_linked(project: Path) -> None:
    out = project / "site"
    assert _build("--out", "site") == 0
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.json").write_text("{}")
    old = _everything(out)
    inodes = {rel: os.stat(out / rel).st_ino for rel in tree(out)}
    (project / TALKS).write_text((project / TALKS).read_text() + "\nOne more paragraph.\n")
    assert _build("--out", "site") == 0
    page = "events/2024-11-05-talks/index.html"
    assert os.stat(out / page).st_ino != inodes[page]
    unchanged = {rel for rel, data in tree(out).items() if old.get(rel) == data}
    assert "pagefind/index.json" in unchanged and "index.html" in unchanged
    assert {rel: os.stat(out / rel).st_ino for rel in unchanged} == {rel: inodes[rel] for rel in unchanged}, "not hard links"
    spare = _everything(project / ".site.spare")
    assert spare.pop(output.SPARE_RECORD)  # which of its folders match the site's
    assert spare == old, "the spare should hold the old site"
    assert _beside(project) == [".site.spare", "site"]
    assert _build("--out", "fresh", "--no-cache") == 0
    assert tree(out) == tree(project / "fresh") | {"pagefind/index.json": b"{}"}


def test_the_site_is_switched_by_renames_where_folders_cannot_be_exchanged(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    out = project / "site"
    assert _build("--out", "site") == 0
    (out / "notes-to-self.txt").write_text("keep me")
    for n in range(2):
        (project / TALKS).write_text((project / TALKS).read_text() + f"\nParagraph {n}.\n")
        assert _build("--out", "site") == 0
    assert _beside(project) == [".site.spare", "site"]
    assert _build("--out", "fresh", "--no-cache") == 0
    assert tree(out) == tree(project / "fresh") | {"notes-to-self.txt": b"keep me"}


def test_a_switch_cut_short_between_two_renames_is_undone_by_the_next_build(project: Path) -> None:
    out = project / "site"
    assert _build("--out", "site") == 0
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.json").write_text("{}")
    (project / TALKS).write_text((project / TALKS).read_text() + "\nOne more paragraph.\n")
    assert _build("--out", "site") == 0
    new = _everything(out)
    out.rename(project / ".site.old-0a1b2c3d")  # killed after setting the site aside, before moving the new one in
    assert _build("--out", "site") == 0
    assert _everything(out) == new
    assert _beside(project) == [".site.spare", "site"]


def test_what_killed_builds_left_beside_the_site_goes_and_nothing_else(project: Path) -> None:
    left = {".site.new-k1ll3d_x": "a killed build's staging folder", ".site.old-0a1b2c3d": "a site set aside"}
    others = {".site2.new-abcd1234": "another output's", ".site.new-notes": "a writer's", ".site.new-x.new-abcd1234": "site.new-x's"}
    assert _build("--out", "site") == 0
    for name in [*left, *others]:
        (project / name / "events").mkdir(parents=True)
        (project / name / "events" / "index.html").write_text(name)
    (project / ".site.new-abcd1234.txt").write_text("a file, not a folder the build makes")
    assert _build("--out", "site") == 0
    assert not [name for name in left if (project / name).exists()]
    assert all((project / name / "events" / "index.html").read_text() == name for name in others)
    assert (project / ".site.new-abcd1234.txt").is_file()


def test_a_build_waits_while_another_holds_the_folder(project: Path) -> None:
    command = [sys.executable, "-m", "builder", "build", "--out", "site", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(Path(output.__file__).parents[1])}
    with locked(project / "site"):
        waiting = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            assert waiting.stderr is not None
            assert waiting.stderr.readline() == "waiting for another build of site to finish\n"
            assert not (project / "site").exists()
        except BaseException:
            waiting.kill()
            raise
        finally:
            released_at = waiting.poll()
    assert released_at is None, "the build finished while the folder was held"
    assert waiting.wait(timeout=120) == 0
    assert (project / "site" / "index.html").is_file()
    assert _beside(project) == ["site"], "the lock file is removed by the build that held it"


def test_a_symbolic_link_to_the_output_stays_a_link(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "published"
    real.mkdir()
    (project / "site").symlink_to(real)
    assert _build("--out", "site") == 0
    (project / TALKS).write_text((project / TALKS).read_text() + "\nOne more paragraph.\n")
    assert _build("--out", "site") == 0
    assert (project / "site").is_symlink()
    assert b"One more paragraph." in (real / "events" / "2024-11-05-talks" / "index.html").read_bytes()


def _age(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let folders changed so far count as settled for the spare's record, which trusts only folders that last
    changed longer ago than any timestamp granularity: shortened here to 20 ms, and waited out."""
    monkeypatch.setattr(output._Mirror, "RACY", 20_000_000)
    time.sleep(0.03)


def _committed(site: dict[str, bytes], written: dict[str, bytes], dropped: set[str]) -> dict[str, bytes]:
    """What a commit should leave (as ``_everything`` gives it): the site with the written files in place (their
    folders made), and the dropped ones out, with the folders that leaves empty (a dropped path that is now a
    folder stays)."""
    expected = {rel: data for rel, data in site.items() if rel != MARKER}
    for rel, data in written.items():
        expected[rel] = data
        expected.update((f"{folder.as_posix()}/", b"") for folder in Path(rel).parents if folder.name)
    for rel in sorted(dropped):
        if f"{rel}/" in expected:
            continue
        expected.pop(rel, None)
        for folder in (f"{f.as_posix()}/" for f in Path(rel).parents if f.name):
            if any(key.startswith(folder) and key != folder for key in expected):
                break
            expected.pop(folder, None)
    return expected


def test_every_commit_gives_the_site_as_it_was_with_the_staged_files_in_and_the_dropped_ones_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever other tools change in the site, or anyone in the spare, between commits: the next site is the
    site as it was just before the commit (other tools' files included), with this build's files in place and
    those that the last build made and this one did not removed. Seeded random rounds."""
    rng = random.Random(7)
    out = tmp_path / "site"
    names = ["index.html", "a/index.html", "a/b/index.html", "a/b/c.txt", "d/index.html", "d/e/f/index.html", "g.xml"]
    outputs: set[str] = set()
    for round_ in range(40):
        site = tree(out) if out.is_dir() else {}
        if out.is_dir():
            for _ in range(rng.randrange(4)):  # other tools at work in the site
                what = rng.choice(["add", "add", "replace", "delete", "folder"])
                rel = rng.choice(["pagefind/x.json", "pagefind/y/z.json", "notes.txt", "a/extra.txt", "d/e/g.txt", *names])
                path = out / rel
                if what == "add" and not path.exists() and (rel not in outputs) and not path.parent.is_file():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(f"theirs {round_}")
                elif what == "replace" and path.is_file():
                    (out / "swap").write_text(f"replaced {round_}")
                    os.replace(out / "swap", path)
                elif what == "delete" and path.is_file() and rel not in outputs:
                    path.unlink()
                elif what == "folder":
                    (out / f"empty-{round_}").mkdir()
            spare = tmp_path / ".site.spare"
            if spare.is_dir() and rng.random() < 0.3:  # someone tampers with the spare
                victims = sorted(p for p in spare.rglob("*") if p.is_file() and p.name != output.SPARE_RECORD)
                if victims:
                    rng.choice(victims).unlink()
                (spare / "junk.txt").write_text("junk")
            site = _everything(out) if out.is_dir() else {}
        if rng.random() < 0.7:
            _age(monkeypatch)
        made = set(rng.sample(names, rng.randrange(1, len(names))))
        staging = Staging(out)
        written = {}
        for rel in sorted(made):
            data = rng.choice([b"same", f"round {round_} {rel}".encode()])
            if staging.write(rel, data):
                written[rel] = data
        staging.commit([*made, MARKER])
        expected = _committed(site, written, outputs - made)
        got = _everything(out)
        assert got.pop(MARKER) == output.marker([*made, MARKER])
        assert got == expected, f"round {round_}"
        assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"] if round_ else ["site"]
        outputs = made
