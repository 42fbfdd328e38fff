"""Actor resolution: the index of ids, names and aliases, ambiguity, generated actors, did-you-mean; slugs and distances."""

from __future__ import annotations

import pytest

from builder.aliases import ActorIndex, Resolved
from builder.dates import parse_when
from builder.diagnostics import Diagnostic, Severity
from builder.model import build_timeline
from builder.records import Actor, Event, Ref
from builder.text import edit_distance, name_key, slugify


def _actor(actor_id: str, name: str, *aliases: str, namesake: bool = False) -> Actor:
    return Actor(id=actor_id, name=name, aliases=aliases, path=f"content/actors/{actor_id}.md", namesake=namesake)


def _event(slug: str, *refs: str, date: str = "2024-11-06") -> Event:
    """An event naming its actors on lines 5, 6, 7 … of its note."""
    actors = tuple(Ref(text, 5 + i) for i, text in enumerate(refs))
    return Event(slug=slug, path=f"content/events/{slug}.md", title=slug, when=parse_when(date), actors=actors)


YOON = _actor("yoon-suk-yeol", "Yoon Suk Yeol", "Yoon Seok-yol", "Yun Seok-yol", "Yun Seok-yul")
KYIV = _actor("kyiv", "Kyiv", "Kiev")
KIM = _actor("kim-jong-un", "Kim Jong-un", "Kim Jong Un", namesake=True)
KIM_PROFESSOR = _actor("kim-jong-un-professor", "Kim Jong-un", namesake=True)
SCHROEDER = _actor("gerhard-schroeder", "Gerhard Schröder")
STRASSE = _actor("ludwig-strasse", "Ludwig Straße")
SEED = (YOON, KYIV, KIM, KIM_PROFESSOR, SCHROEDER, STRASSE)


# --- the index ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "actor_id"),
    [
        ("yoon-suk-yeol", "yoon-suk-yeol"),
        ("Yoon Suk Yeol", "yoon-suk-yeol"),
        ("Yoon Seok-yol", "yoon-suk-yeol"),
        ("Yun Seok-yol", "yoon-suk-yeol"),
        ("Yun Seok-yul", "yoon-suk-yeol"),
        ("YUN SEOK-YUL", "yoon-suk-yeol"),
        ("yoon seok-yol", "yoon-suk-yeol"),
        ("YOON-SUK-YEOL", "yoon-suk-yeol"),
        ("ＹＯＯＮ ＳＵＫ ＹＥＯＬ", "yoon-suk-yeol"),  # full-width letters
        ("Ｙｕｎ　Ｓｅｏｋ－ｙｕｌ", "yoon-suk-yeol"),  # full-width letters, ideographic space and hyphen
        ("Yoon   Suk \t Yeol", "yoon-suk-yeol"),  # extra inner spaces
        ("  Yun Seok-yol  ", "yoon-suk-yeol"),
        ("Yoon\u00a0Suk\u00a0Yeol", "yoon-suk-yeol"),  # no-break spaces
        ("Kyiv", "kyiv"),
        ("Kiev", "kyiv"),
        ("KIEV", "kyiv"),
        ("kyiv", "kyiv"),
        ("Kim Jong Un", "kim-jong-un"),
        ("kim-jong-un", "kim-jong-un"),
        ("kim-jong-un-professor", "kim-jong-un-professor"),
        ("Gerhard Schro\u0308der", "gerhard-schroeder"),  # decomposed ö composes to the name's ö
        ("GERHARD SCHRÖDER", "gerhard-schroeder"),
        ("ludwig strasse", "ludwig-strasse"),  # case folding, not lower-casing: ß folds to ss
        ("LUDWIG STRASSE", "ludwig-strasse"),
    ],
)
def test_id_name_and_every_alias_resolve_to_one_actor(reference: str, actor_id: str) -> None:
    assert ActorIndex(SEED).resolve(reference) == Resolved((actor_id,))


def test_a_shared_name_resolves_to_both_actors_in_id_order() -> None:
    assert ActorIndex(SEED).resolve("Kim Jong-un") == Resolved(("kim-jong-un", "kim-jong-un-professor"))
    assert ActorIndex(reversed(SEED)).resolve("KIM JONG-UN") == Resolved(("kim-jong-un", "kim-jong-un-professor"))


