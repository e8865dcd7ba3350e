"""Templates that check themselves: MJML's own rules, each problem at the template line that wrote it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import make_digest

from digest.cli import main
from digest.render import InvalidTemplate, TemplateError, render_issue
from digest.render.context import context
from digest.render.mjml_tree import parse
from digest.render.validate import RULES, rules, validate

ROOT = Path(__file__).resolve().parents[1]
WEEK = "2024-W46"

TREND = """\
{#- one trend -#}
<mj-section padding="4px 0 12px">
  <mj-column>
    <mj-text><h2>{{ trend.name }}</h2></mj-text>
    <mj-text css-class="bullets">
      <ul>
        {% for bullet in trend.bullets %}
        {% include "bullet.mjml.j2" %}
        {% endfor %}
      </ul>
    </mj-text>
  </mj-column>
</mj-section>
"""


def problems(tmp_path: Path, files: dict[str, str], monkeypatch) -> list[str]:
    """What the validator says of the default templates with `files` in the newsletter's templates/."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return [str(p) for p in validate([folder], "digest.mjml.j2", context(make_digest(), [folder]))]


def test_the_default_templates_break_no_rule():
    assert validate([], "digest.mjml.j2", context(make_digest())) == []
    assert validate([], "digest.mjml.j2", context(make_digest(trends=(), articles=()))) == []


def test_valid_variations_raise_no_false_alarm(tmp_path, monkeypatch):
    layout = """\
    {% extends "default:digest.mjml.j2" %}
    {% block footer %}
    <mj-wrapper padding="0" border="1px solid #ddd" background-color="rgba(0,0,0,0.5)">
      <!-- the footer -->
      <mj-section full-width="full-width"><mj-group><mj-column width="50%" vertical-align="middle">
        <mj-image src="https://example.org/logo.png" width="120px" height="auto" alt="" />
        <mj-button href="#" background-color="red" font-size="14px" padding="0">Read <b>more</b></mj-button>
        <mj-spacer height="10px" />
        <mj-social mode="horizontal"><mj-social-element name="x" href="#">X</mj-social-element></mj-social>
      </mj-column></mj-group></mj-section>
      <mj-raw><p>raw <mj-colum> HTML is not MJML's business</p></mj-raw>
    </mj-wrapper>
    {% endblock %}
    """
    style = "a { color: red; }\n.x > .y { margin: 0 }\n"
    assert (
        problems(tmp_path, {"digest.mjml.j2": layout, "style.css.j2": style, "trend.mjml.j2": TREND}, monkeypatch) == []
    )


def test_a_misspelled_tag_is_named_at_its_partials_line(tmp_path, monkeypatch):
    found = problems(
        tmp_path,
        {"trend.mjml.j2": TREND.replace("<mj-column>", "<mj-colum>").replace("</mj-column>", "</mj-colum>")},
        monkeypatch,
    )
    assert found == ["templates/trend.mjml.j2:3: <mj-colum> is not an MJML tag (did you mean <mj-column>?)"]


def test_an_unknown_attribute_is_named_with_a_guess(tmp_path, monkeypatch):
    found = problems(tmp_path, {"trend.mjml.j2": TREND.replace("<mj-text>", '<mj-text colr="red">')}, monkeypatch)
    assert found == ["templates/trend.mjml.j2:4: <mj-text> has no attribute colr (did you mean color?)"]


def test_a_child_its_parent_does_not_take(tmp_path, monkeypatch):
    footer = """\
    <mj-section>
      <mj-text>Thanks for reading</mj-text>
    </mj-section>
    """
    found = problems(tmp_path, {"footer.mjml.j2": footer}, monkeypatch)
    assert found == [
        "templates/footer.mjml.j2:2: <mj-text> cannot be used inside <mj-section>, only inside <mj-column> or <mj-hero>"
    ]


def test_a_bad_colour_unit_and_choice(tmp_path, monkeypatch):
    header = """\
    <mj-section background-color="#11182">
      <mj-column>
        <mj-text
          align="middle"
          padding="{{ issue.week_number }}">Week {{ issue.week_number }}</mj-text>
      </mj-column>
    </mj-section>
    """
    assert problems(tmp_path, {"header.mjml.j2": header}, monkeypatch) == [
        'templates/header.mjml.j2:1: <mj-section background-color="#11182">: not a colour '
        "(#rgb, #rrggbb, rgb(), rgba() or a CSS colour name)",
        'templates/header.mjml.j2:3: <mj-text align="middle">: expected left, right, center or justify',
        'templates/header.mjml.j2:3: <mj-text padding="17">: expected 1 to 4 values in px or %',
    ]


def test_html_outside_mj_text_and_a_comment_where_mjml_takes_none(tmp_path, monkeypatch):
    intro = """\
    <mj-section><mj-column>
      <p>{{ issue.intro }}</p>
      <mj-carousel>
        <!-- pictures -->
      </mj-carousel>
    </mj-column></mj-section>
    """
    assert problems(tmp_path, {"intro.mjml.j2": intro}, monkeypatch) == [
        "templates/intro.mjml.j2:2: <p> is not an MJML tag (HTML goes inside <mj-text>, <mj-button>, <mj-table> "
        "or <mj-raw>)",
        "templates/intro.mjml.j2:4: an HTML comment (MJML makes it an <mj-raw>) cannot be used inside "
        "<mj-carousel>, only inside <mj-accordion>, <mj-accordion-element>, <mj-body>, <mj-column>, <mj-group>, "
        "<mj-head>, <mj-hero>, <mj-navbar>, <mj-section>, <mj-social>, <mj-wrapper> or <mjml>",
    ]


def test_a_problem_in_a_loop_is_reported_once(tmp_path, monkeypatch):
    bullet = '<mj-text colr="red">{{ bullet.text }}</mj-text>\n'
    found = problems(
        tmp_path,
        {
            "bullet.mjml.j2": bullet,
            "trend.mjml.j2": TREND.replace('<mj-text css-class="bullets">\n      <ul>', "").replace(
                "</ul>\n    </mj-text>", ""
            ),
        },
        monkeypatch,
    )
    assert found == ["templates/bullet.mjml.j2:1: <mj-text> has no attribute colr (did you mean color?)"]


def test_markup_a_variable_writes_is_placed_at_the_variables_line(tmp_path, monkeypatch):
    footer = """\
    {% set note = "<mj-txt>Bye</mj-txt>" %}
    <mj-section>
      <mj-column>
    {% if newsletter.title %}
    {{ note | safe }}
    {% endif %}
      </mj-column>
    </mj-section>
    """
    assert problems(tmp_path, {"footer.mjml.j2": footer}, monkeypatch) == [
        "templates/footer.mjml.j2:5: <mj-txt> is not an MJML tag (did you mean <mj-text>?)"
    ]


def test_markup_mjml_python_reads_otherwise_is_reported_too(tmp_path, monkeypatch):
    footer = """\
    <mj-section padding=10px>
      <mj-column>
        <mj-text>Bye</mj-text>
      </mj-colum>
    </mj-section>
    """
    assert problems(tmp_path, {"footer.mjml.j2": footer}, monkeypatch) == [
        'templates/footer.mjml.j2:1: <mj-section padding=10px>: put the value in quotes (padding="10px")',
        "templates/footer.mjml.j2:4: </mj-colum> closes no open tag (did you mean </mj-column>?)",
    ]
    include = '<mj-include path="./footer.mjml" />\n'
    assert problems(tmp_path, {"footer.mjml.j2": include}, monkeypatch) == [
        'templates/footer.mjml.j2:1: <mj-include> cannot be compiled here: use {% include "file.mjml.j2" %} instead'
    ]


def test_the_rule_table_names_the_mjml_version_it_follows():
    table = json.loads(RULES.read_text())
    assert table["mjml"].startswith("4.") and rules().version == table["mjml"]
    assert table["components"]["mj-text"]["ending_tag"] is True
    assert "mj-column" in table["children"]["mj-section"]["tags"]


def test_the_parser_reads_ending_tags_raw_and_keeps_attributes_as_written():
    (root,) = parse(
        '<mjml><mj-body><mj-text a="&amp;"><mj-x/><p>1 < 2</mj-text><!-- c --></mj-body></mjml>', rules().ending_tags
    )
    (body,) = root.children
    text, comment = body.children
    assert text.tag == "mj-text" and text.attributes == {"a": "&amp;"} and text.children == []
    assert comment.comment and comment.tag == "mj-raw"


def test_render_issue_stops_on_a_broken_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trend.mjml.j2").write_text(TREND.replace("<mj-column>", "<mj-colum>"))
    with pytest.raises(InvalidTemplate) as caught:
        render_issue(make_digest(), [tmp_path])
    assert caught.value.exit_code == 2 and caught.value.lines == [
        "trend.mjml.j2:3: <mj-colum> is not an MJML tag (did you mean <mj-column>?)"
    ]
    assert "Agents and tool use" in render_issue(make_digest(), [tmp_path], validate=False).html


def test_an_unclosed_if_is_reported_where_it_opened(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digest.mjml.j2").write_text(
        '{% extends "default:digest.mjml.j2" %}\n{% block footer %}\n<mj-section>\n{% if issue.view_url %}\n'
        "<mj-column></mj-column>\n</mj-section>\n{% endblock %}\n"
    )
    (tmp_path / "footer.txt.j2").write_text("{% for t in digest.trends %}\n{{ t.name }}\n")
    with pytest.raises(TemplateError) as caught:
        render_issue(make_digest(), [tmp_path])
    assert caught.value.message == "digest.mjml.j2:4: {% if %} is never closed ({% endblock %} on line 7 comes first)"
    (tmp_path / "digest.mjml.j2").unlink()
    with pytest.raises(TemplateError) as caught:
        render_issue(make_digest(), [tmp_path])
    assert caught.value.message == "footer.txt.j2:1: {% for %} is never closed (the end of the file comes first)"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_build_with_an_invalid_template_exits_2_and_keeps_the_last_issue(sample, monkeypatch):
    monkeypatch.chdir(sample)
    assert run("build", "--week", WEEK).exit_code == 0
    issue = sample / "output" / WEEK
    before = {p.name: p.read_bytes() for p in issue.iterdir()}
    trend = sample / "templates" / "trend.mjml.j2"
    broken = trend.read_text().replace('<mj-text css-class="bullets"', '<mj-text colr="red" css-class="bullets"')
    trend.write_text(broken)
    result = run("build", "--week", WEEK)
    assert result.exit_code == 2
    assert result.stderr == "error: templates/trend.mjml.j2:6: <mj-text> has no attribute colr (did you mean color?)\n"
    assert result.stdout == ""
    assert {p.name: p.read_bytes() for p in issue.iterdir()} == before
    trend.write_text(trend.read_text().replace("<h2 ", "{{ 'edited' }}<h2 ", 1))
    result = run("build", "--week", WEEK)
    assert result.exit_code == 2  # still broken: nothing written, the state untouched
    assert "edited" not in (issue / "digest.html").read_text()

    result = run("build", "--week", WEEK, "--no-validate")
    assert result.exit_code == 0, result.stderr
    assert "edited" in (issue / "digest.html").read_text()


def test_check_lists_every_problem_and_exits_2(sample, monkeypatch):
    monkeypatch.chdir(sample)
    assert run("check").exit_code == 0
    (sample / "templates" / "footer.mjml.j2").write_text(
        '<mj-section padding="10">\n  <mj-colum>\n  </mj-colum>\n</mj-section>\n'
    )
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        'error: templates/footer.mjml.j2:1: <mj-section padding="10">: expected 1 to 4 values in px or %',
        "error: templates/footer.mjml.j2:2: <mj-colum> is not an MJML tag (did you mean <mj-column>?)",
    ]


