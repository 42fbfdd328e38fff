"""The fixture tree renders to exactly the checked-in pages (regenerate with --update-golden)."""

from __future__ import annotations

from pathlib import Path

from builder.build import Options, build

from .conftest import FIXTURES, SEED_CONTENT, TEMPLATES, matches_golden, tree

GOLDEN = Path(__file__).resolve().parent / "golden" / "basic"
GOLDEN_EXPORTS = Path(__file__).resolve().parent / "golden" / "exports"
# The seed site's data files: those of the whole timeline, and those of one actor and one tag.
SEED_EXPORTS = ("timeline.json", "timelinejs.json", "timeline.csv", "timeline.ics", "feed.xml", "schema/timeline.schema.json",
                "actors/yoon-suk-yeol/feed.xml", "actors/yoon-suk-yeol/timelinejs.json", "tags/diplomacy/feed.xml",
                "tags/diplomacy/timelinejs.json", "corrections/feed.xml")  # fmt: skip


def test_fixture_site_matches_golden_files(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "site"
    content = FIXTURES / "basic" / "content"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    # The fixture covers unsourced notes too: those are the only warnings, and nothing is an error.
    assert [str(d) for d in result.report.items] == [
        f"{content.as_posix()}/events/2024/2024-11-05-talks.md:2: warning: event has no sources",
        f"{content.as_posix()}/events/2024/2024-11-06-election.md:8: warning: source 1 has no published date",
        f"{content.as_posix()}/events/2024/2024-11-06t1430-briefing.md:2: warning: event has no sources",
        f"{content.as_posix()}/events/older/2022-aid-begins.md:2: warning: event has no sources",
    ]
    # The stylesheet is an asset, not a page: leave it out so restyling does not churn the golden files.
    matches_golden({path: data for path, data in tree(out).items() if not path.startswith("static/")}, GOLDEN, update_golden)


def test_the_seed_sites_data_files_match_golden_files(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "site"
    assert not build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=out, cache=None)).report.errors
    built = tree(out)
    elsewhere = ("static/", "media/", "actors/", "tags/", "ko/")  # the Korean part's: see test_translations
    assert not [p for p in built if not p.endswith(".html") and "/" in p and p not in SEED_EXPORTS
                and not p.startswith(elsewhere)], "a data file the golden set misses"  # fmt: skip
    matches_golden({path: built[path] for path in SEED_EXPORTS}, GOLDEN_EXPORTS, update_golden)
