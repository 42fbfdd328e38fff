"""Our live preview as the benchmark runs it: a worker process holding a preview session, edited note by note."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from bench.rebuild import edit_and_rebuild, open_preview
from bench.workspace import ROOT, Workspace, ours_env

PROTOCOL = "@@bench "  # prefix of the preview worker's answers on stdout


def preview_worker(content: Path) -> None:
    """Child process: a preview session of ``content``; each stdin line "NUMBER PATH" edits that note and rebuilds."""
    def answer(**values: object) -> None:
        print(PROTOCOL + json.dumps(values), flush=True)

    preview, first = open_preview(content, ROOT / "templates")  # the snapshot's, as this runs from the snapshot
    answer(seconds=first.seconds, rendered=first.rendered)
    for line in sys.stdin:
        number, path = line.rstrip("\n").split(" ", 1)
        outcome = edit_and_rebuild(preview, Path(path), int(number))
        answer(seconds=outcome.seconds, rendered=outcome.rendered)
    answer(rss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class OursPreview:
    """The worker process of ``preview_worker``, started from the snapshot; the first build done when made."""

    def __init__(self, space: Workspace) -> None:
        command = [sys.executable, str(space.code / "bench" / "run.py"), "--preview-worker", str(space.content)]
        self.process = subprocess.Popen(command, cwd=space.project, env=ours_env(space.code), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)  # fmt: skip
        self.first = self._read()

    def _read(self) -> dict[str, float]:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(PROTOCOL):
                return json.loads(line[len(PROTOCOL) :])  # type: ignore[no-any-return]
        raise SystemExit(f"the preview worker stopped (exit code {self.process.wait()})")

    def edit(self, number: int, path: Path) -> float:
        """Seconds the preview took to rebuild after the edit."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{number} {path}\n")
        self.process.stdin.flush()
        return self._read()["seconds"]

    def kill(self) -> None:
        if self.process.returncode is None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def close(self) -> int:
        """Stop the worker; its peak RSS in KB."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        rss = int(self._read()["rss_kb"])
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        return max(rss, usage.ru_maxrss)
