"""Trends are the week's stories: small fixture weeks an editor can check at a glance."""

from __future__ import annotations

from builders import make_article

from digest.models import Block, replace
from digest.summarize import summarize_week

BRIDGE = [
    make_article(
        "bridge-1",
        "The Velmora harbour bridge collapsed on Thursday after a barge struck its central pier.",
        "Divers searched the harbour for three missing workers while cranes lifted the broken deck.",
        "Engineers said the pier had been inspected in spring and showed cracks near the waterline.",
        title="Velmora harbour bridge collapses after barge strike",
        source="Alpha",
    ),
    make_article(
        "bridge-2",
        "Rescue crews in Velmora pulled two workers from the water on Thursday after the bridge fell.",
        "The barge captain told investigators the steering failed as the vessel neared the pier.",
        "Ferries now carry commuters across the harbour until a temporary span is built.",
        title="Barge steering failure blamed for Velmora bridge collapse",
        source="Beta",
    ),
    make_article(
        "bridge-3",
        "The mayor of Velmora ordered every harbour bridge inspected after the collapse.",
        "Inspectors had flagged cracks in the central pier, according to records released on Thursday.",
        "The missing worker was found by divers near the broken deck on Friday.",
        title="Velmora orders bridge inspections",
        source="Gamma",
    ),
]
CHESS = [
    make_article(
        "chess-1",
        "Ilsa Marnoff won the Kessling Chess Championship with a queen sacrifice in round nine.",
        "Her rook endgame against the defending champion lasted six hours on Thursday.",
        "Marnoff is the youngest player to win the title in its forty-year history.",
        title="Marnoff wins the Kessling Chess Championship",
        source="Delta",
    ),
    make_article(
        "chess-2",
        "Grandmasters praised the queen sacrifice that decided the Kessling Chess Championship.",
        "Ilsa Marnoff finished a full point ahead of the field after eleven rounds.",
        "The defending champion resigned the endgame after the sixth hour of play.",
        title="A queen sacrifice decides the Kessling title",
        source="Epsilon",
    ),
    make_article(
        "chess-3",
        "Ilsa Marnoff's opening preparation surprised the defending champion at Kessling.",
        "Her coach said they studied rook endgames for months before the championship.",
        "The tournament prize fund doubled this year thanks to online viewers.",
        title="How Marnoff prepared for Kessling",
        source="Zeta",
    ),
]
ORCHARD = make_article(
    "orchard",
    "A cider orchard in Brannock planted four hundred heritage apple trees.",
    "The growers graft cuttings from abandoned farms to save old apple varieties.",
    title="Brannock orchard saves heritage apples",
    source="Eta",
    url="https://eta.example/orchard",
)


def stories(summary) -> list[set[str]]:
    return [set(t.article_ids) for t in summary.trends]


def test_two_stories_told_by_three_sources_each_become_two_trends():
    summary = summarize_week(BRIDGE + CHESS, [])
    assert sorted(stories(summary), key=sorted) == [
        {"bridge-1", "bridge-2", "bridge-3"},
        {"chess-1", "chess-2", "chess-3"},
    ]