def test_the_variables_reference_covers_digest_json_and_matches_the_docs():
    from digest.render.reference import reference, variables

    documented = {v.name: v for v in variables()}
    assert not [name for name, v in documented.items() if v.description == "(undocumented)"]
    model = json.loads((ROOT / "tests" / "golden" / "sample-2024-W46" / "digest.json").read_text())

    def names(prefix: str, value) -> set[str]:
        found = {prefix}
        if isinstance(value, dict) and prefix != "digest.newsletter":
            for key, item in value.items():
                found |= names(f"{prefix}.{key}", item)
        elif isinstance(value, list):
            for item in value:
                found |= {name for name in names(f"{prefix}[]", item) if name != f"{prefix}[]"}
        return found

    assert names("digest", model) <= set(documented)
    assert documented["digest.trends[].bullets[].sources[].url"].type == "str | none"
    assert documented["issue.week_number"].type == "int"
    page = (ROOT / "docs" / "template-variables.md").read_text()
    assert "```text\n" + reference() + "```\n" in page, "regenerate docs/template-variables.md"


def test_templates_lists_each_part_and_whose_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources.yaml").write_text("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "footer.mjml.j2").write_text("<mj-section></mj-section>\n")
    result = run("templates")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "footer.mjml.j2    templates/footer.mjml.j2 (yours)" in lines
    assert "header.mjml.j2    default" in lines and "subject.txt.j2    default" in lines
    result = run("templates", "--vars")
    assert result.exit_code == 0 and "digest.trends[].name" in result.stdout


