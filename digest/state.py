"""The state database: which article went into which issue, and trend history.

A SQLite file beside `sources.yaml`. It is what lets a weekly cron job never
send the same article twice, and lets a rebuild of a week give that same week
back: each issue's articles are kept whole, so a feed that is down on the day
of a rebuild costs nothing. Later stages keep their caches here too (HTTP
validators, full text).

The file is in WAL mode, so readers (a preview's scratch copy) never wait for
a writer; writes wait up to BUSY_TIMEOUT for another program's lock, then fail
with one line. Commands that write take `writer_lock()` first: one at a time.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .errors import DigestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id         TEXT PRIMARY KEY,
    issue      TEXT,              -- ISO week it went into, NULL until then
    first_seen TEXT NOT NULL,     -- UTC time the build first saw it
    source     TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT,              -- the whole article as JSON, once it is in an issue
    out_of     TEXT               -- the issue the editor took it out of: only a later one may take it
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
BUSY_TIMEOUT = 10.0  # seconds a write waits for another program's lock on the file
EX_TEMPFAIL = 75  # sysexits.h: try again later, what cron wrappers and systemd understand

# Apart from SCHEMA so the sending side stays one small, separate change.
SENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    issue      TEXT NOT NULL,     -- ISO week of the issue
    recipient  TEXT NOT NULL,     -- the address, lower-cased
    message_id TEXT NOT NULL,     -- of the message the server accepted
    sent_at    TEXT NOT NULL,     -- UTC
    PRIMARY KEY (issue, recipient)
);
"""


