"""The dependencies the design promises: stages never read the config; the pipeline knows their faces alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "digest"
STAGES = ("collect", "summarize", "render")


def package_imports(path: Path) -> set[str]:
    """The modules of the package a file imports, as paths from `digest/` (`collect.fetch`, `config`)."""
    here = path.parent.relative_to(PACKAGE).parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(here[: len(here) - (node.level - 1)])
            module = [*base, *node.module.split(".")] if node.module else base
            found.add(".".join(module)) if node.module else found.update(
                ".".join([*module, alias.name]) for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("digest."):
            found.add(node.module.removeprefix("digest."))
    return found


def test_no_stage_imports_the_config_or_another_stage():
    for stage in STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            for module in package_imports(path):
                top = module.split(".")[0]
                assert top != "config", f"{path.relative_to(PACKAGE)} imports the config"
                assert top not in set(STAGES) - {stage}, f"{path.relative_to(PACKAGE)} imports {module}"
    code = "import sys, digest.collect, digest.summarize, digest.render; print('digest.config' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "False\n", result.stderr


def test_the_pipeline_uses_only_the_stages_faces():
    deeper = sorted(m for m in package_imports(PACKAGE / "pipeline.py") if m.split(".")[0] in STAGES and "." in m)
    assert deeper == [], f"pipeline.py reaches into {deeper}"
    assert package_imports(PACKAGE / "pipeline.py") >= {"collect", "summarize", "render"}
