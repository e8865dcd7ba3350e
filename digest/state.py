"""The state database: which article went into which issue, and trend history.

A SQLite file beside `sources.yaml`. It is what lets a weekly cron job never
send the same article twice, and lets a rebuild of a week give that same week
back. Later stages keep their caches here too (HTTP validators, full text).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .errors import DigestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id         TEXT PRIMARY KEY,
    issue      TEXT,              -- ISO week it went into, NULL until then
    first_seen TEXT NOT NULL,     -- UTC time the build first saw it
    source     TEXT NOT NULL,
    title      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_issue ON articles(issue);
CREATE TABLE IF NOT EXISTS pages (
    url        TEXT PRIMARY KEY,
    blocks     TEXT NOT NULL,         -- the extracted full text, as JSON blocks
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS prints (
    id     TEXT PRIMARY KEY,
    issue  TEXT NOT NULL,
    sample TEXT NOT NULL            -- sampled shingle hashes: finds the story again under a new URL
);
CREATE INDEX IF NOT EXISTS prints_issue ON prints(issue);
CREATE TABLE IF NOT EXISTS phrases (
    issue TEXT NOT NULL,
    key   TEXT NOT NULL,             -- one of the issue's strongest phrases
    PRIMARY KEY (issue, key)
);
CREATE TABLE IF NOT EXISTS trends (
    issue    TEXT NOT NULL,
    key      TEXT NOT NULL,       -- normalised name, stable across issues
    name     TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (issue, key)
);
CREATE TABLE IF NOT EXISTS trend_terms (
    issue TEXT NOT NULL,
    key   TEXT NOT NULL,           -- the trend's key, as in trends
    terms TEXT NOT NULL,           -- its signature as JSON {term: weight}: the story known again next week
    PRIMARY KEY (issue, key)
);
CREATE TABLE IF NOT EXISTS feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    entries       INTEGER NOT NULL,  -- how many the feed held
    articles      TEXT NOT NULL,     -- what it gave, as JSON: a 304 costs no parsing
    fetched_at    TEXT NOT NULL
);
"""


