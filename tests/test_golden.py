"""The fixture tree renders to exactly the checked-in pages (regenerate with --update-golden)."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.build import Options, build

from .conftest import FIXTURES, TEMPLATES, tree

GOLDEN = Path(__file__).resolve().parent / "golden" / "basic"


def test_fixture_site_matches_golden_files(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "site"
    result = build(Options(content=FIXTURES / "basic" / "content", templates=TEMPLATES, out=out))
    assert [str(d) for d in result.report.items] == []
    # The stylesheet is an asset, not a page: leave it out so restyling does not churn the golden files.
    built = {path: data for path, data in tree(out).items() if not path.startswith("static/")}
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in built.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected = tree(GOLDEN)
    assert sorted(built) == sorted(expected), "the set of files differs; run pytest --update-golden if intended"
    for path, data in expected.items():
        assert built[path].decode() == data.decode(), f"{path} differs from tests/golden/basic/{path}"
