"""Head metadata for sharing and search: canonical links, Open Graph, Twitter cards and schema.org JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.build import Options, build

from .conftest import FIXTURES, ROOT, TEMPLATES

BASE = "https://example.org/fixture/"


class _Head(HTMLParser):
    """What a crawler reads from a page: link and meta elements, and the text of each script, by type."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[tuple[str, str]] = []  # inline scripts: (type, text)
        self.external: list[str] = []  # src of scripts loaded from files
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(a)
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        elif tag == "script" and "src" in a:
            self.external.append(a["src"])
        elif tag == "script":
            self._script = a.get("type", "")
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"expected one {name} meta, found {values}"
        return values[0]

    @property
    def canonical(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def jsonld(self) -> dict[str, Any]:
        found = [text for kind, text in self.scripts if kind == "application/ld+json"]
        assert len(found) == 1, f"expected one JSON-LD script, found {len(found)}"
        data: dict[str, Any] = json.loads(found[0])
        return data


def _head(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("metadata") / "site"
    build(Options(content=FIXTURES / "basic" / "content", templates=TEMPLATES, out=out))
    return out


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_but_the_404_has_one_canonical_url_that_the_sitemap_lists(site: Path) -> None:
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = sorted(loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))
    canonicals = []
    for page in _pages(site):
        head = _head(site / page)
        if page == "404.html":
            assert head.canonical == []  # served at whatever address was missing: it has no address of its own
            continue
        assert head.canonical == [BASE + page.removesuffix("index.html")]
        canonicals += head.canonical
    assert sorted(canonicals) == listed


@pytest.mark.parametrize(
    ("page", "og_type", "title", "description"),
    [
        ("index.html", "website", "Fixture timeline", "A tiny tree covering every date form."),
        ("events/2024-11-06-election/index.html", "article", "Election result", "The result is known."),
        ("actors/kyiv/index.html", "website", "Kyiv", "Capital of Ukraine."),
        ("tags/aid/index.html", "website", "Tagged “Aid”", "A tiny tree covering every date form."),
    ],
)
def test_open_graph_and_twitter_cards(site: Path, page: str, og_type: str, title: str, description: str) -> None:
    head = _head(site / page)
    url = BASE + page.removesuffix("index.html")
    assert head.one("og:type") == og_type
    assert head.one("og:title") == head.one("twitter:title") == title
    assert head.one("og:description") == head.one("twitter:description") == head.one("description") == description
    assert head.one("og:url") == url
    assert head.one("og:site_name") == "Fixture timeline"
    assert head.one("twitter:card") == "summary"


def test_the_404_page_claims_no_address(site: Path) -> None:
    head = _head(site / "404.html")
    assert "og:url" not in head.meta
    assert [kind for kind, _ in head.scripts] == []
    # the site's own scripts, from the base path like the stylesheet
    assert head.external == ["/fixture/static/messages.en.js", "/fixture/static/site.js"]
    assert head.one("og:title") == "Page not found"


def test_the_home_page_describes_the_site(site: Path) -> None:
    data = _head(site / "index.html").jsonld()
    assert data == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Fixture timeline",
        "description": "A tiny tree covering every date form.",
        "url": BASE,
        "inLanguage": "en",
    }


def test_list_pages_are_collections_within_the_site(site: Path) -> None:
    data = _head(site / "tags" / "diplomacy" / "index.html").jsonld()
    assert data["@type"] == "CollectionPage"
    assert data["url"] == BASE + "tags/diplomacy/"
    assert data["isPartOf"] == {"@type": "WebSite", "name": "Fixture timeline", "url": BASE}
    actor = _head(site / "actors" / "kim-jong-un-professor" / "index.html").jsonld()
    assert actor["about"] == {"@type": "Person", "name": "Kim Jong-un", "url": BASE + "actors/kim-jong-un-professor/"}


def _person(actor_id: str, name: str, kind: str = "Person") -> dict[str, str]:
    return {"@type": kind, "name": name, "url": f"{BASE}actors/{actor_id}/"}


def _in_role(role: str, thing: dict[str, str], under: str = "performer") -> dict[str, Any]:
    """An actor the event gives a role: a schema.org Role wrapping it, under the property that names it."""
    return {"@type": "Role", "roleName": role, under: thing}