# Four small stories of two sources each, told in the same newsroom words ("officials said on
# Tuesday", "residents", "the government"): each is its own trend, never one of two halves.
SMALL_STORIES = [
    make_article(f"{story}-{n}", *texts, title=title, source=f"{story}-{n}")
    for story, pair in (
        (
            "ferry",
            (
                (
                    "Orlen ferry crews strike over pay",
                    "Ferry crews in Orlen walked out on Tuesday, officials said, stranding residents on the islands.",
                    "The Orlen ferry union wants the government to restore night sailings and overtime pay.",
                ),
                (
                    "Islanders stranded as Orlen ferries stop",
                    "Residents of the Orlen islands queued for the last ferry before the strike began on Tuesday.",
                    "The union said ferry crews would stay out until the government reopens pay talks.",
                ),
            ),
        ),
        (
            "museum",
            (
                (
                    "Casteval museum loses three tapestries",
                    "Thieves took three medieval tapestries from the Casteval museum, officials said on Tuesday.",
                    "The museum's alarm was switched off for repairs, the government's culture office said.",
                ),
                (
                    "Police trace Casteval tapestry thieves",
                    "Police in Casteval found the van used to carry the stolen tapestries, residents told reporters.",
                    "The museum is offering a reward for the medieval tapestries, officials said.",
                ),
            ),
        ),
        (
            "measles",
            (
                (
                    "Measles cases rise in Dunmore",
                    "Dunmore reported eleven new measles cases on Tuesday, health officials said.",
                    "The government opened two vaccination clinics for residents who missed their jabs.",
                ),
                (
                    "Dunmore schools check vaccination records",
                    "Schools in Dunmore asked parents for measles vaccination records after the outbreak grew.",
                    "Officials said most of the measles cases were children under five.",
                ),
            ),
        ),
        (
            "wildfire",
            (
                (
                    "Wildfire forces evacuations near Brask",
                    "A wildfire near Brask forced hundreds of residents from their homes on Tuesday, officials said.",
                    "Water bombers from the government's fire service worked through the night.",
                ),
                (
                    "Brask wildfire contained",
                    "Firefighters contained the Brask wildfire after winds dropped, officials said.",
                    "Residents returned to find that the fire had burned two barns and a school.",
                ),
            ),
        ),
    )
    for n, (title, *texts) in enumerate(pair)
]


def test_small_stories_in_the_same_newsroom_words_stay_apart():
    summary = summarize_week(SMALL_STORIES, [])
    assert sorted(stories(summary), key=sorted) == [
        {f"{story}-0", f"{story}-1"} for story in ("ferry", "measles", "museum", "wildfire")
    ]
    names = sorted(t.name for t in summary.trends)
    # Each named by its own place, though the sources write it before lower-case words ("in Dunmore asked").
    assert [any(place in name for name in names) for place in ("Orlen", "Casteval", "Dunmore", "Brask")] == [True] * 4
    assert "Brask wildfire" in names  # the place with what happened there, as "the Brask wildfire" is written


DROUGHT = [
    make_article(
        "rationing",
        "Orrin began rationing tap water on Monday as the drought entered its fourth month.",
        "Households may use 80 litres a day, and hosepipes are banned until the reservoirs refill.",
        title="Orrin rations water as drought deepens",
        source="Courier",
    ),
    make_article(
        "farmers",
        "Wheat farmers in the Orrin basin expect the smallest harvest in thirty years after the drought.",
        "Many have sold cattle early because the pastures turned brown in January.",
        title="Drought ruins Orrin harvest",
        source="Ledger",
    ),
    make_article(
        "wildfires",
        "Fire services in the Orrin hills raised the wildfire warning to its highest level.",
        "Months of drought have left the pine forests dry two months earlier than usual.",
        title="Dry forests raise wildfire alarm in Orrin hills",
        source="Coastline",
    ),
    make_article(
        "hydro",
        "Output from the three hydropower dams on the Orrin river fell to its lowest level in fifty years.",
        "The grid operator is importing electricity while the drought keeps the river low.",
        title="Low river cuts hydropower from Orrin dams",
        source="Continental",
    ),
]


def test_a_story_told_from_several_angles_is_one_trend():
    summary = summarize_week(DROUGHT + CHESS, [])
    assert {"rationing", "farmers", "wildfires", "hydro"} in stories(summary)


