"""`digest summarize` as users call it: on a folder, with or without a topic."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from digest.cli import main

NOTES = {
    "storm.md": "# Storm hits the coast\n\nA storm with winds of 180 km/h hit the northern coast on Monday. "
    "Ten thousand homes lost power after the storm hit the coast. "
    "Rescue teams from three regions reached the flooded towns by boat.\n",
    "power.md": "# Power cut after the storm\n\nTen thousand homes lost power when the storm hit the coast. "
    "The grid operator expects to restore power within three days. "
    "Engineers are working through the night on two damaged substations.\n",
    "aid/appeal.txt": "Aid appeal for flooded towns\n\nThe Red Cross opened an aid appeal for the flooded towns. "
    "Donations of food and blankets reached the flooded towns on Wednesday. "
    "Volunteers from three regions joined the aid effort in the flooded towns.\n",
}


def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    for name, text in NOTES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_folder_is_read_file_by_file_and_each_passage_names_its_file(tmp_path):
    folder = notes(tmp_path)
    result = run("summarize", str(folder), "--sentences", "3")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    files = {str(folder / name) for name in NOTES}
    for line in lines:
        text, _, shown = line.rpartition("  [")
        assert shown.rstrip("]") in files, line
        assert text and text in " ".join(NOTES.values()).replace("\n", " ")
    assert any(
        str(folder / "aid" / "appeal.txt") in line
        for line in run("summarize", str(folder), "-n", "9").stdout.splitlines()
    ), "files in subfolders are read too"


def test_json_output_keeps_the_path_apart_from_the_text(tmp_path):
    folder = notes(tmp_path)
    result = run("summarize", str(folder), "--words", "40", "--json")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and sum(len(r["text"].split()) for r in rows) <= 40
    assert all(Path(r["path"]).name in {"storm.md", "power.md", "appeal.txt"} for r in rows)
    assert not any("[" in r["text"] for r in rows)


def test_an_empty_folder_is_a_warning_and_one_error_line(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("summarize", str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"warning: {tmp_path / 'empty'}: no files to read in this folder "
        "(Markdown, text, HTML or news-wire)\nerror: no readable files to summarize\n"
    )


def test_a_query_changes_what_comes_first(tmp_path):
    folder = notes(tmp_path)
    plain = run("summarize", str(folder), "-n", "2").stdout.splitlines()
    aid = run("summarize", str(folder), "-n", "2", "--query", "aid appeal donations").stdout.splitlines()
    assert plain != aid
    assert all("aid" in line.lower() or "donations" in line.lower() for line in aid)
    topic = run(
        "summarize",
        str(folder),
        "-n",
        "2",
        "--query",
        "Describe when the grid operator will restore power to the homes.",
    ).stdout.splitlines()
    assert "power" in topic[0].lower()


WIRE = """<DOC>
<DOCNO> {docno} </DOCNO>
<DATE_TIME> 2024-04-2{day} 10:12:00 </DATE_TIME>
<BODY>
<HEADLINE>
{headline}
</HEADLINE>
<TEXT>
<P>
   SEOUL, South Korea (AP) _ {lead}
</P>
<P>
   {more}
</P>
</TEXT>
</BODY>
</DOC>
"""


def test_a_folder_of_news_wire_files_is_summarized_with_a_topic_statement(tmp_path):
    """A DUC cluster as it comes: files without an extension, SGML inside, a topic statement as the query."""
    folder = tmp_path / "D0601A"
    folder.mkdir()
    stories = [
        (
            "Chip makers report a record quarter",
            "Memory makers reported record sales as data centres bought high-bandwidth memory for language models.",
            "Prices for high-bandwidth memory rose about 20% in the quarter.",
        ),
        (
            "Memory prices keep rising",
            "Prices for high-bandwidth memory rose again as data centres bought more chips for language models.",
            "A strike at a packaging plant delayed shipments by two weeks.",
        ),
        (
            "Factories run at full capacity",
            "Memory makers said their factories run at full capacity to meet demand from data centres.",
            "The companies plan two new factories that open in 2026.",
        ),
    ]
    for n, (headline, lead, more) in enumerate(stories):
        (folder / f"APW2024042{n}.01{n}7").write_text(
            WIRE.format(docno=f"APW2024042{n}.01{n}7", day=n, headline=headline, lead=lead, more=more)
        )
    result = run(
        "summarize",
        str(folder),
        "--words",
        "40",
        "--query",
        "Memory prices. Describe how prices for high-bandwidth memory changed and why.",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and "Prices for high-bandwidth memory rose" in lines[0]
    assert all(line.endswith(".0107]") or line.endswith(".0117]") or line.endswith(".0127]") for line in lines)
    assert not any("SEOUL" in line or "<P>" in line for line in lines)  # the dateline and the markup are gone