def test_an_id_written_exactly_wins_over_another_actors_alias() -> None:
    # "write the id instead" must always work, even when the id is also someone else's alias
    georgia = _actor("georgia", "Georgia")
    state = _actor("georgia-state", "State of Georgia", "georgia")
    index = ActorIndex([georgia, state])
    assert index.resolve("georgia") == Resolved(("georgia",))
    assert index.resolve("georgia-state") == Resolved(("georgia-state",))
    assert index.resolve("Georgia") == Resolved(("georgia", "georgia-state"))


@pytest.mark.parametrize(
    ("reference", "suggestion"),
    [
        ("Yun Seok-yull", "Yun Seok-yul"),  # insertion
        ("Yoon Suk Yeo", "Yoon Suk Yeol"),  # deletion
        ("Yoon Suk Yeul", "Yoon Suk Yeol"),  # substitution
        ("Yoon Suk Yoel", "Yoon Suk Yeol"),  # transposition
        ("YOON SUK YEUL", "Yoon Suk Yeol"),  # typos are counted after case folding
        ("Ｙｏｏｎ Ｓｕｋ Ｙｅｕｌ", "Yoon Suk Yeol"),  # and after NFKC
        ("Kyivv", "Kyiv"),  # the name, not the id spelled the same way
        ("Kiiev", "Kiev"),
        ("yoon-suk-yeo", "yoon-suk-yeol"),  # near the id
        ("Kim Jong-um", "Kim Jong-un"),  # near a shared name: following it leads to the ambiguity message
        ("Moon Jae-in", None),  # nothing near
        ("Yon Suk Yeool", None),  # two typos
        ("Yoon Suk Yeoll!", None),
        ("Kyyivv", None),
        ("Kyjiw", None),  # two from Kyiv, more from Kiev
    ],
)
def test_suggestion_only_within_one_typo(reference: str, suggestion: str | None) -> None:
    index = ActorIndex(SEED)
    assert index.resolve(reference) == Resolved((), suggestion)
    assert index.suggest(reference) == suggestion


def test_no_suggestion_when_different_actors_are_each_one_typo_away() -> None:
    index = ActorIndex([_actor("kim-jong-il", "Kim Jong-il"), KIM])
    assert index.suggest("Kim Jong-in") is None
    assert index.suggest("Kim Jong-il!") == "Kim Jong-il"


# --- build_timeline -------------------------------------------------------------------------------


def test_seed_spellings_land_on_one_actor() -> None:
    spellings = ["Yoon Suk Yeol", "Yoon Seok-yol", "Yun Seok-yol", "Yun Seok-yul", "yoon-suk-yeol", "YUN SEOK-YUL"]
    events = [_event(f"e{i}", spelling, date=f"2024-11-{i + 1:02d}") for i, spelling in enumerate(spellings)]
    timeline, problems = build_timeline(events, SEED)
    assert problems == []
    assert {slug: ids for slug, ids in timeline.event_actors.items()} == {f"e{i}": ("yoon-suk-yeol",) for i in range(6)}
    assert timeline.actor_events["yoon-suk-yeol"] == ("e0", "e1", "e2", "e3", "e4", "e5")
    assert set(timeline.actors) == {a.id for a in SEED}


def test_kiev_and_kyiv_in_one_event_name_one_actor_once() -> None:
    timeline, problems = build_timeline([_event("e", "Kiev", "Kyiv", "KYIV")], SEED)
    assert problems == []
    assert timeline.event_actors["e"] == ("kyiv",)
    assert timeline.actor_events["kyiv"] == ("e",)


def test_a_name_two_actors_share_is_an_error_at_its_line() -> None:
    timeline, problems = build_timeline([_event("e", "Yoon Suk Yeol", "Kim Jong-un")], SEED)
    message = 'actor "Kim Jong-un" is ambiguous: it matches kim-jong-un and kim-jong-un-professor; write the id instead'
    assert problems == [Diagnostic("content/events/e.md", 6, Severity.ERROR, message)]
    assert str(problems[0]) == f"content/events/e.md:6: error: {message}"
    assert timeline.event_actors["e"] == ("yoon-suk-yeol",)  # the ambiguous one is not guessed
    assert timeline.actor_events["kim-jong-un"] == ()
    assert timeline.actor_events["kim-jong-un-professor"] == ()
    assert set(timeline.actors) == {a.id for a in SEED}  # and no actor is generated for it


