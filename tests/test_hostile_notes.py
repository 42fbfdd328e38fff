"""Whatever a note holds, the build reports it and ends: exit 0 or 1, no traceback, bounded time and memory, and
every feed, sitemap and export it writes parses. Notes here are written to real content trees and built whole."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import signal
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.notes import MAX_VALUES, parse_note

from .conftest import TEMPLATES

CPU_SECONDS = 10  # per build; one of these takes about 0.1 s
MEMORY = 1 << 30  # bytes of address space a build may add to the test process
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DIAGNOSTIC = re.compile(r"^\S.*:\d+: (error|warning): \S")

SITE = 'title = "Hostile"\nbase_url = "https://example.org/hostile/"\n'
SOURCES = "sources: [{title: Report, publisher: Wire, published: 2024}]"
GOOD_EVENT = f"---\ntitle: Talks resume\ndate: 2024-11-05\nactors: [Kyiv]\n{SOURCES}\n---\nA body.\n"
GOOD_ACTOR = "---\nname: Kyiv\nkind: place\n---\nThe capital.\n"


class OverBudget(BaseException):
    """Raised from the CPU timer: a BaseException, so no ``except Exception`` in the builder can swallow it."""


@contextlib.contextmanager
def bounded(cpu_seconds: float = CPU_SECONDS, memory: int = MEMORY) -> Iterator[None]:
    """Fail the code inside if it uses more than ``cpu_seconds`` of CPU or ``memory`` more bytes of address space.

    CPU time, not wall-clock time: a busy machine slows a build down but does not make it fail here.
    """

    def over(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(f"more than {cpu_seconds} CPU-seconds")

    previous = signal.signal(signal.SIGPROF, over)
    limits = resource.getrlimit(resource.RLIMIT_AS)
    statm = Path("/proc/self/statm")
    if statm.exists():  # Linux: cap the address space at what it is now, plus the allowance
        used = int(statm.read_text().split()[0]) * resource.getpagesize()
        cap = used + memory if limits[1] == resource.RLIM_INFINITY else min(used + memory, limits[1])
        resource.setrlimit(resource.RLIMIT_AS, (cap, limits[1]))
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        resource.setrlimit(resource.RLIMIT_AS, limits)


def content_tree(root: Path, note: str | bytes, kind: str = "event") -> Path:
    """A content folder with a good event and actor, and ``note`` as one more event (or actor)."""
    content = root / "content"
    (content / "events" / "2024").mkdir(parents=True)
    (content / "actors").mkdir()
    (content / "site.toml").write_text(SITE, encoding="utf-8")
    (content / "events" / "2024" / "2024-11-05-talks.md").write_text(GOOD_EVENT, encoding="utf-8")
    (content / "actors" / "kyiv.md").write_text(GOOD_ACTOR, encoding="utf-8")
    path = content / ("events/2024/hostile.md" if kind == "event" else "actors/hostile.md")
    path.write_bytes(note.encode("utf-8", "surrogatepass") if isinstance(note, str) else note)
    return content


def build(content: Path, out: Path) -> tuple[int, str, str]:
    """Build in this process, as ``python -m builder build`` would; the exit code, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out), "--no-cache", "--jobs", "1"]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's way out
            code = exc.code if isinstance(exc.code, int) else 2
    return code, stdout.getvalue(), stderr.getvalue()


def check_outputs(out: Path) -> None:
    """Every XML file of a finished build parses, timeline.json parses, and none holds a character XML forbids."""
    xml_files = sorted(out.rglob("*.xml"))
    assert {p.name for p in xml_files} >= {"feed.xml", "sitemap.xml"}
    for path in [*xml_files, out / "timeline.json"]:
        text = path.read_text(encoding="utf-8")
        assert FORBIDDEN.search(text) is None, path
        if path.suffix == ".xml":
            ElementTree.fromstring(text)
        else:
            json.loads(text)


def build_and_check(note: str | bytes, kind: str = "event") -> tuple[int, str]:
    """Build a tree holding ``note`` under the bounds; what any note must lead to. Returns the exit code and stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = content_tree(root, note, kind)
        with bounded():
            code, out, err = build(content, root / "site")
        assert code in (0, 1), (code, out, err)
        assert "Traceback" not in out + err
        assert all(DIAGNOSTIC.match(line) for line in err.splitlines()), err
        if code == 0:
            check_outputs(root / "site")
        return code, err


# ---- front-matter past the limits ----------------------------------------------------------------


def laughs(levels: int = 9, width: int = 9, key: str = "lol") -> str:
    """The "billion laughs": each line's list names the one before it ``width`` times (9 ** 10 values here)."""
    lines = [f"{key}0: &{key}0 [{', '.join(['lol'] * width)}]"]
    lines += [f"{key}{i}: &{key}{i} [{', '.join([f'*{key}{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "extra",
    [
        "",  # plain lists and mappings: the builder's own constructor
        "set: !!set {a, b}",  # another type's tag: PyYAML's constructor makes the values
        "base: &b {x: 1}\nmerged:\n  <<: *b\n",  # a merge key: PyYAML's constructor too
    ],
)
def test_a_billion_laughs_under_a_key_the_builder_ignores_is_refused(extra: str) -> None:
    note = f"---\ntitle: Laughs\ndate: 2024\n{laughs()}\n{extra}\n---\nBody.\n"
    code, err = build_and_check(note)
    assert code == 1
    message = f"error: front-matter holds more than {MAX_VALUES:,} values, counting an alias (*name) as a copy of what it names"
    assert f"events/2024/hostile.md:8: {message}" in err  # lol4: 1 + 9 * (1 + 9 * (1 + 9 * 10)) values reach the limit


