"""Work shared between forked processes comes back in order, a failure in any of them is raised here, and
no forked process outlives the one that forked it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from builder.build import Options, build
from builder.dates import parse_when
from builder.diagnostics import error
from builder.markup import Body
from builder.reading import Bodies, NoteState, Where
from builder.records import Event
from builder.render import TemplateProblem
from builder.workers import fork_available, fork_map

from .conftest import ROOT, TEMPLATES, ended
from .conftest import tree as files_of

needs_fork = pytest.mark.skipif(not fork_available(), reason="worker processes are forked")


@needs_fork
def test_results_come_back_in_share_order_from_other_processes() -> None:
    results = fork_map(lambda i, share: (i, sum(share), os.getpid()), [[1, 2], [3], [4, 5, 6]])
    assert [(i, total) for i, total, _ in results] == [(0, 3), (1, 3), (2, 15)]
    assert len({pid for _, _, pid in results}) == 3 and results[0][2] == os.getpid()


@needs_fork
def test_a_failure_in_a_child_is_raised_in_the_parent_with_its_diagnostic() -> None:
    problem = error("templates/x.html", 3, "while rendering x: boom")

    def work(i: int, share: int) -> int:
        if i == 2:
            raise TemplateProblem(problem)
        return share

    with pytest.raises(TemplateProblem) as raised:
        fork_map(work, [10, 20, 30])
    assert raised.value.diagnostic == problem


@needs_fork
def test_a_template_error_met_in_a_worker_process_is_reported_and_the_site_left_alone(tmp_path: Path) -> None:
    content, templates, out = tmp_path / "content", tmp_path / "templates", tmp_path / "site"
    write_corpus(content, 400)  # enough pages for rendering to be shared between processes
    shutil.copytree(TEMPLATES, templates)
    options = Options(content=content, templates=templates, out=out, cache=tmp_path / ".cache", workers=3)
    assert not build(options).report.failed()
    before = files_of(out)
    (templates / "event.html").write_text('{% extends "base.html" %}{% block main %}\n{{ nothing.here }}{% endblock %}\n')
    report = build(options).report
    errors = [str(d) for d in report.items if d.severity == "error"]
    assert len(errors) == 1
    where = re.escape(templates.as_posix())
    assert re.fullmatch(rf"{where}/event\.html:2: error: while rendering events/[\w-]+/index\.html: 'nothing' is undefined", errors[0])
    assert files_of(out) == before


@needs_fork
def test_bodies_give_back_what_each_process_parked(tmp_path: Path) -> None:
    bodies = Bodies(tmp_path, parts=3)
    when = parse_when("2024")

    def park(part: int, texts: list[str]) -> dict[str, Where]:
        for n, text in enumerate(texts):
            state = bodies.park(NoteState("event", Event(f"{part}-{n}", "p", "T", when, body=Body(text)), ()), part)
            assert isinstance(state.record, Event) and state.record.body == Body()
        return bodies.index()

    shares = [["<p>één</p>", "<p>two</p>"], ["<p>drei</p>" * 1000], ["<p>fünf</p>"]]
    for index in fork_map(park, shares):
        bodies.adopt(index)
    found = {slug: bodies.whole(Event(slug, "p", "T", when)).body_html for slug in ("0-0", "0-1", "1-0", "2-0")}
    assert found == {"0-0": "<p>één</p>", "0-1": "<p>two</p>", "1-0": "<p>drei</p>" * 1000, "2-0": "<p>fünf</p>"}
    assert bodies.whole(Event("3-0", "p", "T", when)).body_html == ""
    bodies.close()


# Each process of the script writes its id (in one write) when it is at work, then waits for a signal that never comes.
FOREVER = {
    "fork_map": """
        def work(i, share):
            os.write(1, b"%d\\n" % os.getpid())
            signal.pause()
        fork_map(work, [0, 1, 2])
    """,
    "Background": """
        def work():
            os.write(1, b"%d\\n" % os.getpid())
            signal.pause()
        Background(work)
        os.write(1, b"%d\\n" % os.getpid())
        signal.pause()
    """,
}


@needs_fork
@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waits for other processes with pidfd_open")
@pytest.mark.parametrize("how", sorted(FOREVER))
def test_forked_processes_end_when_their_parent_is_killed(how: str) -> None:
    script = "import os, signal\nfrom builder.workers import Background, fork_map\n" + textwrap.dedent(FOREVER[how])
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    survivors: set[int] = set()
    try:
        assert parent.stdout is not None
        pids = {int(parent.stdout.readline()) for _ in range(3 if how == "fork_map" else 2)}
        children = pids - {parent.pid}
        assert len(children) == (2 if how == "fork_map" else 1)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        survivors = ended(children)
        assert survivors == set(), "a worker process outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
