"""``init`` starts a timeline in one command, and every ``make`` target works on the folder CONTENT= and OUT= name."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from builder.build import Options, build, check
from builder.cli import main
from builder.placeholders import EXAMPLE_BODY
from builder.starter import init_timeline

from .conftest import FIXTURES, ROOT, TEMPLATES, tree

TODAY = dt.date(2023, 6, 24)
EXAMPLES = ["actors/example-actor.md", "events/2023-06-24-example-event.md", "site.toml"]


def _init(folder: Path, title: str | None = None) -> tuple[list[Path], str | None]:
    return init_timeline(folder, folder.as_posix(), title, TODAY)


def test_init_writes_settings_and_two_example_drafts(tmp_path: Path) -> None:
    folder = tmp_path / "wagner-mutiny"
    files, refused = _init(folder)
    assert refused is None
    assert sorted(tree(folder)) == EXAMPLES and sorted(p.relative_to(folder).as_posix() for p in files) == EXAMPLES
    assert 'title = "Wagner mutiny"' in (folder / "site.toml").read_text()
    for note in ("actors/example-actor.md", "events/2023-06-24-example-event.md"):
        assert "\ndraft: true" in (folder / note).read_text()
    report = check(Options(content=folder)).report
    assert (report.errors, report.warnings) == (0, 0)
    assert check(Options(content=folder, drafts=True)).report.items == ()


def test_the_examples_are_never_published_by_accident(tmp_path: Path) -> None:
    """Left out as drafts; shown with --drafts; and with their draft mark removed but not rewritten, refused at the
    line of the example's text."""
    folder = tmp_path / "wagner"
    _init(folder)
    out = tmp_path / "site"
    assert not build(Options(content=folder, templates=TEMPLATES, out=out)).report.failed()
    assert "xample" not in "".join(p.read_text() for p in out.rglob("*") if p.suffix in (".html", ".xml", ".json"))
    build(Options(content=folder, templates=TEMPLATES, out=tmp_path / "preview", drafts=True))
    assert (tmp_path / "preview" / "events" / "2023-06-24-example-event" / "index.html").is_file()

    for note in folder.rglob("*.md"):
        note.write_text("".join(line for line in note.read_text().splitlines(keepends=True) if not line.startswith("draft:")))
    errors = [d for d in check(Options(content=folder)).report.items if d.severity == "error"]
    assert {(Path(d.path).name, d.line) for d in errors if "example note written by init" in d.message} == {
        ("example-actor.md", 8), ("2023-06-24-example-event.md", 14),
    }  # fmt: skip
    for d in errors:  # each at the line that holds the text to replace
        assert "example note written by init" in d.message or "in a paragraph or two" in Path(d.path).read_text().splitlines()[d.line - 1] \
            or "in a sentence or two" in Path(d.path).read_text().splitlines()[d.line - 1]
    assert {Path(d.path).read_text().splitlines()[d.line - 1] for d in errors if "init" in d.message} == {EXAMPLE_BODY}
    assert build(Options(content=folder, templates=TEMPLATES, out=out)).files == 0


@pytest.mark.parametrize("existing", ["notes.md", ".git", "events"])
def test_a_folder_with_anything_in_it_is_refused_and_left_as_it_was(tmp_path: Path, existing: str) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    if existing.endswith(".md"):
        (folder / existing).write_text("mine")
    else:
        (folder / existing).mkdir()
    before = tree(folder), sorted(p.name for p in folder.rglob("*"))
    files, refused = _init(folder)
    assert files == [] and refused is not None and refused.startswith(f"{folder.as_posix()} is not empty")
    assert (tree(folder), sorted(p.name for p in folder.rglob("*"))) == before


def test_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "wagner").write_text("a file")
    assert _init(tmp_path / "wagner") == ([], f"{(tmp_path / 'wagner').as_posix()} exists and is not a folder; "
                                              "init starts a timeline in a new or empty folder")  # fmt: skip
    assert (tmp_path / "wagner").read_text() == "a file"


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert _init(tmp_path / "empty", title="Wagner, June 2023")[1] is None
    assert 'title = "Wagner, June 2023"' in (tmp_path / "empty" / "site.toml").read_text()


