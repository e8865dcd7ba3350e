"""The editor's edits file: stable keys, every kind of edit, and stale edits as warnings."""

from __future__ import annotations

import json

import pytest
from factories import AGENTS, NOTE, make_digest

from digest.edits import (
    AddedArticle,
    BulletEdit,
    Edits,
    EditsError,
    TrendEdit,
    apply_edits,
    bullet_key,
    keyed,
    load_edits,
    save_edits,
    trend_key,
)
from digest.models import replace


def keys(digest):
    return [t.key for t in digest.trends]


def test_keys_come_from_the_draft_and_survive_a_rebuild():
    first, again = keyed(make_digest()), keyed(make_digest())
    assert keys(first) == ["agents-tool-use", "small-efficient-models", "multimodality"]
    assert [b.key for b in first.trends[0].bullets] == [b.key for b in again.trends[0].bullets]
    assert trend_key("Agents & tool use") == trend_key("Agents and tool use")
    assert bullet_key("x", "Same words, same key!") == bullet_key("x", "same words same key")
    assert bullet_key("x", "Same words") != bullet_key("y", "Same words")


def test_two_trends_of_one_name_get_two_keys():
    digest = make_digest()
    twin = replace(digest.trends[1], name="Agents, and tool use")
    assert keys(keyed(replace(digest, trends=(digest.trends[0], twin)))) == ["agents-tool-use", "agents-tool-use-2"]


def test_pin_rename_move_and_drop_trends():
    edits = Edits(
        trends={
            "multimodality": TrendEdit(pin=True, name="Seeing and hearing"),
            "agents-tool-use": TrendEdit(drop=True),
        }
    )
    digest, warnings = apply_edits(make_digest(), edits)
    assert [t.name for t in digest.trends] == ["Seeing and hearing", "Small and efficient models"]
    assert digest.trends[0].edited == ("renamed", "pinned")
    assert "dropped trend 'Agents and tool use'" in digest.edits and warnings == []

    moved, _ = apply_edits(make_digest(), Edits(trends={"agents-tool-use": TrendEdit(move=3)}))
    assert keys(moved) == ["small-efficient-models", "multimodality", "agents-tool-use"]


def test_swapping_two_trends_by_their_places():
    edits = Edits(trends={"small-efficient-models": TrendEdit(move=1), "agents-tool-use": TrendEdit(move=2)})
    assert keys(apply_edits(make_digest(), edits)[0]) == ["small-efficient-models", "agents-tool-use", "multimodality"]


def test_drop_rewrite_and_move_bullets():
    draft = keyed(make_digest())
    first, second = draft.trends[2].bullets[:2]
    edits = Edits(
        bullets={
            first.key: BulletEdit(text="Receipts, read by models."),
            second.key: BulletEdit(move=3),
            draft.trends[0].bullets[1].key: BulletEdit(drop=True),
        }
    )
    digest, _ = apply_edits(make_digest(), edits)
    assert len(digest.trends[0].bullets) == 1
    texts = [b.text for b in digest.trends[2].bullets]
    assert texts[0] == "Receipts, read by models." and texts[2] == second.text
    assert digest.trends[2].bullets[0].edited == ("text",)
    assert digest.trends[2].bullets[0].key == first.key  # a rewrite keeps the key its edit refers to


def test_dropping_an_article_takes_its_citations_and_lone_bullets_with_it():
    digest, _ = apply_edits(make_digest(), Edits(drop_articles=(AGENTS.id,)))
    assert AGENTS.id not in {a.id for a in digest.articles}
    cited = {c.article_id for t in digest.trends for b in t.bullets for c in b.sources}
    assert AGENTS.id not in cited and NOTE.id in cited
    assert len(digest.trends[0].bullets) == 1  # the bullet only the dropped article stated went too


def test_an_added_article_joins_the_reading_list_once():
    added = AddedArticle(title="Worth reading", url="https://example.org/good")
    digest, _ = apply_edits(make_digest(), Edits(add_articles=(added, added), note="Hello."))
    extra = [a for a in digest.articles if a.url == "https://example.org/good"]
    assert len(extra) == 1 and extra[0].source == "Editor" and extra[0].title == "Worth reading"
    assert "added article 'Worth reading'" in digest.edits and digest.note == "Hello."
    again, _ = apply_edits(make_digest(), Edits(add_articles=(AddedArticle(title="Dup", url=AGENTS.url),)))
    assert len(again.articles) == len(make_digest().articles)  # already in the issue: not twice


def test_a_trend_edit_follows_a_story_whose_name_gained_a_word():
    draft = make_digest()
    renamed = replace(draft, trends=(replace(draft.trends[0], name="Agents, tools and tool use"), *draft.trends[1:]))
    digest, warnings = apply_edits(renamed, Edits(trends={"agents-tool-use": TrendEdit(name="Agents")}))
    assert digest.trends[0].name == "Agents" and warnings == []
    assert "trends.agents-tool-use taken as agents-tools-tool-use: the trend's name changed" in digest.edits


def test_an_edit_whose_target_is_gone_is_one_warning():
    edits = Edits(
        trends={"gone-trend": TrendEdit(pin=True)},
        bullets={"deadbeef": BulletEdit(drop=True)},
        drop_articles=("https://example.org/never",),
    )
    digest, warnings = apply_edits(make_digest(), edits, "edits/2024-W17.yaml")
    assert keys(digest) == keys(keyed(make_digest()))
    assert sorted(warnings) == [
        "edits/2024-W17.yaml: articles.drop: no article 'https://example.org/never' in this issue",
        "edits/2024-W17.yaml: bullets.deadbeef: no such bullet in this issue (the edit waits in the file)",
        "edits/2024-W17.yaml: trends.gone-trend: no such trend in this issue (the edit waits in the file)",
    ]


