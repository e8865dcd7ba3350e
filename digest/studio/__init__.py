"""The preview studio: `digest preview`'s session, pages and editing controls."""

from __future__ import annotations

from .session import Studio

__all__ = ["Studio"]