def test_a_weekday_is_never_a_trend_name():
    market = [
        make_article(f"market-{n}", text, title=f"Thursday: {title}", source=source)
        for n, (title, text, source) in enumerate(
            (
                ("the Orlen market fire", "A fire gutted the Orlen covered market on Thursday night.", "A"),
                (
                    "traders count losses",
                    "On Thursday traders at the Orlen market counted their losses after the fire.",
                    "B",
                ),
                ("fire crews praised", "Fire crews saved half of the Orlen market stalls on Thursday.", "C"),
            )
        )
    ]
    summary = summarize_week(market + CHESS, [])
    names = [t.name for t in summary.trends]
    assert len(names) == 2 and not any("Thursday" in name for name in names)
    why = {name: reason for e in summary.explanations for name, _, reason in e.names}
    assert why["Thursday"] == "never a name: a weekday, month or date"


def test_names_keep_the_sources_spelling_and_are_never_a_lone_first_name():
    summary = summarize_week(BRIDGE + CHESS, [])
    names = {t.name for t in summary.trends}
    assert "Kessling Chess Championship" in names  # as written, not "Kessling chess championship"
    chess = next(e for e in summary.explanations if e.trend == "Kessling Chess Championship")
    assert "Ilsa Marnoff" in [name for name, _, _ in chess.names]
    assert not names & {"Ilsa", "Marnoff", "Thursday"}  # ... never half of a person's name
    why = {name: reason for name, _, reason in chess.names}
    assert why["Marnoff"] == "never a name: part of a longer name, 'Ilsa Marnoff'"
    assert all(len(name.split()) <= 4 for name in names)


def test_a_peoples_adjective_or_a_clause_is_never_a_name():
    dam = [
        make_article(
            "dam-1",
            "Kelmarian engineers opened the Tessel Dam on the Varn river after six years of work.",
            "The dam toll passed its first test as the spring floods arrived.",
            title="Kelmarian engineers open the Tessel Dam",
            source="A",
        ),
        make_article(
            "dam-2",
            "Farmers downstream said the Tessel Dam holds back more water, and Kelmarian officials agreed.",
            "The dam toll passed the safety board's review last week.",
            title="Kelmarian farmers welcome the Tessel Dam",
            source="B",
        ),
        make_article(
            "dam-3",
            "The Tessel Dam will also make power for two Kelmarian towns from next year.",
            title="Power from the Tessel Dam for Kelmarian towns",
            source="C",
        ),
    ]
    summary = summarize_week(dam + CHESS, [])
    assert "Tessel Dam" in {t.name for t in summary.trends}
    why = {name: reason for e in summary.explanations for name, _, reason in e.names}
    assert why["Kelmarian"] == "never a name: a people's adjective, not a name"
    assert why["Dam toll passed"] == "never a name: a clause, not a noun phrase"


def test_a_defined_acronym_stands_beside_its_expansion():
    dpo = [
        make_article(f"d{i}", text, title=f"Note {i}", source=f"S{i}")
        for i, text in enumerate(
            (
                "Direct Preference Optimization (DPO) trains a model on pairs of answers that people ranked.",
                "Teams use Direct Preference Optimization because DPO needs no separate reward model.",
                "With DPO, two engineers aligned a small model on ranked answers in a weekend.",
            )
        )
    ]
    summary = summarize_week(dpo + CHESS, [])
    assert "Direct Preference Optimization (DPO)" in {t.name for t in summary.trends}


def test_a_story_with_one_source_appears_under_also_this_week():
    summary = summarize_week(BRIDGE + CHESS + [ORCHARD], [])
    assert all("orchard" not in t.article_ids for t in summary.trends)
    [brief] = summary.also
    assert brief.title == "Brannock orchard saves heritage apples"
    assert brief.url == "https://eta.example/orchard"
    assert "heritage apple" in brief.text