def test_check_validates_both_sides_of_the_usual_ifs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources.yaml").write_text("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "header.mjml.j2").write_text(
        "<mj-section>\n  <mj-column>\n{% if newsletter.url %}\n    <mj-txt>{{ newsletter.url }}</mj-txt>\n"
        "{% endif %}\n  </mj-column>\n</mj-section>\n"
    )
    (tmp_path / "templates" / "intro.mjml.j2").write_text(
        '{% if not digest.trends %}\n<mj-section padding="1"></mj-section>\n{% endif %}\n'
    )
    result = run("check")  # the newsletter has no url and this week's issue will have trends, but some week won't
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: templates/header.mjml.j2:4: <mj-txt> is not an MJML tag (did you mean <mj-text>?)",
        'error: templates/intro.mjml.j2:2: <mj-section padding="1">: expected 1 to 4 values in px or %',
    ]


def test_any_markup_gives_problems_never_an_exception():
    import random

    from digest.render.sourcemap import strip
    from digest.render.validate import check

    pieces = [
        "<mj-section",
        "<mj-column>",
        "</mj-column>",
        "<mj-text>",
        "</mj-text>",
        "<p>",
        "</p>",
        "</br>",
        "<!--",
        "-->",
        " padding=",
        '"10px"',
        "'",
        "=",
        ">",
        "/>",
        "<",
        "</",
        "<![CDATA[",
        "]]>",
        "<!doctype x>",
        "\n",
        "text",
        "\ue0000:1\ue001",
        "<mj-raw>",
        "</mj-raw>",
        "<mj-colum",
        " color=red",
        "&amp;",
    ]
    rng = random.Random(9)
    for _ in range(400):
        markup = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert isinstance(check(strip(markup)), list)