def test_ids_keep_two_actors_of_the_same_name_apart() -> None:
    events = [
        _event("leader-1", "kim-jong-un", date="2024-06-19"),
        _event("professor", "kim-jong-un-professor", date="2024-11-08"),
        _event("leader-2", "Kim Jong Un", date="2024-10-31"),
    ]
    timeline, problems = build_timeline(events, SEED)
    assert problems == []
    assert timeline.actor_events["kim-jong-un"] == ("leader-1", "leader-2")
    assert timeline.actor_events["kim-jong-un-professor"] == ("professor",)
    assert timeline.event_actors == {"leader-1": ("kim-jong-un",), "leader-2": ("kim-jong-un",), "professor": ("kim-jong-un-professor",)}


def test_an_unknown_reference_gets_a_generated_actor_without_warning() -> None:
    timeline, problems = build_timeline([_event("e", "Moon Jae-in", "Kyiv")], SEED)
    assert problems == []
    assert timeline.actors["moon-jae-in"] == Actor(id="moon-jae-in", name="Moon Jae-in")
    assert timeline.actors["moon-jae-in"].path is None
    assert timeline.event_actors["e"] == ("moon-jae-in", "kyiv")
    assert timeline.actor_events["moon-jae-in"] == ("e",)


@pytest.mark.parametrize(
    ("reference", "suggestion", "generated"),
    [
        ("Yun Seok-yull", "Yun Seok-yul", "yun-seok-yull"),  # insertion
        ("Yoon Suk Yeo", "Yoon Suk Yeol", "yoon-suk-yeo"),  # deletion
        ("Yoon Suk Yeul", "Yoon Suk Yeol", "yoon-suk-yeul"),  # substitution
        ("Yoon Suk Yoel", "Yoon Suk Yeol", "yoon-suk-yoel"),  # transposition
        ("Kyivv", "Kyiv", "kyivv"),
    ],
)
def test_one_typo_from_a_known_spelling_warns_did_you_mean(reference: str, suggestion: str, generated: str) -> None:
    timeline, problems = build_timeline([_event("e", "Kiev", reference)], SEED)
    message = f'actor "{reference}" matches no actor; did you mean "{suggestion}"?'
    assert problems == [Diagnostic("content/events/e.md", 6, Severity.WARNING, message)]
    assert timeline.actors[generated] == Actor(id=generated, name=reference)
    assert timeline.event_actors["e"] == ("kyiv", generated)


@pytest.mark.parametrize("reference", ["Yon Suk Yeool", "Kyyivv", "Yun Seok-yulll"])
def test_two_typos_away_gives_no_suggestion(reference: str) -> None:
    timeline, problems = build_timeline([_event("e", reference)], SEED)
    assert problems == []
    assert [a.id for a in timeline.actors.values() if a.path is None] == [slugify(reference)]


def test_unknown_references_differing_only_in_case_share_one_generated_actor() -> None:
    events = [
        _event("first", "Moon Jae-in", date="2024-01"),
        _event("second", "MOON JAE-IN", date="2024-02"),
        _event("third", "moon  jae-in", "Moon Jae-in", date="2024-03"),
    ]
    timeline, problems = build_timeline(events, SEED)
    assert problems == []
    generated = [a for a in timeline.actors.values() if a.path is None]
    assert generated == [Actor(id="moon-jae-in", name="Moon Jae-in")]
    assert timeline.actor_events["moon-jae-in"] == ("first", "second", "third")
    assert timeline.event_actors["third"] == ("moon-jae-in",)


def test_a_generated_id_never_collides_with_a_real_id() -> None:
    # "N. Korea" is two edits from the id "n-korea", so it neither resolves nor gets a suggestion
    actors = [_actor("n-korea", "DPRK"), _actor("n-korea-2", "Democratic People's Republic of Korea")]
    timeline, problems = build_timeline([_event("e", "N. Korea", "n korea!")], actors)
    assert problems == []
    assert timeline.event_actors["e"] == ("n-korea-3", "n-korea-4")
    assert timeline.actors["n-korea"].name == "DPRK"
    assert timeline.actors["n-korea-3"] == Actor(id="n-korea-3", name="N. Korea")
    assert timeline.actors["n-korea-4"] == Actor(id="n-korea-4", name="n korea!")


def test_a_reference_without_letters_gets_a_generic_generated_id() -> None:
    timeline, problems = build_timeline([_event("e", "???")], [])
    assert problems == []
    assert timeline.actors == {"actor": Actor(id="actor", name="???")}