@pytest.mark.parametrize(
    ("slug", "dates", "performers", "about"),
    [
        # the precision the writer gave, never filled in: a year, a month, a day, a minute with its offset
        ("2022-aid-begins", {"startDate": "2022", "endDate": "2024-11"}, [], [_person("south-korea", "South Korea", "Country")]),
        ("2024-06-pact", {"startDate": "2024-06"}, [_person("kim-jong-un", "Kim Jong-un")],
         [_person("vladimir-putin", "Vladimir Putin", "Thing")]),  # no actor note: its kind is unknown
        ("2024-11-05-talks", {"startDate": "2024-11-05", "endDate": "2024-11-07"},
         [_in_role("speaker", _person("yoon-suk-yeol", "Yoon Suk Yeol"))],
         [_in_role("participant", _person("kyiv", "Kyiv", "Place"), "about")]),  # the roles the note gives them
        ("2024-11-06-election", {"startDate": "2024-11-06"},
         [_person("yoon-suk-yeol", "Yoon Suk Yeol"), _person("kim-jong-un-professor", "Kim Jong-un")], []),
        ("2024-11-06t1430-briefing", {"startDate": "2024-11-06T14:30+09:00"},
         [_in_role("speaker", _person("yoon-suk-yeol", "Yoon Suk Yeol"))], []),
    ],
)  # fmt: skip
def test_event_pages_carry_a_schema_org_event(
    site: Path, slug: str, dates: dict[str, str], performers: list[dict[str, str]], about: list[dict[str, str]]
) -> None:
    head = _head(site / "events" / slug / "index.html")
    data = head.jsonld()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == head.one("og:title")
    assert {k: data[k] for k in ("startDate", "endDate") if k in data} == dates
    assert data["url"] == BASE + f"events/{slug}/"
    assert data.get("performer", []) == performers
    assert data.get("about", []) == about


def test_an_event_names_its_place_tags_and_sources(site: Path) -> None:
    data = _head(site / "events" / "2024-06-pact" / "index.html").jsonld()
    assert data["location"] == {"@type": "Place", "name": "Pyongyang"}
    assert data["keywords"] == ["diplomacy", "Aid"]  # as the note lists them
    assert data["subjectOf"] == [{
        "@type": "CreativeWork",
        "name": "An article",
        "url": "https://example.com/article",
        "publisher": {"@type": "Organization", "name": "Example News"},
        "datePublished": "2024-06-20",
    }, {
        "@type": "Claim",  # the pact is disputed, by two actors (tests/test_claims.py)
        "name": "Pact revived",
        "creativeWorkStatus": "disputed",
        "author": [{"@type": "Country", "name": "South Korea", "url": BASE + "actors/south-korea/"},
                   {"@type": "Place", "name": "Kyiv", "url": BASE + "actors/kyiv/"}],
    }]  # fmt: skip
    assert data["description"] == "The two leaders revive an old pact."


HOSTILE = '</script><script>alert("x")</script><!-- \u2028 & "quoted"'


def test_text_in_json_ld_cannot_leave_its_script(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    (content / "actors").mkdir()
    (content / "site.toml").write_text(f'title = "T"\nbase_url = "{BASE}"\n', encoding="utf-8")
    (content / "actors" / "mallory.md").write_text(
        f"---\nname: {json.dumps('Mallory </SCRIPT >')}\nkind: person\n---\n", encoding="utf-8"
    )
    (content / "events" / "2024-hostile.md").write_text(
        "---\n" + yaml.safe_dump({"title": HOSTILE, "date": "2024", "actors": ["mallory"], "place": "</script>",
                                  "summary": "<!-- </script"}) + "---\nBody.\n",  # fmt: skip
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert result.report.errors == 0
    html = (out / "events" / "2024-hostile" / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL | re.IGNORECASE)
    assert raw is not None
    assert "<" not in raw[1] and ">" not in raw[1], "markup characters must be escaped inside the script"
    head = _head(out / "events" / "2024-hostile" / "index.html")
    assert [kind for kind, _ in head.scripts] == ["application/ld+json"], "a title opened a script of its own"
    assert head.external == ["../../static/messages.en.js", "../../static/site.js"]
    data = head.jsonld()
    assert data["name"] == HOSTILE
    assert data["location"]["name"] == "</script>"
    assert data["performer"][0]["name"] == "Mallory </SCRIPT >"
    assert head.one("og:title") == HOSTILE


def test_the_pages_workflow_builds_at_the_address_pages_reports() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key "on" as true
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build_steps]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    make = next(step for step in build_steps if "make site" in step.get("run", ""))
    assert make["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert 'BASE_URL="$BASE_URL"' in make["run"]
    assert next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["group"] == "pages"
