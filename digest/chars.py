"""Characters an email cannot carry: one definition for the readers and the config."""

from __future__ import annotations

import re

# XML 1.0 has no place for C0 controls other than tab, newline and CR, for lone
# surrogates or for U+FFFE/U+FFFF, and HTML none for C1 controls and the other
# non-characters. One of them in one note and MJML refuses the whole issue, so
# they go as text leaves a reader. Vertical tab, form feed and NEL were spacing.
_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
UNCARRIABLE_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def uncarriable(text: str) -> str | None:
    """The first character of `text` that XML or HTML cannot carry, as U+XXXX, or None."""
    found = UNCARRIABLE_RE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