def test_a_partial_that_closes_the_layouts_tag_is_the_one_blamed(tmp_path, monkeypatch):
    footer = "<mj-section><mj-column><mj-text>Bye</mj-text></mj-column></mj-section>\n</mj-body>\n"
    found = problems(tmp_path, {"footer.mjml.j2": footer}, monkeypatch)
    assert found == [
        "templates/footer.mjml.j2:2: </mj-body> closes the <mj-body> of the default digest.mjml.j2, "
        "which closes it itself (leave it out here)"
    ]
    (tmp_path / "templates" / "footer.mjml.j2").unlink()
    layout = '{% extends "default:digest.mjml.j2" %}\n{% block footer %}\n' + footer + "{% endblock %}\n"
    found = problems(tmp_path, {"digest.mjml.j2": layout}, monkeypatch)
    assert found == [
        "templates/digest.mjml.j2:4: </mj-body> closes the <mj-body> of the default digest.mjml.j2, "
        "which closes it itself (leave it out here)"
    ]
    (tmp_path / "templates" / "digest.mjml.j2").unlink()
    extra = problems(tmp_path, {"footer.mjml.j2": footer.replace("\n</mj-body>", "</mj-section>")}, monkeypatch)
    assert extra == ["templates/footer.mjml.j2:1: </mj-section> closes no open tag"]


def test_a_tag_left_open_is_one_line_not_one_per_child(tmp_path, monkeypatch):
    footer = """\
    <mj-section><mj-column>
      <mj-divider>
      <mj-text>One</mj-text>
      <mj-text>Two</mj-text>
    </mj-column></mj-section>
    """
    found = problems(tmp_path, {"footer.mjml.j2": footer}, monkeypatch)
    assert found == ["templates/footer.mjml.j2:2: <mj-divider> is never closed (end it with <mj-divider />)"]
    column = (
        "<mj-section>\n<mj-column>\n<mj-text>One</mj-text>\n<mj-column><mj-text>Two</mj-text></mj-column>\n"
        "</mj-section>\n"
    )
    found = problems(tmp_path, {"footer.mjml.j2": column}, monkeypatch)
    assert found == ["templates/footer.mjml.j2:2: <mj-column> is never closed (close it with </mj-column>)"]
    closed = problems(
        tmp_path, {"footer.mjml.j2": footer.replace("<mj-divider>", "<mj-divider></mj-divider>")}, monkeypatch
    )
    assert closed == []


@pytest.mark.parametrize(
    ("footer", "said"),
    [
        ("{% if newsletter.url %}\n<mj-section></mj-section>\n", ":1: {% if %} is never closed"),
        ("<mj-section>{{ trend.nam }}</mj-section>\n", ":1: 'trend' is undefined"),
        ("<mj-section>{{ newsletter.title | shout }}</mj-section>\n", ":1: No filter named 'shout'"),
        ('\n{% include "missing.mjml.j2" %}\n', ":2: template not found: missing.mjml.j2"),
        ("<mj-section><mj-column><mj-text><b>Bye</mj-text></mj-column></mj-section>\n", ":1: <b> is never closed"),
        ("<mj-section><mj-column><mj-text>Bye</mj-text></mj-column>\n", ":1: <mj-section> is never closed"),
        ("<mj-section><mj-column><mj-text>1 < 2</mj-text></mj-column></mj-section>\n", ":1: a bare '<' (write &lt;)"),
    ],
)
def test_any_broken_template_exits_2_and_keeps_the_last_issue(sample, monkeypatch, footer, said):
    monkeypatch.chdir(sample)
    assert run("build", "--week", WEEK).exit_code == 0
    issue = sample / "output" / WEEK
    before = {p.name: p.read_bytes() for p in issue.iterdir()}
    (sample / "templates" / "footer.mjml.j2").write_text(footer)
    for command in ("build", "check"):
        result = run(command, "--week", WEEK) if command == "build" else run(command)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith(f"error: templates/footer.mjml.j2{said}"), result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in issue.iterdir()} == before