def test_a_roundup_article_feeds_several_trends():
    roundup = replace(
        make_article("roundup", "Three things caught our eye this week.", title="Weekly roundup", source="Theta"),
        blocks=(
            Block("paragraph", "Three things caught our eye this week."),
            Block(
                "item",
                "Velmora bridge: a barge struck the harbour bridge pier and the deck collapsed; divers "
                "searched the harbour for missing workers.",
            ),
            Block(
                "item",
                "Kessling chess: Ilsa Marnoff won the championship with a queen sacrifice and a long rook endgame.",
            ),
            Block("item", "Orchards: heritage apple trees are being grafted from cuttings of abandoned farms."),
        ),
    )
    summary = summarize_week(BRIDGE + CHESS + [ORCHARD, roundup], [])
    assert sorted(stories(summary), key=sorted) == [  # its intro is no story; each item joins its own
        {"bridge-1", "bridge-2", "bridge-3", "roundup"},
        {"chess-1", "chess-2", "chess-3", "roundup"},
        {"orchard", "roundup"},
    ]  # the orchard has two sources now: a trend, no longer "Also this week"
    assert not summary.also
    chess = next(t for t in summary.trends if "chess-1" in t.article_ids)
    assert not any("orchard" in b.text.lower() or "bridge" in b.text.lower() for b in chess.bullets)


def test_a_roundup_item_no_one_else_tells_appears_under_also_this_week_by_its_label():
    roundup = replace(
        make_article("roundup", "Three things caught our eye this week.", title="Weekly roundup", source="Theta"),
        blocks=(
            Block("item", "Velmora bridge: a barge struck the harbour bridge pier and the deck collapsed."),
            Block("item", "Kessling chess: Ilsa Marnoff won the championship with a queen sacrifice."),
            Block("item", "Lighthouses: the Tarrow lighthouse keepers' cottage reopens as a small museum in June."),
        ),
    )
    summary = summarize_week(BRIDGE + CHESS + [roundup], [])
    assert [(b.title, b.article_ids) for b in summary.also] == [("Lighthouses", ("roundup",))]
    assert "lighthouse" in summary.also[0].text


def test_a_news_article_with_subheadings_stays_whole():
    sectioned = replace(
        BRIDGE[0],
        blocks=(
            *BRIDGE[0].blocks,
            Block("heading", "The missing workers", 2),
            Block("paragraph", "Divers found one worker near the broken deck of the Velmora bridge."),
            Block("heading", "The barge", 2),
            Block("paragraph", "The barge that struck the pier was carrying gravel."),
            Block("heading", "What next", 2),
            Block("paragraph", "Ferries cross the harbour until the bridge is rebuilt."),
        ),
    )
    summary = summarize_week([sectioned, *BRIDGE[1:], *CHESS], [])
    assert [t for t in summary.trends if "bridge-1" in t.article_ids][0].article_ids == (
        "bridge-1",
        "bridge-2",
        "bridge-3",
    )


def test_configured_trends_keep_their_keywords_and_come_first():
    summary = summarize_week(BRIDGE + CHESS, [("Chess", ["chess", "endgame"])])
    assert summary.trends[0].name == "Chess" and summary.trends[0].configured
    assert {"chess-1", "chess-2", "chess-3"} <= set(summary.trends[0].article_ids)
    assert len(summary.trends) == 2  # the chess story is not discovered a second time


def test_momentum_knows_the_story_again_under_other_words():
    first = summarize_week(BRIDGE + CHESS, [])
    bridge = next(t for t in first.trends if "bridge-1" in t.article_ids)
    history = [
        {
            key: (len(t.article_ids), first.signatures[key])
            for key, t in zip(first.signatures, first.trends, strict=True)
        }
    ]
    next_week = [
        make_article(
            "later-1",
            "Velmora opened a temporary harbour span a week after the bridge collapse.",
            "The barge company agreed to pay for a new central pier.",
            "Divers finished clearing the broken deck from the harbour channel.",
            title="Temporary span opens in Velmora",
            source="Alpha",
        ),
        make_article(
            "later-2",
            "Commuters returned to the harbour crossing as the temporary span opened.",
            "Inspectors said the new pier will be checked for cracks every month.",
            title="Harbour commuters cross again",
            source="Beta",
        ),
        make_article(
            "later-3",
            "The barge company blamed a faulty steering pump for the collapse.",
            "Ferries will stop once the temporary span carries all traffic.",
            title="Faulty pump named in harbour barge crash",
            source="Gamma",
        ),
        *CHESS,
    ]
    later = summarize_week(next_week, [], history=history)
    span = next(t for t in later.trends if "later-1" in t.article_ids)
    assert span.name != bridge.name  # other words this week ...
    assert span.momentum in ("steady", "rising", "fading")  # ... the same story: not new again
    assert later.signatures