class State:
    """A connection to the state file, with the few queries the pipeline needs."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._depth = 0
        try:
            self.db = _connect(self.path)
            self.db.executescript(SCHEMA)
            self.db.executescript(SENT_SCHEMA)
            _migrate(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise DigestError(f"{self.path}: cannot open the state file ({_reason(exc)})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together, or none of them (nested: part of the outer one)."""
        try:
            with self._writing():
                yield
        except sqlite3.Error as exc:
            raise DigestError(f"{self.path}: cannot write the state file ({_reason(exc)})") from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock up front, so a program holding the file
        # fails us here (after BUSY_TIMEOUT), before anything is half done.
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self.db.in_transaction:
                self.db.rollback()
            raise
        self._depth = 0
        self.db.commit()

    # Articles -------------------------------------------------------------

    def store_articles(self, issue: str, bodies: Iterable[tuple[str, str]]) -> None:
        """Keep the whole text of each (id, JSON) article of `issue`: a rebuild needs no source."""
        with self.transaction():
            self.db.executemany(
                "UPDATE articles SET body = ? WHERE id = ? AND issue = ?", [(body, id_, issue) for id_, body in bodies]
            )

    def issue_articles(self, issue: str) -> list[str]:
        """The stored articles (JSON) of an issue already built, in no particular order."""
        rows = self.db.execute("SELECT body FROM articles WHERE issue = ? AND body IS NOT NULL", (issue,))
        return [body for (body,) in rows]

    def issue_size(self, issue: str) -> int:
        """How many articles the issue holds now (0: never built)."""
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE issue = ?", (issue,)).fetchone()[0]

    def knows(self, id_: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (id_,)).fetchone() is not None

    def forget(self, id_: str, never: bool = False) -> str | None:
        """Take an article out of its issue: a later issue may take it (or, `never`, none will).

        A rebuild of the issue it was in leaves it out, though its source still has
        it: the editor took it out of that week. Returns the issue it was in (None:
        in none). Unknown ids raise KeyError.
        """
        row = self.db.execute("SELECT issue FROM articles WHERE id = ?", (id_,)).fetchone()
        if row is None:
            raise KeyError(id_)
        with self.transaction():
            self.db.execute("DELETE FROM prints WHERE id = ?", (id_,))
            if never:
                self.db.execute("UPDATE articles SET issue = ?, body = NULL WHERE id = ?", (NEVER, id_))
            else:  # an article kept out for good is only let back in: no week to keep it out of
                self.db.execute(
                    "UPDATE articles SET out_of = CASE WHEN issue IS NULL OR issue = ? THEN out_of "
                    "ELSE issue END, issue = NULL, body = NULL WHERE id = ?",
                    (NEVER, id_),
                )
        return row[0]

    def taken_out(self, ids: Iterable[str]) -> dict[str, str]:
        """The issue the editor took each of these articles out of (only those taken out and in none since)."""
        return dict(self._rows("SELECT id, out_of FROM articles WHERE out_of IS NOT NULL AND id IN ({marks})", ids))

    def see(self, articles: Iterable[tuple[str, str, str]], now: datetime | None = None) -> None:
        """Remember (id, source, title) triples not seen before, with the time."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO articles (id, issue, first_seen, source, title) VALUES (?, NULL, ?, ?, ?)",
                [(id_, stamp, source, title) for id_, source, title in articles],
            )

    def _rows(self, select: str, keys: Iterable[str]) -> Iterator[tuple]:
        """`SELECT ... WHERE key IN (...)` for any number of keys, in chunks SQLite accepts."""
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            yield from self.db.execute(select.format(marks=",".join("?" * len(chunk))), chunk)

    def issues_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The issue each known article went into (None: not yet in any)."""
        return dict(self._rows("SELECT id, issue FROM articles WHERE id IN ({marks})", ids))

    def first_seen(self, ids: Iterable[str]) -> dict[str, datetime]:
        rows = self._rows("SELECT id, first_seen FROM articles WHERE id IN ({marks})", ids)
        return {id_: datetime.fromisoformat(stamp) for id_, stamp in rows}

    def assign(self, issue: str, ids: Iterable[str]) -> None:
        """Record that these articles are in `issue`, and only these."""
        with self.transaction():
            self.db.execute("UPDATE articles SET issue = NULL WHERE issue = ?", (issue,))
            self.db.executemany(
                "UPDATE articles SET issue = ?, out_of = NULL WHERE id = ?", [(issue, id_) for id_ in ids]
            )

    def store_prints(self, issue: str, prints: Iterable[tuple[str, frozenset[int]]]) -> None:
        """Remember what this issue's articles say, to know a story again under another URL."""
        with self.transaction():
            self.db.execute("DELETE FROM prints WHERE issue = ?", (issue,))
            self.db.executemany(
                "INSERT OR REPLACE INTO prints VALUES (?, ?, ?)",
                [(id_, issue, " ".join(map(str, sorted(sample)))) for id_, sample in prints],
            )

    def earlier_prints(self, before: str) -> list[tuple[str, frozenset[int]]]:
        rows = self.db.execute("SELECT id, sample FROM prints WHERE issue < ?", (before,))
        return [(id_, frozenset(int(h) for h in sample.split())) for id_, sample in rows]

    # Feeds: conditional GET -----------------------------------------------

    def feed_validators(self, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """(ETag, Last-Modified) last seen for each URL that has them."""
        rows = self._rows("SELECT url, etag, last_modified FROM feeds WHERE url IN ({marks})", urls)
        return {url: (etag, modified) for url, etag, modified in rows}

    def fresh_feeds(self, urls: Iterable[str], seconds: float, now: datetime | None = None) -> set[str]:
        """The feeds stored less than `seconds` ago."""
        since = ((now or datetime.now(timezone.utc)) - timedelta(seconds=seconds)).isoformat(timespec="seconds")
        return {
            url
            for url, stamp in self._rows("SELECT url, fetched_at FROM feeds WHERE url IN ({marks})", urls)
            if stamp >= since
        }

    def cached_feed(self, url: str) -> tuple[int, str] | None:
        """(entries, articles JSON) stored for a feed, for a 304."""
        row = self.db.execute("SELECT entries, articles FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def store_feed(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        entries: int,
        articles: str,
        now: datetime | None = None,
    ) -> None:
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?)",
                (url, etag, last_modified, entries, articles, stamp),
            )

    def pages(self, urls: Iterable[str]) -> dict[str, str]:
        """Full text already extracted, by URL."""
        return dict(self._rows("SELECT url, blocks FROM pages WHERE url IN ({marks})", urls))

    def store_page(self, url: str, blocks: str, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (url, blocks, stamp))

    # Sending ----------------------------------------------------------------

    def sent_to(self, issue: str) -> set[str]:
        """The recipients (lower-cased addresses) a server has accepted `issue` for."""
        return {row[0] for row in self.db.execute("SELECT recipient FROM sent WHERE issue = ?", (issue,))}

    def record_sent(self, issue: str, recipient: str, message_id: str, now: datetime | None = None) -> None:
        """Only once the server accepted the message: a failed send must be tried again."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO sent VALUES (?, ?, ?, ?)", (issue, recipient.lower(), message_id, stamp)
            )

    # Trend history --------------------------------------------------------

    def record_trends(
        self, issue: str, trends: Iterable[tuple[str, str, int]], terms: Mapping[str, Mapping[str, float]] | None = None
    ) -> None:
        """Replace the history of `issue` with (key, name, article count) rows, and each key's terms."""
        with self.transaction():
            self.db.execute("DELETE FROM trends WHERE issue = ?", (issue,))
            self.db.execute("DELETE FROM trend_terms WHERE issue = ?", (issue,))
            self.db.executemany(
                "INSERT OR REPLACE INTO trends (issue, key, name, articles) VALUES (?, ?, ?, ?)",
                [(issue, key, name, count) for key, name, count in trends],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO trend_terms VALUES (?, ?, ?)",
                [(issue, key, json.dumps(dict(t), sort_keys=True)) for key, t in (terms or {}).items()],
            )

    def record_phrases(self, issue: str, keys: Iterable[str]) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM phrases WHERE issue = ?", (issue,))
            self.db.executemany("INSERT OR IGNORE INTO phrases VALUES (?, ?)", [(issue, key) for key in keys])

    def phrase_history(self, before: str, issues: int = 8) -> dict[str, int]:
        """In how many of the last `issues` issues before `before` each phrase was strong."""
        rows = self.db.execute(
            "SELECT key, COUNT(*) FROM phrases WHERE issue IN (SELECT DISTINCT issue FROM phrases "
            "WHERE issue < ? ORDER BY issue DESC LIMIT ?) GROUP BY key",
            (before, issues),
        )
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
        return [
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT issue FROM trends WHERE issue < ? ORDER BY issue DESC LIMIT ?", (before, issues)
            )
        ]


