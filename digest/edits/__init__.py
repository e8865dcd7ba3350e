"""The editor's edits to one issue: `edits/2024-W17.yaml` beside `sources.yaml`.

The draft is the machine's; the edits file is the editor's, kept in their
repository. It names trends and bullets by keys that survive a rebuild (a
trend's key comes from the words of its draft name, a bullet's from its
draft text and its trend's key), so a rebuild of the week applies the same
edits again. An edit whose target is gone is one warning, never an error.

    note: A word from the editor, at the top of the issue.
    trends:
      agents-tool-use: {pin: true, name: Agents}
      benchmarks-evaluation: {drop: true}
      small-efficient-models: {move: 1}          # 1 = the first trend
    bullets:
      3fa2b1c9: {text: A sharper sentence.}
      77d0e5aa: {drop: true}
    articles:
      drop: [https://example.org/weak-post]
      add: [{title: A post worth reading, url: https://example.org/good, source: Editor}]
"""

from __future__ import annotations

from .apply import added_id, apply_edits, edited_digest
from .file import (
    AddedArticle,
    BulletEdit,
    Edits,
    EditsError,
    TrendEdit,
    check_edits,
    edits_path,
    load_edits,
    parse_edits,
    save_edits,
    to_yaml,
)
from .keys import bullet_key, keyed, trend_key

__all__ = [
    "AddedArticle",
    "added_id",
    "BulletEdit",
    "Edits",
    "EditsError",
    "TrendEdit",
    "apply_edits",
    "bullet_key",
    "check_edits",
    "edited_digest",
    "edits_path",
    "keyed",
    "load_edits",
    "parse_edits",
    "save_edits",
    "to_yaml",
    "trend_key",
]
