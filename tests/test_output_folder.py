"""The output folder is the build's alone: a mistyped --out is refused with nothing touched, and a build
deletes only files that an earlier build wrote there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.output import MARKER

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
