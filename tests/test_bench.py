"""The benchmark's own measures: the file system a folder is on, CPU time of a process tree, and system calls by strace."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.process import measure
from bench.scratch import filesystem, find_mount, scratch_folders
from bench.syscalls import count_syscalls, find_strace, parse_summary

from .conftest import ROOT

STRACE, NO_STRACE = find_strace()
needs_strace = pytest.mark.skipif(STRACE is None, reason=NO_STRACE)
needs_mountinfo = pytest.mark.skipif(not Path("/proc/self/mountinfo").is_file(), reason="no /proc/self/mountinfo")
SHM = Path("/dev/shm")
SHM_IS_TMPFS = Path("/proc/self/mountinfo").is_file() and SHM.is_dir() and filesystem(SHM).kind == "tmpfs"

MOUNTINFO = r"""22 27 0:21 / /proc rw,relatime - proc proc rw
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683584k
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
30 25 0:27 / /dev/shm rw,relatime - tmpfs shm-on-top rw,size=24683584k
40 27 254:16 / /mnt/big\040disk rw,relatime shared:5 master:1 - xfs /dev/vdb rw
"""


def test_the_mount_holding_a_path_is_found_by_its_device_and_its_mount_point() -> None:
    assert find_mount(MOUNTINFO, (0, 27), "/dev/shm/bench").source == "shm-on-top"  # mounted over the first /dev/shm
    disk = find_mount(MOUNTINFO, (254, 16), "/mnt/big disk/bench")  # escaped space, optional fields before "-"
    assert (disk.kind, disk.source, disk.mount, disk.in_memory) == ("xfs", "/dev/vdb", "/mnt/big disk", False)
    assert find_mount(MOUNTINFO, (254, 0), "/mnt/big diskette").mount == "/"  # a mount point is a whole folder name
    assert find_mount(MOUNTINFO, (0, 99), "/mnt/big disk/subvolume").kind == "xfs"  # no line with the device: the path decides
    assert find_mount("", (254, 0), "/var/tmp").kind == "unknown"


@needs_mountinfo
@pytest.mark.skipif(shutil.which("findmnt") is None, reason="findmnt (util-linux) is not installed")
def test_the_file_system_of_a_folder_is_the_one_findmnt_names(tmp_path: Path) -> None:
    for folder in (tmp_path, SHM) if SHM.is_dir() else (tmp_path,):
        named = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--target", str(folder)], capture_output=True, text=True, check=True)
        assert filesystem(folder).kind == named.stdout.split()[0], folder


@pytest.mark.skipif(not SHM_IS_TMPFS, reason="/dev/shm is not a tmpfs here")
def test_a_scratch_folder_on_the_wrong_file_system_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    if filesystem(tmp_path).in_memory:
        pytest.skip("the temporary folder is in memory here")
    with pytest.raises(SystemExit, match=r"--tmpfs .*/wanted: that folder is on \S+ \(.*\), not on a tmpfs"):
        with scratch_folders(str(tmp_path / "wanted"), None, None, keep=False):
            pass
    assert not (tmp_path / "wanted").exists()
    not_made = SHM / f"timeline-bench-test-{os.getpid()}"
    with pytest.raises(SystemExit, match=r"--disk .*: that folder is on tmpfs \(.*\), not on a disk"):
        with scratch_folders(None, str(not_made), None, keep=False):
            pass
    assert not not_made.exists()


@pytest.mark.skipif(not SHM_IS_TMPFS, reason="/dev/shm is not a tmpfs here")
def test_tmpfs_and_disk_give_one_new_folder_each_named_by_file_system_and_removed_after(tmp_path: Path) -> None:
    disk = filesystem(tmp_path)
    if disk.in_memory:
        pytest.skip("the temporary folder is in memory here")
    with scratch_folders("", str(tmp_path), None, keep=False) as scratches:
        assert [s.label for s in scratches] == ["tmpfs", disk.kind]
        assert scratches[0].folder.parent == SHM and scratches[1].folder.parent == tmp_path.resolve()
        assert all(s.folder.is_dir() for s in scratches)
    assert not any(s.folder.exists() for s in scratches)


def test_the_strace_summary_adds_up_every_architecture_and_reads_blank_error_columns() -> None:
    summary = textwrap.dedent("""\
        % time     seconds  usecs/call     calls    errors syscall
        ------ ----------- ----------- --------- --------- ----------------
         60.00    0.000600           2       300        12 openat
         40.00    0.000400           1       200           write
        ------ ----------- ----------- --------- --------- ----------------
        100.00    0.001000           2       500        12 total
        System call usage summary for 32 bit mode:
        % time     seconds  usecs/call     calls    errors syscall
        ------ ----------- ----------- --------- --------- ----------------
        100.00    0.000010           1        10           write
        ------ ----------- ----------- --------- --------- ----------------
        100.00    0.000010           1        10           total
        """)
    calls = parse_summary(summary)
    assert (calls.total, calls.errors, calls.by_name) == (510, 12, (("openat", 300), ("write", 210)))
    assert calls.busiest() == "openat 59%, write 41%"
    with pytest.raises(ValueError):
        parse_summary("strace: exec: No such file or directory\n")


def test_without_strace_the_reason_names_the_package() -> None:
    strace, why = find_strace("strace-that-is-not-installed")
    assert strace is None and why == "strace-that-is-not-installed not found (Debian: apt-get install strace)"


@needs_strace
def test_system_calls_of_child_processes_are_counted(tmp_path: Path) -> None:
    child = "import os\nfor _ in range(1500): os.getppid()"
    parent = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {child!r}], check=True)"
    assert STRACE is not None
    calls = count_syscalls(STRACE, [sys.executable, "-c", parent], tmp_path, tmp_path / "log")
    assert dict(calls.by_name)["getppid"] >= 1500
    assert calls.total > 1500


def test_cpu_time_includes_the_child_processes_the_build_waited_for(tmp_path: Path) -> None:
    """The build's own process does almost nothing; a child it waits for spends CPU time in user and kernel mode."""
    child = textwrap.dedent("""\
        import os, resource, sys
        n = 0
        while resource.getrusage(resource.RUSAGE_SELF).ru_utime < 0.3:
            n += sum(range(10_000))
        while resource.getrusage(resource.RUSAGE_SELF).ru_stime < 0.1:
            os.stat(".")
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(usage.ru_utime, usage.ru_stime, file=open(sys.argv[1], "w"))
        """)
    spent = tmp_path / "spent"
    parent = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {child!r}, {str(spent)!r}], check=True)"
    sample = measure([sys.executable, "-c", parent], tmp_path, tmp_path / "log")
    user, system = map(float, spent.read_text().split())
    assert sample.user is not None and sample.system is not None
    assert sample.user >= user >= 0.3 and sample.system >= system >= 0.1