def test_a_billion_laughs_in_a_list_the_builder_reads_is_refused_on_the_line_of_its_key() -> None:
    note = f"---\ntitle: Laughs\ndate: 2024\nsummary: x\n{laughs(key='a')}\nactors: [*a9]\n---\n"
    code, err = build_and_check(note)
    assert code == 1 and "hostile.md:9: error: front-matter holds more than" in err


def test_an_alias_used_a_few_times_is_fine() -> None:
    note = "---\ntitle: Reused\ndate: 2024\nsources: &s [{title: A, publisher: B, published: 2024}]\nplace: &p Seoul\nsummary: *p\n---\n"
    assert build_and_check(note)[0] == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, '"x": an integer of more than 100 digits; put it in quotes if it is text'),
        ("0x" + "f" * 4000, '"x": an integer of more than 100 digits; put it in quotes if it is text'),
        ("!!int " + "1" * 101, '"x": an integer of more than 100 digits; put it in quotes if it is text'),
        ("{" + "9" * 200 + ": a}", '"x": an integer of more than 100 digits; put it in quotes if it is text'),
        ("!!int abc", "'abc' cannot be read as !!int; remove the tag or correct the value"),
        ("!!float fast", "'fast' cannot be read as !!float; remove the tag or correct the value"),
        ("!!bool maybe", "'maybe' cannot be read as !!bool; remove the tag or correct the value"),
        ("!!timestamp 2024-13-45", "'2024-13-45' cannot be read as !!timestamp; remove the tag or correct the value"),
        ("!!timestamp soon", "'soon' cannot be read as !!timestamp; remove the tag or correct the value"),
    ],
)
def test_a_value_python_cannot_make_is_an_error_at_its_line(value: str, message: str) -> None:
    code, err = build_and_check(f"---\ntitle: T\ndate: 2024\nx: {value}\n---\n")
    assert code == 1 and err.count("\n") == 1 and err.endswith(f"/events/2024/hostile.md:4: error: {message}\n")


@pytest.mark.parametrize("value", ["1e999999", "-1e999999", ".nan", "1." + "5" * 30000, "!!float 1e400"])
def test_huge_and_odd_floats_are_only_values(value: str) -> None:
    assert build_and_check(f"---\ntitle: T\ndate: 2024\nplace: {value}\nsummary: {value}\n---\n")[0] == 0


def test_a_note_of_100000_actors_is_refused_at_once_by_its_size() -> None:
    actors = "".join(f"  - Actor {i}\n" for i in range(100_000))
    with bounded(cpu_seconds=2):  # reading such a note today takes milliseconds; it once took minutes
        note, problems = parse_note(f"---\ntitle: T\ndate: 2024\nactors:\n{actors}---\n".encode(), "x.md", "x", "event")
    # the 65,537th byte is in the 4,442nd actor, on line 4 + 4,442
    assert note is None
    assert [str(p) for p in problems] == [
        "x.md:4446: error: front-matter is 1,588,919 bytes, more than the 65,536 a note may have (reached on this line); "
        "long text belongs in the body"
    ]


# ---- characters that XML forbids -----------------------------------------------------------------