def test_a_write_that_fails_takes_back_what_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up at the last file: the folder init made, and the files it wrote there, go again."""
    real_open = Path.open

    def full(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "example-actor.md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full)
    folder = tmp_path / "wagner"
    assert _init(folder) == ([], f"cannot write {folder.as_posix()}: No space left on device; nothing was left there")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "empty").mkdir()
    assert _init(tmp_path / "empty")[1] is not None and list((tmp_path / "empty").iterdir()) == []  # an empty folder stays


def test_cli_init_prints_the_files_and_the_next_steps_for_that_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "my timeline"
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"  {folder.as_posix()}/site.toml\n" in out
    assert f"python -m builder serve --content '{folder.as_posix()}' --drafts" in out
    assert f"python -m builder check --content '{folder.as_posix()}' --strict" in out
    assert main(["init", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {folder.as_posix()} is not empty")


def test_new_without_a_date_says_which_date_it_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "wagner"
    _init(folder)
    assert main(["new", "Mutiny", "--content", str(folder)]) == 0
    out, err = capsys.readouterr()
    today = dt.date.today().isoformat()
    assert out == f"{folder.as_posix()}/events/{today}-mutiny.md\n"
    assert f"dated today, {today}, as no --date was given" in err and "draft" in err
    assert main(["new", "Mutiny ends", "--date", "2023-06-24", "--content", str(folder)]) == 0
    assert "dated today" not in capsys.readouterr().err


# ---- make with CONTENT= and OUT= -------------------------------------------------------------------------------

# The stamps are emptied and PY points at this interpreter, so make installs nothing and runs the builder under test.
MAKE = ["make", "--no-print-directory", "-C", str(ROOT), f"PY={sys.executable}", "STAMP=", "SITE_STAMP=", "PUBLISH_STAMP="]


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MAKE, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_targets_work_on_the_folder_content_names(tmp_path: Path) -> None:
    folder = tmp_path / "wagner"
    assert _make("init", f"CONTENT={folder}").returncode == 0
    assert (folder / "site.toml").is_file()
    refused = _make("init", f"CONTENT={folder}")
    assert refused.returncode != 0 and "is not empty" in refused.stderr

    made = _make("new", f"CONTENT={folder}", "TITLE=Prigozhin turns back", "ARGS=--date 2023-06-24 --actor Prigozhin")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith(f"{folder}/events/2023-06-24-prigozhin-turns-back.md")
    checked = _make("check", f"CONTENT={folder}")
    assert checked.returncode == 0 and "checked 3 notes" in checked.stdout

    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "basic")
    (tmp_path / "basic" / "events" / "2024" / "2024-11-05-talks.md").write_text(
        "---\ntitle: Talks\ndate: 2024-11-05\nactors: [Yoon Suk Yeoll]\n---\nTalks.\n"
    )
    warned = _make("check", f"CONTENT={tmp_path / 'basic'}")
    assert warned.returncode == 0 and 'did you mean "Yoon Suk Yeol"?' in warned.stderr
    assert _make("check", f"CONTENT={tmp_path / 'basic'}", "STRICT=1").returncode != 0


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_site_and_publish_pass_content_and_out_on_and_publish_is_strict(tmp_path: Path) -> None:
    """Dry runs (make -n): what would run, Pagefind and ghp-import included, without running them."""
    content, out = tmp_path / "wagner", tmp_path / "wagner-site"
    site = _make("-n", "site", f"CONTENT={content}", f"OUT={out}").stdout
    assert f"-m builder build --content '{content}' --out '{out}'" in site and "--strict" not in site
    assert f"-m pagefind --site '{out}' --quiet" in site
    publish = _make("-n", "publish", f"CONTENT={content}", f"OUT={out}").stdout
    assert f"-m builder build --content '{content}' --out '{out}'  --strict" in publish
    assert publish.rstrip().endswith(f"--message 'Publish site' '{out}'")
    serve = _make("-n", "serve", f"CONTENT={content}").stdout
    assert f"-m builder serve --content '{content}'" in serve


def test_the_pages_workflow_builds_with_strict() -> None:
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert 'run: make site BASE_URL="$BASE_URL" CONTENT="$CONTENT" STRICT=1' in workflow