def test_a_saved_file_reads_back_the_same(tmp_path):
    edits = Edits(
        note="Short week.",
        trends={"a": TrendEdit(pin=True, move=2)},
        bullets={"b": BulletEdit(text="x")},
        drop_articles=("https://example.org/a",),
    )
    path = tmp_path / "edits" / "2024-W17.yaml"
    save_edits(path, edits)
    assert load_edits(path) == edits
    assert [p.name for p in path.parent.iterdir()] == ["2024-W17.yaml"]  # no staging file left behind
    assert load_edits(tmp_path / "edits" / "2024-W18.yaml") == Edits()


def test_a_bad_edits_file_says_where(tmp_path):
    path = tmp_path / "2024-W17.yaml"
    path.write_text("trends:\n  x: {pin: yes please, move: 0, colour: red}\nbullets: [1]\n")
    with pytest.raises(EditsError) as caught:
        load_edits(path)
    lines = caught.value.lines
    assert any(line.endswith("bullets: expected a mapping") for line in lines)
    path.write_text("trends:\n  x: {pin: true, move: 0, colour: red}\n")
    with pytest.raises(EditsError) as caught:
        load_edits(path)
    assert [line.split(": ", 1)[1] for line in caught.value.lines] == [
        "trends.x.move: expected a place, 1 or more, got 0",
        "trends.x.colour: unknown edit (one of drop, pin, name, move)",
    ]
    path.write_text("trends: {x: [\n")
    with pytest.raises(EditsError, match=r"2024-W17.yaml:2: "):
        load_edits(path)


def test_a_build_applies_the_edits_and_digest_json_says_so(sample_folder):
    from click.testing import CliRunner

    from digest.cli import main

    tmp_path = sample_folder
    (tmp_path / "edits").mkdir()
    (tmp_path / "edits" / "2024-W46.yaml").write_text(
        "note: A word from the editor.\ntrends:\n  multimodal-models: {pin: true}\n  no-such: {drop: true}\n"
    )
    result = CliRunner().invoke(
        main, ["build", "--config", str(tmp_path / "sources.yaml"), "--week", "2024-W46", "--explain"]
    )
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "output" / "2024-W46" / "digest.json").read_text())
    assert model["trends"][0]["key"] == "multimodal-models" and model["trends"][0]["edited"] == ["pinned"]
    assert model["note"] == "A word from the editor." and "pinned trend 'Multimodal models'" in model["edits"]
    assert "(pinned by the editor)" in result.stdout  # --explain is on stdout
    assert "2024-W46.yaml: trends.no-such: no such trend in this issue" in result.stderr  # a warning, exit 0


def test_a_bad_edits_file_stops_the_build_and_check_names_it(sample_folder):
    from click.testing import CliRunner

    from digest.cli import main

    config = str(sample_folder / "sources.yaml")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--config", config, "--week", "2024-W46"]).exit_code == 0
    before = (sample_folder / "output" / "2024-W46" / "digest.json").read_bytes()
    (sample_folder / "edits").mkdir()
    (sample_folder / "edits" / "2024-W46.yaml").write_text("trends:\n  multimodal: {pin: maybe}\n")
    result = runner.invoke(main, ["build", "--config", config, "--week", "2024-W46"])
    assert result.exit_code == 2
    assert result.stderr.endswith("2024-W46.yaml: trends.multimodal.pin: expected true or false\n")
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert (sample_folder / "output" / "2024-W46" / "digest.json").read_bytes() == before  # the issue stays
    checked = runner.invoke(main, ["check", "--config", config])
    assert checked.exit_code == 2 and "trends.multimodal.pin: expected true or false" in checked.stderr


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "42",
        "note: [1]",
        "trends: [a]",
        "trends: {x: 3}",
        "trends: {x: {move: true}}",
        "trends: {x: null}",
        "bullets: {b: {text: 7}}",
        "articles: [1]",
        "articles: {drop: a}",
        "articles: {add: [{url: x}]}",
        "articles: {add: [{title: t, extra: 1}]}",
        "articles: {add: {title: t}}",
        "trends: {1: {pin: true}}",
        "note: !!binary aGk=",
        "{a: b}",
        "trends:\n  - pin",
        "\t",
        "---\n...\n",
        "? [a]\n: b",
    ],
)
def test_odd_edits_files_are_errors_or_edits_never_crashes(tmp_path, text):
    path = tmp_path / "2024-W17.yaml"
    path.write_text(text)
    try:
        edits = load_edits(path)
    except EditsError as exc:
        assert all(line.startswith(str(path)) for line in exc.lines), exc.lines
    else:
        assert isinstance(edits, Edits)


def test_an_article_the_editor_added_does_not_make_a_rebuild_look_thinner(sample_folder):
    from click.testing import CliRunner

    from digest.cli import main

    config = str(sample_folder / "sources.yaml")
    (sample_folder / "edits").mkdir()
    (sample_folder / "edits" / "2024-W46.yaml").write_text(
        "articles:\n  add: [{title: Worth reading, url: 'https://example.org/good', source: Editor}]\n"
    )
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--config", config, "--week", "2024-W46"])
    assert first.exit_code == 0, first.output
    model = json.loads((sample_folder / "output" / "2024-W46" / "digest.json").read_text())
    assert "https://example.org/good" in [a["id"] for a in model["articles"]]
    again = runner.invoke(main, ["build", "--config", config, "--week", "2024-W46", "--strict"])
    assert again.exit_code == 0, again.output  # the same articles as before: not thinner, no warning
    assert "this build has" not in again.stderr