def test_characters_xml_forbids_are_removed_from_every_text_with_one_warning_per_field() -> None:
    note = (
        "---\n"
        'title: "Bell\\x07 and \\x01start"\n'
        "date: 2024-11-06\n"
        'summary: "Not characters: \\uFFFE and \\uFFFF"\n'
        "actors:\n"
        '  - "Kyiv"\n'
        '  - "Esc\\x1bape"\n'
        '  - "Form\\x0cfeed"\n'
        "tags: [\"t\\x00ag\"]\n"
        "sources:\n"
        '  - {title: "Wire\\x1f", publisher: "P\\x02", published: 2024, url: "https://example.org/\\x03a"}\n'
        "place: Seoul\n"
        "---\n"
        "Body with a bell \x07 here.\n\nAnd a \x0b vertical tab, \ufffe too.\n"
    )
    code, err = build_and_check(note)
    assert code == 0
    shown = err.split("/events/")[0] + "/events/2024/hostile.md"
    forbids = "holds characters that XML forbids"
    warnings = [line for line in err.splitlines() if forbids in line]
    assert warnings == [
        f'{shown}:2: warning: "title" {forbids} (U+0001, U+0007); they were removed',
        f'{shown}:4: warning: "summary" {forbids} (U+FFFE, U+FFFF); they were removed',
        f'{shown}:7: warning: "actors" {forbids} (U+000C, U+001B); they were removed',
        f'{shown}:9: warning: "tags" {forbids} (U+0000); they were removed',
        f'{shown}:11: warning: "sources" {forbids} (U+0002, U+0003, U+001F); they were removed',
        f"{shown}:14: warning: the body {forbids} (U+0007, U+000B, U+FFFE); they were removed",
    ]


def test_a_feed_of_such_a_note_is_well_formed_and_keeps_the_rest_of_the_text(tmp_path: Path) -> None:
    note = '---\ntitle: "Bell\\x07 rings"\ndate: 2024-11-06\nsummary: "A \\x01summary"\n---\nA body \x02 with text.\n'
    content = content_tree(tmp_path, note)
    code, _, err = build(content, tmp_path / "site")
    assert code == 0, err
    feed = ElementTree.parse(tmp_path / "site" / "feed.xml").getroot()
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Bell rings" in titles
    timeline = json.loads((tmp_path / "site" / "timeline.json").read_text(encoding="utf-8"))
    assert "Bell rings" in json.dumps(timeline, ensure_ascii=False)


def test_raw_control_characters_in_front_matter_are_one_line_errors() -> None:
    code, err = build_and_check(b"---\ntitle: T\ndate: 2024\nplace: Se\x01oul\n---\n")
    assert code == 1
    assert err.endswith("events/2024/hostile.md:4: error: front-matter holds a character that YAML does not allow (U+0001); remove it\n")


def test_a_title_made_by_new_with_a_bell_reads_back_without_it(tmp_path: Path) -> None:
    content = content_tree(tmp_path, GOOD_EVENT)
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        assert main(["new", "Bell\x07 rings", "--date", "2024-11-07", "--content", str(content)]) == 0
    code, _, err = build(content, tmp_path / "site")
    assert code == 0
    assert re.search(r'events/2024/2024-11-07-bell-rings\.md:2: warning: "title" holds characters that XML forbids \(U\+0007\)', err)


# ---- any note at all -----------------------------------------------------------------------------

# Text a writer's editor can hold: right-to-left scripts and marks, combining marks, joiners, emoji, controls,
# BOMs, separators, noncharacters and (through escapes) lone surrogates.
ODD = "\u05d0\u05e9\u0627\u0644\u200f\u202e\u202c\u0301\u0308\u200d\u200b\ufeff\u2028\u2029"
ODD += "\x85\x7f\x00\x01\x07\x0b\x1b\x1f\ufffe\uffff\ud800\udfff"
ODD += "\U0001f469\u200d\U0001f469\u200d\U0001f467\U0001f1f0\U0001f1f7\uac00\u6f22\u0915\u094d\u0937"
YAML_MARKS = "ab :-#&*![]{},'\"\\"
TEXT = st.text(st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",)), st.sampled_from(YAML_MARKS)), max_size=12)


def double_quoted(text: str) -> str:
    """Any text as a YAML double-quoted scalar: what YAML cannot hold raw goes in as an escape."""
    out = []
    for c in text:
        code = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000 or code in (0xFEFF, 0xFFFE, 0xFFFF, 0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def one_of_these(values: list[str]) -> st.SearchStrategy[str]:
    """``sampled_from``, for values too long to show: Hypothesis shows a strategy by its arguments."""
    return st.sampled_from(range(len(values))).map(values.__getitem__)


TEXTS = st.one_of(TEXT.map(double_quoted), st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=8))
SCALARS = st.one_of(
    TEXTS,
    TEXT.map(lambda t: "'" + t.replace("'", "''") + "'"),
    TEXT,  # plain: often not YAML at all
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.integers().map(str),
    one_of_these(["0x" + "f" * 3000, "1e400", "-.inf", ".nan", "1_000", "0o17", "1:20", "2024", "2024-11", "2024-11-06T14:30+09:00"]),
    st.sampled_from(["true", "no", "~", "null", "", "''"]),
    st.sampled_from([
        "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!binary aGVsbG8=", "!!binary ***",
        "!!set {a, b}", "!foo bar", "!!timestamp 2024-13-45", "!!timestamp 2024-01-01 10:00:00", "!!int abc", "!!float x",
        "!!bool maybe", "!!str 123", "!!omap [a: 1, b: 2]", "!!pairs [a: 1]", "!!null ''", "!<tag:x,2024:y> z",
    ]),  # fmt: skip
    st.just("*ALIAS"),
)
KNOWN_KEYS = ["title", "date", "end", "circa", "actors", "tags", "place", "sources", "summary", "draft", "name", "aliases", "kind", "role"]
KEYS = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    TEXT.map(double_quoted),
    one_of_these(["1", "true", "~", "1.5", "[a, b]", "{a: b}", "9" * 5000, "<<", "? x"]),
)