def test_a_new_story_is_new():
    summary = summarize_week(BRIDGE, [], history=[{"kessl chess championship": (3, {"kessl": 0.7, "chess": 0.7})}])
    assert [t.momentum for t in summary.trends] == ["new"]


def test_also_this_week_reaches_the_reader_in_html_text_and_json():
    import json

    from factories import make_digest

    from digest.models import Brief
    from digest.render import render_issue

    brief = Brief(
        title="Brannock orchard saves heritage apples",
        text="Growers graft cuttings from old farms.",
        url="https://eta.example/orchard",
        source="Eta",
        article_ids=("orchard",),
    )
    digest = make_digest(also=(brief,))
    rendered = render_issue(digest)
    assert "Also this week" in rendered.html and 'href="https://eta.example/orchard"' in rendered.html
    assert "ALSO THIS WEEK" in rendered.text and "Brannock orchard saves heritage apples" in rendered.text
    assert json.loads(json.dumps(digest.to_dict()))["also"] == [
        {"title": brief.title, "text": brief.text, "url": brief.url, "source": "Eta", "articles": ["orchard"]}
    ]


def test_explain_prints_candidate_names_as_written_on_stdout(newsletter):
    from click.testing import CliRunner

    from digest.cli import main

    files = {f"{a.id}.md": f"# {a.title}\n\n" + "\n\n".join(b.text for b in a.blocks) + "\n" for a in BRIDGE + CHESS}
    path = newsletter("newsletter: {title: Town news}\nsources:\n  - {name: Notes, path: notes/}\n", files)
    result = CliRunner().invoke(
        main, ["build", "--config", str(path), "--week", "2024-W17", "--explain"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert "# Kessling Chess Championship [discovered, 3 articles]" in result.stdout
    assert "name candidates:" in result.stdout and "Ilsa Marnoff: in 3 of 3 articles" in result.stdout
    assert "never a name: a lone common word" in result.stdout
    assert "name candidates" not in result.stderr


def test_the_state_remembers_each_trend_with_its_terms():
    from digest.state import State

    with State(":memory:") as state:
        state.record_trends("2024-W16", [("velmora bridg", "Velmora bridge", 3)], {"velmora bridg": {"velmora": 0.8}})
        state.record_trends("2024-W17", [("kessl", "Kessling", 2)])
        assert state.story_history(before="2024-W18") == [{"kessl": (2, {})}, {"velmora bridg": (3, {"velmora": 0.8})}]
        assert state.trend_history(before="2024-W18") == [{"kessl": 2}, {"velmora bridg": 3}]


def test_discovered_stories_keep_their_edit_keys_when_the_week_is_rebuilt():
    from datetime import date

    from digest.edits import keyed
    from digest.models import Digest

    def draft(articles):
        summary = summarize_week(articles)
        return keyed(
            Digest(
                title="Town news",
                week="2024-W17",
                start=date(2024, 4, 22),
                end=date(2024, 4, 28),
                trends=tuple(summary.trends),
                articles=tuple(articles),
                also=tuple(summary.also),
            )
        )

    first, again = draft(BRIDGE + CHESS + [ORCHARD]), draft(list(reversed(BRIDGE + CHESS + [ORCHARD])))
    assert [t.key for t in first.trends] == [t.key for t in again.trends]
    assert "kessling-chess-championship" in [t.key for t in first.trends]
    assert [b.key for t in first.trends for b in t.bullets] == [b.key for t in again.trends for b in t.bullets]