NEVER = "never"  # the issue of an article the editor took out for good: no week's label sorts like it


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions, `_writing()` says where each begins and ends.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Older state files gain the newer columns; their issues rebuild as before."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    for column in ("body", "out_of"):
        if column not in columns:
            db.execute(f"ALTER TABLE articles ADD COLUMN {column} TEXT")


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{text}: another program holds it"
    return text


def copy_state(source: Path, target: Path) -> None:
    """A consistent copy of the state file for a look that must change nothing (preview, collect, --dry-run).

    Read through SQLite's backup, not by copying bytes, so a build writing at the same
    moment gives a whole snapshot; the source is opened read-only and stays byte-identical.
    """
    if not source.exists():
        return
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise DigestError(f"{source}: cannot read the state file ({_reason(exc)})") from None


@contextmanager
def writer_lock(state_path: Path, command: str = "digest build") -> Iterator[str | None]:
    """Hold the state's lock for one command that writes it; yields a warning when a dead run's lock was taken over.

    A POSIX record lock on `<state>.lock`: the kernel releases it when its process
    dies, however it dies, and unlike flock() it is not shared with forked children
    (the feed parsers' worker pool), so an orphaned worker of a killed build cannot
    keep it. The file's text (pid, start time, command) is what the error and the
    take-over warning tell.
    """
    lock = state_path.with_name(state_path.name + ".lock")
    key = _key(lock)
    if key in _HELD:  # POSIX locks never conflict within one process: say so ourselves
        raise _busy(_HELD[key])
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DigestError(f"{lock}: cannot create the lock file ({exc.strerror or exc})") from None
    try:
        if not _try_lock(fd, fcntl.LOCK_EX):
            raise _busy(os.pread(fd, 4096, 0))
        left = _holder(os.pread(fd, 4096, 0))
        stale = (
            (
                f"{lock.name}: took over the lock of {left[0] or 'a digest command'} ({left[1]}), "
                f"which is no longer running"
            )
            if left[1]
            else None
        )
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        text = f"{os.getpid()} {started} {command}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, text, 0)
        _HELD[key] = text
        try:
            yield stale
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)  # an empty lock file: nobody is running, nothing to take over
    finally:
        os.close(fd)  # closing releases the lock


def check_unlocked(state_path: Path) -> None:
    """Fail at once (75) when another command holds the state's lock: before a build spends time importing.

    Only a first look; `writer_lock()` is what makes sure.
    """
    lock = state_path.with_name(state_path.name + ".lock")
    if _key(lock) in _HELD:  # held here: opening and closing the file would drop our own POSIX lock
        raise _busy(_HELD[_key(lock)])
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return  # no lock file: nobody has run here yet (or writer_lock will say what is wrong)
    try:
        if not _try_lock(fd, fcntl.LOCK_SH):
            raise _busy(os.pread(fd, 4096, 0))
    finally:
        os.close(fd)


# The locks this process holds, by lock file, with their text: a POSIX lock does not stop the process
# that holds it from locking again, and closing any other descriptor of the file would release it.
_HELD: dict[str, bytes] = {}


def _key(lock: Path) -> str:
    return str(lock.resolve())


def _try_lock(fd: int, kind: int) -> bool:
    try:
        fcntl.lockf(fd, kind | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):  # POSIX lets either mean "held by another process"
            return False
        raise
    return True


def _busy(text: bytes) -> DigestError:
    command, holder = _holder(text)
    # Empty text: the other run took the lock a moment ago and has not written its pid yet.
    return DigestError(
        f"another {command or 'digest command'} is running ({holder or 'it has just started'})", exit_code=EX_TEMPFAIL
    )


def _holder(text: bytes) -> tuple[str, str]:
    """(command, "pid 4242, since 06:00:03") from a lock file's text; ("", "") when empty."""
    parts = text.decode("utf-8", "replace").split(maxsplit=2)
    if len(parts) < 2:
        return "", ""
    pid, started = parts[0], parts[1]
    try:
        moment = datetime.fromisoformat(started)
        since = moment.strftime("%H:%M:%S" if moment.date() == datetime.now().date() else "%Y-%m-%d %H:%M:%S")
    except ValueError:
        since = started
    return (parts[2].strip() if len(parts) > 2 else ""), f"pid {pid}, since {since}"