def _hugo() -> Path | None:
    from bench.hugo_tool import hugo_binary

    try:
        return hugo_binary(None)
    except SystemExit:
        return None


@pytest.mark.skipif(_hugo() is None, reason="Hugo is not installed (make bench installs it)")
@pytest.mark.skipif(not SHM_IS_TMPFS, reason="/dev/shm is not a tmpfs here")
def test_the_benchmark_runs_on_tmpfs_and_on_disk_and_reports_both_side_by_side(tmp_path: Path) -> None:
    disk = filesystem(tmp_path)
    if disk.in_memory:
        pytest.skip("the temporary folder is in memory here")
    out = tmp_path / "report.md"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "40", "--repeat", "1", "--edits", "1",
               "--tmpfs", "--disk", str(tmp_path / "disk"), "--out", str(out)]  # fmt: skip
    subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    text = out.read_text()
    rows = [cells for cells in map(_cells, text.splitlines()) if cells[:1] == ["40"]]
    builds = ["cold build", "warm build, nothing changed", "build after editing one note"]
    serve = [f"serve: rebuild after one edit (Hugo {mode})" for mode in ("--disableFastRender", "fast render")]
    side_by_side = [[name, fs] for name in builds + serve for fs in ("tmpfs", disk.kind)]
    cpu_table = [[name, fs] for name in builds for fs in ("tmpfs", disk.kind)]
    assert [row[1:3] for row in rows] == side_by_side + cpu_table
    assert f"- Corpora and output on {disk}, in {(tmp_path / 'disk').resolve()}/timeline-bench-" in text
    cpu = [row[3:] for row in rows[len(side_by_side) :]]
    times = re.compile(r"\d+ ms|\d+\.\d\d s")
    assert all(times.fullmatch(cell) for row in cpu for cell in row[:4]), cpu  # user and system time of both tools
    per_file = [row[4:] for row in cpu]
    if STRACE is None:
        assert f"- System calls: not counted: {NO_STRACE}" in text
    else:  # counted for the cold and the one-note builds on each file system, not for the warm build
        assert all(cell.replace(",", "").isdigit() for row in per_file[:2] + per_file[4:] for cell in row), per_file
        assert per_file[2:4] == [["—", "—"], ["—", "—"]]
    assert not any((tmp_path / "disk").iterdir())  # the scratch folder made there is gone


def _cells(line: str) -> list[str]:
    """A Markdown table line's cells; none for any other line."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
