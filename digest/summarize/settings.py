"""Which settings the summarizer has: the config checks `summarizer:` names here, without importing it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .weights import DEFAULTS


def unknown_weights(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """(name, the closest known weight or None) for each name the summarizer has no weight for."""
    known = sorted(DEFAULTS)
    return [
        (name, next(iter(difflib.get_close_matches(name, known, n=1, cutoff=0.75)), None))
        for name in names
        if name not in DEFAULTS
    ]
