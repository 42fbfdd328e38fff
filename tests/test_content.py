"""Whatever story content/ holds builds and checks clean; and this is the only test module that reads content/.

A newsroom replaces content/ by its own story, so the rest of the suite runs on the trees under tests/fixtures; the
guards of tests/content_guard.py keep it that way, and the tests below show that they catch what they must.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builder.build import Options, check

from . import content_guard
from .conftest import FIXTURES, ROOT
from .content_guard import ALLOWED, REPO_CONTENT, TESTS, modules, named_in, watching


def _builder(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_content_folder_builds_and_checks_strict(tmp_path: Path) -> None:
    """As the writer runs it, from the checkout: `python -m builder check --strict --content content`, then a build."""
    checked = _builder("check", "--strict", "--content", "content")
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert checked.stdout.splitlines()[-1].endswith(": 0 errors, 0 warnings")
    out = tmp_path / "site"
    built = _builder("build", "--quiet", "--content", "content", "--templates", "templates", "--out", str(out))
    assert built.returncode == 0, built.stderr + built.stdout
    assert (out / "index.html").is_file() and (out / "timeline.json").is_file()


# ---- the guard on the source of the tests ----


def test_no_other_test_module_names_the_content_folder() -> None:
    scanned = modules()
    names = {p.relative_to(TESTS).as_posix() for p in scanned}
    assert {"conftest.py", "test_build.py", "test_reading_pages.py", "browser/test_reading.py"} <= names, "the guard scans every module"
    found = {p.relative_to(TESTS).as_posix(): lines for p in scanned if p not in ALLOWED and (lines := named_in(p))}
    assert found == {}, "only tests/test_content.py reads content/: the others use a tree under tests/fixtures"


NAMING_CONTENT = {
    "the seed as conftest once named it": (
        "from pathlib import Path\nROOT = Path(__file__).resolve().parents[1]\nSEED_CONTENT = ROOT / 'content'\n", "conftest.py", [3]
    ),
    "a folder inside it": ("from .conftest import ROOT\nnotes = sorted((ROOT / 'content' / 'events').rglob('*.md'))\n", "test_x.py", [2]),
    "the root found again from __file__": (
        "from pathlib import Path\nHERE = Path(__file__).resolve().parents[1]\n\ndef f():\n    return HERE.joinpath('content', 'actors')\n",
        "test_x.py",
        [5],
    ),
    "os.path": ("import os\nC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'content')\n", "test_x.py", [2]),
    "a formatted string": ("from .conftest import ROOT\nmain(['check', '--content', f'{ROOT}/content/'])\n", "test_x.py", [2]),
    "a glob from the root": ("from .conftest import ROOT\nfiles = list(ROOT.glob('content/**/*.md'))\n", "test_x.py", [2]),
    "from a sub-folder": ("from ..conftest import ROOT\nSTORY = ROOT / 'content'\nx = STORY / 'events'\n", "browser/test_x.py", [2, 3]),
    "an absolute path": (f"P = {str(REPO_CONTENT / 'site.toml')!r}\n", "test_x.py", [1]),
}


@pytest.mark.parametrize(("source", "module", "lines"), list(NAMING_CONTENT.values()), ids=list(NAMING_CONTENT))
def test_the_source_guard_finds_a_path_to_the_content_folder(source: str, module: str, lines: list[int]) -> None:
    assert named_in(TESTS / module, source) == lines


def test_the_source_guard_leaves_other_folders_named_content_alone() -> None:
    source = textwrap.dedent("""
        from pathlib import Path
        from .conftest import FIXTURES, ROOT, SEED_CONTENT, TEMPLATES

        BASIC = FIXTURES / "basic" / "content"
        ELSEWHERE = ROOT / "tests" / "fixtures" / "seed" / "content"
        NOT_IT = (ROOT / "contents", ROOT / "templates", TEMPLATES.parent / "bench", Path("/srv/content"))

        def test_x(tmp_path: Path) -> None:
            (tmp_path / "content").mkdir()
            main(["build", "--content", "content"])
            return SEED_CONTENT / "events", Path("content")
    """)
    assert named_in(TESTS / "test_x.py", source) == []


# ---- the guard at run time ----


def test_the_run_time_guard_is_registered(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.get_plugin("content_guard") is content_guard


def test_the_run_time_guard_sees_a_read_of_content_by_any_path(monkeypatch: pytest.MonkeyPatch) -> None:
    with watching() as reads:
        check(Options(content=FIXTURES / "basic" / "content", templates=ROOT / "templates"))
    assert reads == []
    monkeypatch.chdir(ROOT)
    with watching() as reads:
        check(Options())  # the default content folder, relative to the working folder
    assert reads and all(r == str(REPO_CONTENT) or r.startswith(str(REPO_CONTENT) + os.sep) for r in reads)
    with watching() as reads:
        (Path("tests") / ".." / "content").is_dir()  # a look without opening is no read
        list(os.scandir("tests/../content"))
    assert reads == [str(REPO_CONTENT)]


def test_the_run_time_guard_fails_a_test_that_reads_content(tmp_path: Path) -> None:
    (tmp_path / "test_reads.py").write_text(
        textwrap.dedent(f"""
            from pathlib import Path
            import pytest

            CONTENT = Path({str(REPO_CONTENT)!r})

            @pytest.fixture(scope="module")
            def story():
                return sorted(CONTENT.rglob("*"))

            def test_lists_content():
                assert list(CONTENT.iterdir()) is not None

            def test_uses_a_module_fixture(story):
                pass

            def test_reads_a_fixture_tree():
                assert list(Path({str(FIXTURES / "basic" / "content")!r}).iterdir())
        """)
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.content_guard", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    summary = result.stdout.splitlines()[-1]
    assert "1 failed, 1 passed, 1 error" in summary, result.stdout
    assert "test_reads.py::test_lists_content read the repository's content/" in result.stdout
    assert "test_reads.py::test_uses_a_module_fixture read the repository's content/" in result.stdout
