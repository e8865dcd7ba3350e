"""digest's MJML validator against node MJML's own (`mjml --validate strict`), on broken and valid templates.

Each case in bench/mjml_cases/ (or --cases DIR) is one file: comment lines,
`expect: FILE:LINE RULE TAG [ATTRIBUTE]` lines, then the newsletter's
template files, each after a `=== NAME` line. `broken/` cases list every
problem they hold; `valid/` cases expect none. For each case the templates
are rendered over the packaged defaults (a made-up issue, as `digest check`
renders), and

- digest validates them (digest/render/validate.py);
- node MJML validates the very MJML they render, with the CLI, and each of
  its problems is mapped from its line in the rendered MJML back to the
  template line that wrote it (the same line markers digest uses).

digest also reports two things node does not, because mjml-python (which
compiles the email) reads them otherwise: a closing tag that closes nothing
(closingTag), an attribute value without quotes (quotedValue) and an
<mj-include> (which node reads and mjml-python cannot load); node is judged
without those.

Reported: problems found with the right file and line by each, against the
expectations and against each other, false alarms on valid templates, and the
time of each validator per case in this run.

    mkdir -p /tmp/mjmlnode && (cd /tmp/mjmlnode && npm install mjml@4)
    .venv/bin/python bench/mjml_validate.py --mjml /tmp/mjmlnode/node_modules/.bin/mjml
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.render import made_up_issue  # noqa: E402
from digest.render.context import context  # noqa: E402
from digest.render.sourcemap import LineMarkers, SourceMap, strip  # noqa: E402
from digest.render.templates import default_templates_dir, environment, render  # noqa: E402
from digest.render.validate import rules, validate  # noqa: E402

HERE = Path(__file__).resolve().parent
LAYOUT = "digest.mjml.j2"
Key = tuple[str, int, str, str, str]  # file, line, rule, tag, attribute
# digest's own rules, for markup node MJML reads but mjml-python (which compiles the email) does not:
# node is judged without them.
DIGEST_ONLY = {"closingTag", "quotedValue"}
_NODE_LINE = re.compile(r"^Line (\d+) of (.+?) \((\S+)\) — (.*)$")


@dataclass
class Case:
    name: str
    files: dict[str, str] = field(default_factory=dict)
    expected: set[Key] = field(default_factory=set)


def read_case(path: Path) -> Case:
    case = Case(path.stem)
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("=== "):
            current = []
            case.files[line[4:].strip()] = current  # type: ignore[assignment]
        elif current is not None:
            current.append(line)
        elif line.startswith("expect: "):
            where, rule, tag, *attribute = line[8:].split()
            file, number = where.rsplit(":", 1)
            case.expected.add((file, int(number), rule, tag, attribute[0] if attribute else ""))
    case.files = {name: "".join(lines) for name, lines in case.files.items()}
    return case


def shown(file: str, folder: Path) -> str:
    path = Path(file)
    if path.is_relative_to(folder):
        return path.relative_to(folder).as_posix()
    if path.is_relative_to(default_templates_dir()):
        return "default:" + path.relative_to(default_templates_dir()).as_posix()
    return file


def ours(folder: Path, model: dict) -> tuple[set[Key], float]:
    started = time.perf_counter()
    problems = validate([folder], LAYOUT, model)
    seconds = time.perf_counter() - started
    return {(shown(p.file, folder), p.line or 0, p.rule, p.tag, p.attribute) for p in problems}, seconds


def rendered(folder: Path, model: dict) -> SourceMap:
    return strip(render(environment([folder], html=True, extensions=(LineMarkers,)), LAYOUT, **model))


def node(mjml: str, folder: Path, source: SourceMap, timeout: float) -> tuple[set[Key], float, list[str]]:
    """node MJML's problems in the rendered MJML, each mapped back to its template file and line."""
    target = folder / "rendered.mjml"
    target.write_text(source.text, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [mjml, "--validate", "strict", str(target), "-s"], capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.perf_counter() - started
    starts = [0] + [m.end() for m in re.finditer("\n", source.text)]
    found: set[Key] = set()
    unread: list[str] = []
    for line in (done.stdout + done.stderr).splitlines():
        match = _NODE_LINE.match(line.strip())
        if not match:
            continue
        number, tag, message = int(match.group(1)), match.group(3), match.group(4)
        begin = starts[number - 1] if number - 1 < len(starts) else len(source.text)
        end = starts[number] if number < len(starts) else len(source.text)
        at = source.text.find("<!--" if tag == "mj-raw" else f"<{tag}", begin, end)
        origin = source.origin(at if at >= 0 else begin)
        file, template_line = (shown(origin[0], folder), origin[1]) if origin else ("?", 0)
        for rule, attribute in _node_rules(message):
            found.add((file, template_line, rule, tag, attribute))
        if not _node_rules(message):
            unread.append(line)
    return found, seconds, unread


def _node_rules(message: str) -> list[tuple[str, str]]:
    if message.startswith("Element ") and message.endswith("doesn't exist or is not registered"):
        return [("validTag", "")]
    if match := re.match(r"Attributes? (.+) (?:is|are) illegal$", message):
        return [("validAttributes", a.strip()) for a in match.group(1).split(",")]
    if match := re.match(r"Attribute (\S+) has invalid value", message):
        return [("validTypes", match.group(1))]
    if " cannot be used inside " in message:
        return [("validChildren", "")]
    return []


def fmt(keys: set[Key]) -> str:
    return "; ".join(f"{f}:{n} {r} {t}{' ' + a if a else ''}" for f, n, r, t, a in sorted(keys))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, default=HERE / "mjml_cases", help="folder with broken/ and valid/")
    parser.add_argument(
        "--mjml",
        default=shutil.which("mjml") or "/tmp/mjmlnode/node_modules/.bin/mjml",
        help="node MJML's command line (npm install mjml)",
    )
    parser.add_argument("--no-node", action="store_true", help="digest's validator only")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for one node run")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every case's problems")
    args = parser.parse_args()
    use_node = not args.no_node
    if use_node and not Path(args.mjml).exists():
        print(f"error: {args.mjml}: no node mjml (npm install mjml, or --no-node)", file=sys.stderr)
        return 2

    print(f"rule table: MJML {rules().version}; node: {args.mjml if use_node else 'not run'}")
    totals = dict.fromkeys(
        (
            "expected",
            "node_expected",
            "ours_right",
            "node_right",
            "ours_extra",
            "node_extra",
            "agree",
            "cases",
            "valid_ours",
            "valid_node",
        ),
        0,
    )
    ours_times: list[float] = []
    node_times: list[float] = []
    for kind in ("broken", "valid"):
        paths = sorted((args.cases / kind).glob("*.txt"))
        print(f"\n{kind}: {len(paths)} cases")
        for path in paths:
            case = read_case(path)
            with tempfile.TemporaryDirectory(prefix="mjml-case-") as tmp:
                folder = Path(tmp) / "templates"
                folder.mkdir()
                for name, text in case.files.items():
                    (folder / name).write_text(text, encoding="utf-8")
                model = context(made_up_issue(), [folder])
                mine, seconds = ours(folder, model)
                ours_times.append(seconds)
                theirs: set[Key] = set()
                unread: list[str] = []
                if use_node:
                    theirs, node_seconds, unread = node(args.mjml, folder, rendered(folder, model), args.timeout)
                    node_times.append(node_seconds)
            totals["cases"] += 1
            if kind == "valid":
                totals["valid_ours"] += len(mine)
                totals["valid_node"] += len(theirs)
            totals["expected"] += len(case.expected)
            totals["ours_right"] += len(mine & case.expected)
            totals["ours_extra"] += len(mine - case.expected)
            node_expected = {key for key in case.expected if key[2] not in DIGEST_ONLY and key[3] != "mj-include"}
            totals["node_expected"] += len(node_expected)
            totals["node_right"] += len(theirs & node_expected)
            totals["node_extra"] += len(theirs - node_expected)
            agree = (
                {key for key in mine if key[2] not in DIGEST_ONLY and key[3] != "mj-include"} == theirs
                if use_node
                else None
            )
            totals["agree"] += bool(agree)
            mark = "ok " if mine == case.expected and (not use_node or theirs == node_expected) else "!! "
            print(
                f"  {mark}{case.name:32} expected {len(case.expected)}  digest {len(mine & case.expected)}"
                f"/{len(case.expected)} (+{len(mine - case.expected)})"
                + (
                    f"  node {len(theirs & node_expected)}/{len(node_expected)} (+{len(theirs - node_expected)})"
                    f"  {'same' if agree else 'DIFFERENT'}"
                    if use_node
                    else ""
                )
            )
            if args.verbose or mark == "!! ":
                for label, keys in (("expected", case.expected), ("digest", mine), ("node", theirs)):
                    if keys or label != "node" or use_node:
                        print(f"        {label:8} {fmt(keys)}")
                for line in unread:
                    print(f"        node said (unread): {line}")

    print("\nsummary")
    print(f"  problems expected in broken templates: {totals['expected']}")
    print(
        f"  digest found with the right file:line: {totals['ours_right']}/{totals['expected']}, "
        f"others: {totals['ours_extra']}"
    )
    if use_node:
        print(
            f"  node found with the right file:line:   {totals['node_right']}/{totals['node_expected']} "
            f"(node's four rules), others: {totals['node_extra']}"
        )
        print(
            f"  cases where both found the same:       {totals['agree']}/{totals['cases']} "
            f"(digest's own {', '.join(sorted(DIGEST_ONLY))} and mj-include aside)"
        )
    print(
        f"  problems on valid templates: digest {totals['valid_ours']}"
        + (f", node {totals['valid_node']}" if use_node else "")
    )
    median = statistics.median(ours_times)
    print(
        f"  time per case: digest {median * 1000:.1f} ms (median)"
        + (
            f", node CLI {statistics.median(node_times):.2f} s (median), node/digest "
            f"{statistics.median(node_times) / median:.0f}x"
            if use_node
            else ""
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
