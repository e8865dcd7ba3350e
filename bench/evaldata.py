"""Where the benchmarks find the evaluation data: ../shared/ beside the project, or a flag."""

from __future__ import annotations

import argparse
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def folder(text: str) -> Path:
    """An argparse type: an existing folder, or one clear line and exit 2 (never a traceback)."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"no such folder '{text}' (the evaluation data is in ../shared/ beside the project; give its path)"
        )
    return path
