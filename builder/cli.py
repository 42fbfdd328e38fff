"""Command line: argument parsing, printing diagnostics, exit codes (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import Options, build, load
from .config import base_url_problem
from .diagnostics import Report
from .notes import HAS_C_LOADER


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m builder", description="Build a static timeline site from Markdown notes.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="validate the notes and write the site")
    build_cmd.add_argument("--content", type=Path, default=Path("content"), help="notes folder (default: content)")
    build_cmd.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
    build_cmd.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    build_cmd.add_argument("--base-url", help="absolute URL the site is published at (overrides site.toml)")
    build_cmd.add_argument("--drafts", action="store_true", help="include notes marked draft: true")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check_cmd = commands.add_parser("check", help="validate the notes without writing anything")
    check_cmd.add_argument("--content", type=Path, default=Path("content"), help="notes folder (default: content)")
    check_cmd.add_argument("--drafts", action="store_true", help="include notes marked draft: true")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _print_report(report: Report) -> None:
    for diagnostic in report.items:
        print(diagnostic, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not HAS_C_LOADER:
        print("warning: PyYAML has no C loader, so reading notes is several times slower; "
              "install libyaml-dev and reinstall PyYAML (pip install --force-reinstall --no-binary pyyaml pyyaml)",
              file=sys.stderr)  # fmt: skip
    if not args.content.is_dir():
        print(f"error: content folder {args.content} not found", file=sys.stderr)
        return 2
    if args.command == "build" and not args.templates.is_dir():
        print(f"error: templates folder {args.templates} not found", file=sys.stderr)
        return 2
    if args.command == "build" and args.base_url is not None and (problem := base_url_problem(args.base_url)):
        print(f"error: --base-url: {problem}", file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            loaded = load(Options(content=args.content, drafts=args.drafts))
            report = Report.of(loaded.diagnostics)
            _print_report(report)
            print(f"checked {loaded.notes} notes: {report.summary()}")
            return 1 if report.failed(args.strict) else 0
        options = Options(args.content, args.templates, args.out, args.base_url, args.drafts, args.strict)
        result = build(options)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    _print_report(result.report)
    if result.report.failed(args.strict):
        print(f"build failed: {result.report.summary()}; {args.out} left as it was")
        return 1
    warnings = f", {result.report.summary().split(', ')[1]}" if result.report.warnings else ""
    print(f"read {result.notes} notes, wrote {result.files} files to {args.out} in {result.seconds:.2f} s{warnings}")
    return 0