# A flow-style YAML value (one line): scalars, lists and mappings in each other, some with anchors
FLOW = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(KEYS, inner), max_size=4).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
        inner.map(lambda value: "&ANCHOR " + value),
    ),
    max_leaves=12,
)


# Fields as notes have them, holding any text: such notes mostly build, so the files they make are checked
WELL_FORMED = st.one_of(
    st.tuples(st.sampled_from(["actors", "tags", "aliases"]), st.lists(TEXTS, max_size=5).map(lambda v: "[" + ", ".join(v) + "]")),
    st.tuples(st.sampled_from(["place", "summary", "role"]), TEXTS),
    st.tuples(st.just("sources"), st.lists(st.tuples(TEXTS, TEXTS), max_size=3).map(
        lambda v: "[" + ", ".join(f"{{title: {t}, publisher: {p}, published: 2024}}" for t, p in v) + "]")),
    st.tuples(st.sampled_from(["circa", "draft"]), st.sampled_from(["true", "false"])),
).map(": ".join)
# And fields as no note should have them
ANY = st.one_of(
    WELL_FORMED,
    st.tuples(KEYS, FLOW).map(": ".join),
    one_of_these([
        laughs(9, 9, key="q"), laughs(3, 3, key="r"), "self: &s [*s]", "deep: " + "[" * 30 + "]" * 30,
        "many: [" + ", ".join(["x"] * 1001) + "]", "actors: {a: b}", "sources: {title: Wire}", "circa: maybe",
        "sources:\n  - title: Report\n    url: https://example.org/r\n  - {title: Wire}\n  - Wire",
    ]),  # fmt: skip
)
BODY = st.lists(
    st.one_of(TEXT, st.sampled_from(["[[Kyiv]]", "[[nowhere]]", "[x](2024-11-05-talks.md)", "\n\n", "# H\n", "`code`", "<b>"])),
    max_size=12,
).map("".join)


def with_anchors(text: str) -> str:
    """Each &ANCHOR named apart, and each *ALIAS naming the latest anchor before it (or none: an error)."""
    parts = re.split(r"(&ANCHOR|\*ALIAS)", text)
    made = 0
    for i, part in enumerate(parts):
        if part == "&ANCHOR":
            made += 1
            parts[i] = f"&a{made}"
        elif part == "*ALIAS":
            parts[i] = f"*a{made}" if made else "*nowhere"
    return "".join(parts)


def note_text(head: list[str], entries: list[str], body: str) -> str:
    keys = {line.partition(":")[0] for line in head}
    return with_anchors("---\n" + "\n".join(head + [e for e in entries if e.partition(":")[0] not in keys]) + "\n---\n" + body + "\n")


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(ANY, max_size=6, unique_by=lambda entry: entry.partition(":")[0]),
    title=st.one_of(st.just("A title"), TEXTS, SCALARS),
    date=st.one_of(st.just("2024-11-06"), st.just("2024"), SCALARS),
    body=BODY,
    kind=st.sampled_from(["event", "event", "actor"]),
)
def test_any_front_matter_and_body_build_within_bounds(entries: list[str], title: str, date: str, body: str, kind: str) -> None:
    head = [f"title: {title}", f"date: {date}"] if kind == "event" else [f"name: {title}"]
    code, _ = build_and_check(note_text(head, entries, body), kind)
    event(f"exit {code}")  # how many got through (pytest --hypothesis-show-statistics)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(WELL_FORMED, max_size=6, unique_by=lambda entry: entry.partition(":")[0]),
    title=TEXTS,
    date=st.sampled_from(["2024", "2024-11", "2024-11-06", "2024-11-06T14:30+09:00", "'2024-11-06'"]),
    body=BODY,
    kind=st.sampled_from(["event", "event", "actor"]),
)
def test_notes_of_any_text_make_feeds_sitemaps_and_exports_that_parse(
    entries: list[str], title: str, date: str, body: str, kind: str
) -> None:
    head = [f"title: {title}", f"date: {date}"] if kind == "event" else [f"name: {title}"]
    code, _ = build_and_check(note_text(head, entries, body), kind)  # checks the written files when the build succeeds
    event(f"exit {code}")


def test_the_guard_itself_stops_a_runaway_build() -> None:
    with pytest.raises(OverBudget), bounded(cpu_seconds=0.2):
        while True:
            os.getpid()