class State:
    """A connection to the state file, with the few queries the pipeline needs."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path) if str(path) == ":memory:" else _connect(self.path)
            self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise DigestError(f"{self.path}: cannot open the state file ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db:
            yield

    # Articles -------------------------------------------------------------

    def see(self, articles: Iterable[tuple[str, str, str]], now: datetime | None = None) -> None:
        """Remember (id, source, title) triples not seen before, with the time."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO articles (id, issue, first_seen, source, title) VALUES (?, NULL, ?, ?, ?)",
                [(id_, stamp, source, title) for id_, source, title in articles],
            )

    def _rows(self, select: str, keys: Iterable[str]) -> Iterator[tuple]:
        """`SELECT ... WHERE key IN (...)` for any number of keys, in chunks SQLite accepts."""
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            yield from self.db.execute(select.format(marks=",".join("?" * len(chunk))), chunk)

    def issues_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The issue each known article went into (None: not yet in any)."""
        return dict(self._rows("SELECT id, issue FROM articles WHERE id IN ({marks})", ids))

    def first_seen(self, ids: Iterable[str]) -> dict[str, datetime]:
        rows = self._rows("SELECT id, first_seen FROM articles WHERE id IN ({marks})", ids)
        return {id_: datetime.fromisoformat(stamp) for id_, stamp in rows}

    def assign(self, issue: str, ids: Iterable[str]) -> None:
        """Record that these articles are in `issue`, and only these."""
        with self.db:
            self.db.execute("UPDATE articles SET issue = NULL WHERE issue = ?", (issue,))
            self.db.executemany("UPDATE articles SET issue = ? WHERE id = ?", [(issue, id_) for id_ in ids])

    def store_prints(self, issue: str, prints: Iterable[tuple[str, frozenset[int]]]) -> None:
        """Remember what this issue's articles say, to know a story again under another URL."""
        with self.db:
            self.db.execute("DELETE FROM prints WHERE issue = ?", (issue,))
            self.db.executemany("INSERT OR REPLACE INTO prints VALUES (?, ?, ?)",
                                [(id_, issue, " ".join(map(str, sorted(sample)))) for id_, sample in prints])

    def earlier_prints(self, before: str) -> list[tuple[str, frozenset[int]]]:
        rows = self.db.execute("SELECT id, sample FROM prints WHERE issue < ?", (before,))
        return [(id_, frozenset(int(h) for h in sample.split())) for id_, sample in rows]

    # Feeds: conditional GET -----------------------------------------------

    def feed_validators(self, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """(ETag, Last-Modified) last seen for each URL that has them."""
        rows = self._rows("SELECT url, etag, last_modified FROM feeds WHERE url IN ({marks})", urls)
        return {url: (etag, modified) for url, etag, modified in rows}

    def cached_feed(self, url: str) -> tuple[int, str] | None:
        """(entries, articles JSON) stored for a feed, for a 304."""
        row = self.db.execute("SELECT entries, articles FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def store_feed(self, url: str, etag: str | None, last_modified: str | None, entries: int, articles: str,
                   now: datetime | None = None) -> None:
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?)",
                            (url, etag, last_modified, entries, articles, stamp))

    def pages(self, urls: Iterable[str]) -> dict[str, str]:
        """Full text already extracted, by URL."""
        return dict(self._rows("SELECT url, blocks FROM pages WHERE url IN ({marks})", urls))

    def store_page(self, url: str, blocks: str, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (url, blocks, stamp))

    # Trend history --------------------------------------------------------

    def record_trends(self, issue: str, trends: Iterable[tuple[str, str, int]],
                      terms: Mapping[str, Mapping[str, float]] | None = None) -> None:
        """Replace the history of `issue` with (key, name, article count) rows, and each key's terms."""
        with self.db:
            self.db.execute("DELETE FROM trends WHERE issue = ?", (issue,))
            self.db.execute("DELETE FROM trend_terms WHERE issue = ?", (issue,))
            self.db.executemany(
                "INSERT OR REPLACE INTO trends (issue, key, name, articles) VALUES (?, ?, ?, ?)",
                [(issue, key, name, count) for key, name, count in trends],
            )
            self.db.executemany("INSERT OR REPLACE INTO trend_terms VALUES (?, ?, ?)",
                                [(issue, key, json.dumps(dict(t), sort_keys=True)) for key, t in (terms or {}).items()])

    def record_phrases(self, issue: str, keys: Iterable[str]) -> None:
        with self.db:
            self.db.execute("DELETE FROM phrases WHERE issue = ?", (issue,))
            self.db.executemany("INSERT OR IGNORE INTO phrases VALUES (?, ?)", [(issue, key) for key in keys])

    def phrase_history(self, before: str, issues: int = 8) -> dict[str, int]:
        """In how many of the last `issues` issues before `before` each phrase was strong."""
        rows = self.db.execute(
            "SELECT key, COUNT(*) FROM phrases WHERE issue IN (SELECT DISTINCT issue FROM phrases "
            "WHERE issue < ? ORDER BY issue DESC LIMIT ?) GROUP BY key", (before, issues))
        return dict(rows)

    def trend_history(self, before: str, issues: int = 4) -> list[dict[str, int]]:
        """Article counts per trend key for the last `issues` issues before `before`, newest first."""
        history = []
        for week in self._trend_weeks(before, issues):
            rows = self.db.execute("SELECT key, articles FROM trends WHERE issue = ?", (week,))
            history.append(dict(rows))
        return history

    def story_history(self, before: str, issues: int = 4) -> list[dict[str, tuple[int, dict[str, float]]]]:
        """`trend_history` with each trend's terms: key -> (articles, {term: weight}), newest first."""
        history = []
        for counts, week in zip(self.trend_history(before, issues), self._trend_weeks(before, issues), strict=True):
            terms = dict(self.db.execute("SELECT key, terms FROM trend_terms WHERE issue = ?", (week,)))
            history.append({key: (n, json.loads(terms.get(key, "{}"))) for key, n in counts.items()})
        return history

    def _trend_weeks(self, before: str, issues: int) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT issue FROM trends WHERE issue < ? ORDER BY issue DESC LIMIT ?", (before, issues))]


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db
