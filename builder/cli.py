"""Command line: argument parsing, printing diagnostics, exit codes (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import Options, build, check, default_workers
from .config import base_url_problem
from .diagnostics import Report, counted
from .importer import FORMATS, import_files
from .notes import HAS_C_LOADER
from .output import Refused
from .progress import Progress
from .records import ACTOR_KINDS
from .scaffold import new_actor, new_event
from .starter import init_timeline


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m builder", description="Build a static timeline site from Markdown notes.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def content_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--content", type=Path, default=Path("content"), help="notes folder (default: content)")

    def site_options(command: argparse.ArgumentParser) -> None:
        content_options(command)
        command.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
        command.add_argument("--drafts", action="store_true", help="include notes marked draft: true")

    build_cmd = commands.add_parser("build", help="validate the notes and write the site")
    site_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    build_cmd.add_argument("--base-url", help="absolute URL the site is published at (overrides site.toml)")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument("--jobs", type=int, default=default_workers(), metavar="N",
                           help="worker processes for rendering (default: the number of CPUs)")  # fmt: skip
    build_cmd.add_argument("--no-cache", action="store_true", help="build everything from scratch, ignoring .cache/")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress display (shown only on a terminal anyway)")

    check_cmd = commands.add_parser("check", help="validate the notes without writing anything")
    content_options(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help="include notes marked draft: true")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")

    serve_cmd = commands.add_parser("serve", help="build, serve on loopback and rebuild on every change")
    site_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")

    new_cmd = commands.add_parser(
        "new", help='create a note: new "Title" [options], or new actor "Name" [options]',
        description='Create an event note (new "Title" ...) or an actor note (new actor "Name" ...). '
        'Quote a title that starts with the word "actor".',
    )  # fmt: skip
    content_options(new_cmd)
    new_cmd.add_argument("words", nargs="+", metavar="TITLE", help='the event\'s title, or "actor" and a name')
    new_cmd.add_argument("--date", help="event date (default: today), e.g. 2024, 2024-06, 2024-11-06")
    new_cmd.add_argument("--actor", action="append", default=[], metavar="NAME", help="an actor (repeatable)")
    new_cmd.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    new_cmd.add_argument("--source", metavar="URL", help="a source URL")
    new_cmd.add_argument("--alias", action="append", default=[], metavar="NAME", help="new actor: another spelling (repeatable)")
    new_cmd.add_argument("--kind", choices=ACTOR_KINDS, help="new actor: what kind of actor")
    new_cmd.add_argument("--role", help="new actor: a short description")

    init_cmd = commands.add_parser(
        "init", help="start a timeline: a new folder with site.toml, an example event and an example actor",
        description="Start a timeline in a new or empty folder: site.toml, and an example event and actor (drafts) to "
        "replace or delete. Never writes into a folder that has anything in it.",
    )  # fmt: skip
    init_cmd.add_argument("folder", type=Path, metavar="DIR", help="the new content folder, such as wagner")
    init_cmd.add_argument("--title", help="the site's title (default: from the folder's name)")

    import_cmd = commands.add_parser(
        "import", help="notes from TimelineJS timelines: TimelineJS JSON, its Google Sheets CSV, or timeline.csv",
        description="Write one event note per slide into <into>/events/, the title slide into site.toml (when it has no "
        "title) and eras into eras.toml. Never overwrites a note: a taken name gets a suffix. Bad rows are reported and skipped.",
    )  # fmt: skip
    import_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE", help="TimelineJS JSON or CSV files")
    import_cmd.add_argument("--format", choices=FORMATS, help="timelinejs (JSON) or csv (default: told from the content)")
    import_cmd.add_argument("--into", type=Path, default=Path("content"), help="content folder to write into (default: content)")
    import_cmd.add_argument("--group-as", choices=("tag", "actor"), default="tag",
                            help="a slide's group becomes a tag (default) or an actor")  # fmt: skip
    import_cmd.add_argument("--dry-run", action="store_true", help="say what would be written, and write nothing")
    return parser


def _print_report(report: Report) -> None:
    for diagnostic in report.items:
        print(diagnostic, file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    if args.base_url is not None and (problem := base_url_problem(args.base_url)):
        print(f"error: --base-url: {problem}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    cache = None if args.no_cache else args.out.absolute().parent / ".cache"
    try:
        options = Options(args.content, args.templates, args.out, args.base_url, args.drafts, args.strict, cache, args.jobs,
                          today=dt.date.today())
        result = build(options, Progress(enabled=False if args.quiet else None))
    except Refused as refused:
        print(f"error: --out: {refused}; nothing was written", file=sys.stderr)
        return 2
    _print_report(result.report)
    if result.notice:
        print(f"warning: {result.notice}", file=sys.stderr)
    if result.report.failed(args.strict):
        print(f"build failed: {result.report.summary()}; {args.out} left as it was")
        return 1
    warnings = f", {counted(result.report.warnings, 'warning')}" if result.report.warnings else ""
    unchanged = f" ({result.unchanged} unchanged)" if result.unchanged else ""
    wrote = f"wrote {counted(result.files, 'file')}{unchanged} to {args.out}"
    remarks = "".join(f"; {remark}" for remark in result.remarks)
    print(f"read {counted(result.notes, 'note')}, {wrote} in {result.seconds:.2f} s{warnings}{remarks}")
    return 0


def _check(args: argparse.Namespace) -> int:
    result = check(Options(content=args.content, drafts=args.drafts, today=dt.date.today()))
    _print_report(result.report)
    print(f"checked {counted(result.notes, 'note')}: {result.report.summary()}")
    return 1 if result.report.failed(args.strict) else 0


def _new(args: argparse.Namespace) -> int:
    shown = args.content.as_posix()
    is_actor = args.words[0] == "actor" and len(args.words) > 1
    wrong = [name for name, given, for_actor in (
        ("--date", args.date, False), ("--actor", args.actor, False), ("--tag", args.tag, False), ("--source", args.source, False),
        ("--alias", args.alias, True), ("--kind", args.kind, True), ("--role", args.role, True),
    ) if given and for_actor != is_actor]  # fmt: skip
    if wrong:
        what = "an actor" if is_actor else "an event"
        print(f"error: {', '.join(wrong)} cannot be used when creating {what}", file=sys.stderr)
        return 2
    today = dt.date.today()
    if is_actor:
        path, problems = new_actor(args.content, shown, " ".join(args.words[1:]), args.alias, args.kind, args.role)
    else:
        title = " ".join(args.words)
        path, problems = new_event(args.content, shown, title, args.date, args.actor, args.tag, args.source, today)
    _print_report(Report.of(problems))
    if path is None:
        return 1
    print(path.as_posix())
    if not is_actor and args.date is None:
        print(f"dated today, {today.isoformat()}, as no --date was given: change the date line if it happened another day", file=sys.stderr)
    print('a draft, left out of the site: remove its "draft: true" line when it is ready', file=sys.stderr)
    return 0


def _init(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    shown = folder.as_posix()
    files, refused = init_timeline(folder, shown, args.title, dt.date.today())
    if refused is not None:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    content = "" if shown.rstrip("/") == "content" else f" --content {shlex.quote(shown)}"
    make = "" if shown.rstrip("/") == "content" else f" CONTENT={shlex.quote(shown)}"
    print(f"started a timeline in {shown}:")
    for path in files:
        print(f"  {path.as_posix()}")
    print(f"""The example event and actor are drafts, left out of the site. Next:
  python -m builder serve{content} --drafts     preview it, drafts included (make serve{make} ARGS=--drafts)
  python -m builder new "What happened" --date 2023-06-24{content}
  python -m builder new actor "Name" --alias "Other spelling"{content}
  then delete the two examples, or rewrite them and remove their "draft: true" line
  python -m builder check{content} --strict     before publishing (make publish{make} checks it too)""")
    return 0


def _import(args: argparse.Namespace) -> int:
    into: Path = args.into
    if into.exists() and not into.is_dir():
        print(f"error: --into: {into} is not a folder", file=sys.stderr)
        return 2
    shown = into.as_posix()
    files = [(path, path.as_posix()) for path in args.files]
    outcome = import_files(files, into, shown, args.format, args.group_as, args.dry_run, Progress())
    _print_report(outcome.report)
    verb = "would write" if args.dry_run else "wrote"
    if args.dry_run:
        for path in outcome.notes:
            print(f"{verb} {path.as_posix()}")
        for change in outcome.settings:
            print(f"would have {change}")
    skipped = f"; skipped {counted(outcome.skipped, 'row')} with errors" if outcome.skipped else ""
    settings = "" if args.dry_run or not outcome.settings else f"; {', '.join(outcome.settings)}"
    print(f"{verb} {counted(len(outcome.notes), 'note')} from {counted(outcome.rows, 'slide')} into {shown}/events{settings}{skipped}")
    return 1 if outcome.report.errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not HAS_C_LOADER:
        print("warning: PyYAML has no C loader, so reading notes is several times slower; "
              "install libyaml-dev and reinstall PyYAML (pip install --force-reinstall --no-binary pyyaml pyyaml)",
              file=sys.stderr)  # fmt: skip
    if args.command == "init":
        return _init(args)
    if args.command == "import":
        return _import(args)
    if not args.content.is_dir():
        print(f"error: content folder {args.content} not found", file=sys.stderr)
        return 2
    if args.command in ("build", "serve") and not args.templates.is_dir():
        print(f"error: templates folder {args.templates} not found", file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        from .serve import serve  # only here: the preview's server and file watcher cost a build 10 ms to import

        return serve(Options(args.content, args.templates, drafts=args.drafts, today=dt.date.today()), args.host, args.port)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