def test_a_generated_id_does_not_differ_from_a_real_id_only_in_case() -> None:
    # ids become folder names, and _collisions treats "Kyiv" and "kyiv" as the same folder
    timeline, _ = build_timeline([_event("e", "Kyiv!!")], [_actor("Kyiv", "Kyiv city")])
    generated = [actor_id for actor_id, actor in timeline.actors.items() if actor.path is None]
    assert [g.casefold() for g in generated] != ["kyiv"]


def test_actors_are_listed_by_name_then_id() -> None:
    timeline, _ = build_timeline([_event("e", "Moon Jae-in")], SEED)
    assert list(timeline.actors) == [
        "gerhard-schroeder", "kim-jong-un", "kim-jong-un-professor", "kyiv", "ludwig-strasse", "moon-jae-in", "yoon-suk-yeol",
    ]  # fmt: skip


# --- text helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Yoon Suk Yeol", "yoon suk yeol"),
        ("  YOON\tSuk \n Yeol ", "yoon suk yeol"),
        ("ＹＯＯＮ　ＳＵＫ", "yoon suk"),
        ("Straße", "strasse"),
        ("Schro\u0308der", "schröder"),
        ("윤석열", "윤석열"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Séoul", "seoul"),
        ("São Paulo", "sao-paulo"),
        ("Crème Brûlée", "creme-brulee"),
        ("İstanbul", "istanbul"),
        ("Straße", "strasse"),
        ("Łódź", "łodz"),  # ł has no accent to drop: it is its own letter
        ("서울", "서울"),  # Korean kept readable, not decomposed into jamo or dropped
        ("윤석열 대통령", "윤석열-대통령"),
        ("Київ", "київ"),  # the Cyrillic ї and й are letters, not accented ones
        ("Йемен", "йемен"),
        ("ガザ地区", "ガザ地区"),  # the voicing mark stays: ガ is not カ
        ("हिन्दी", "हिन्दी"),  # Devanagari vowel signs and virama stay
        ("Hello, World!", "hello-world"),
        ("  --Kim  Jong-un!! ", "kim-jong-un"),
        ("U.S.–Korea talks", "u-s-korea-talks"),
        ("a _ b", "a-b"),  # underscores are punctuation too, collapsed with their neighbours
        ("snake__case_", "snake-case"),
        ("ＹＯＯＮ", "yoon"),
        ("ﬁle №5", "file-no5"),
        ("2024 US election", "2024-us-election"),
        ("1\ufe0f\u20e3 Keycap", "1-keycap"),  # marks on a digit go too
        ("!!!", ""),
        ("", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slugify(slug) == slug  # a slug is its own slug


@pytest.mark.parametrize(
    ("a", "b", "limit", "distance"),
    [
        ("kyiv", "kyiv", 2, 0),
        ("kyiv", "kyivv", 2, 1),  # insertion
        ("kyiv", "kyv", 2, 1),  # deletion
        ("kyiv", "kyev", 2, 1),  # substitution
        ("kyiv", "kiyv", 2, 1),  # transposition of neighbours
        ("ab", "ba", 1, 1),
        ("kyiv", "kyyivv", 2, 2),
        ("", "", 2, 0),
        ("", "ab", 2, 2),
        ("", "abc", 2, 3),  # past the limit: limit + 1
        ("kitten", "sitting", 5, 3),
        ("kitten", "sitting", 2, 3),
        ("kitten", "sitting", 1, 2),
        ("abcdef", "badcfe", 5, 3),
        ("ca", "abc", 5, 3),  # optimal string alignment: a swapped pair is not edited again
        ("aaaa", "aabbbb", 2, 3),  # never more than limit + 1, even when the row minimum stays low
        ("aaaa", "aabbbb", 5, 4),
        ("yoon suk yeol", "yoon suk yeul", 1, 1),
        ("yoon suk yeol", "yon suk yeool", 1, 2),
    ],
)
def test_edit_distance(a: str, b: str, limit: int, distance: int) -> None:
    assert edit_distance(a, b, limit) == distance
    assert edit_distance(b, a, limit) == distance


def test_edit_distance_default_limit_is_two() -> None:
    assert edit_distance("abcdef", "uvwxyz") == 3
    assert edit_distance("abcd", "abxy") == 2
