"""Fetching feeds over HTTP (aiohttp): concurrent, polite, never hung by one bad feed.

feedparser never touches the network (it has no timeout): this module gets
the bytes, with connect/read timeouts and a total deadline per feed, at most
two retries with backoff on timeouts, refused connections and 5xx, a size
cap, conditional GET (ETag, Last-Modified) and a User-Agent naming digest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .. import __version__

USER_AGENT = f"digest/{__version__} (newsletter digest generator; +https://pypi.org/project/digest/)"
MAX_BYTES = 20 * 1024 * 1024
RETRIES = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much one feed may take."""

    concurrency: int = 32
    per_host: int = 0  # connections to one host at once (0: no limit of its own)
    connect: float = 5.0
    read: float = 15.0
    deadline: float = 45.0
    max_bytes: int = MAX_BYTES
    backoff: float = 0.5
    fresh: float = 0.0  # seconds a stored feed is used without asking the server (the preview's rebuilds)


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last answer said, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Fetched:
    """One feed's answer: its bytes, or why not."""

    url: str
    status: str  # ok | not-modified | failed
    body: bytes = b""
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    moved_to: str | None = None  # a permanent redirect: the URL to put in sources.yaml
    retry_after: float | None = None  # seconds the server asked us to wait (429, 503)
    seconds: float = 0.0


def fetch_all(
    urls: Sequence[str],
    validators: Mapping[str, Validators] | None = None,
    limits: Limits = Limits(),
    progress: Callable[[Fetched], None] | None = None,
) -> dict[str, Fetched]:
    """Fetch every URL concurrently; each result says ok, not-modified or failed."""
    work = _fetch_all(list(dict.fromkeys(urls)), validators or {}, limits, progress)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    # Called from code that already runs an event loop (a notebook, a server): use a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _fetch_all(urls, validators, limits, progress) -> dict[str, Fetched]:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=None, connect=limits.connect, sock_read=limits.read)
    connector = aiohttp.TCPConnector(limit=limits.concurrency, limit_per_host=limits.per_host, ttl_dns_cache=300)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=connector, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    ) as session:

        async def one(url: str) -> Fetched:
            started = time.perf_counter()
            try:
                result = await asyncio.wait_for(
                    _with_retries(session, url, validators.get(url), limits), timeout=limits.deadline
                )
            except asyncio.TimeoutError:
                result = Fetched(url, "failed", error=f"timed out (no answer within {limits.deadline:g} s)")
            result.seconds = time.perf_counter() - started
            if progress:
                progress(result)
            return result

        results = await asyncio.gather(*(one(url) for url in urls))
    return {result.url: result for result in results}


_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"


async def _with_retries(session, url: str, validators: Validators | None, limits: Limits) -> Fetched:
    for attempt in range(RETRIES + 1):
        result, retry = await _get(session, url, validators, limits)
        if not retry or attempt == RETRIES:
            return result
        # A server that says when to come back (429, 503) is heeded, within the feed's deadline.
        wait = result.retry_after if result.retry_after is not None else limits.backoff * (2**attempt)
        await asyncio.sleep(min(wait, limits.deadline / 3))
    return result  # pragma: no cover - the loop always returns


async def _get(session, url: str, validators: Validators | None, limits: Limits) -> tuple[Fetched, bool]:
    """One attempt; the flag says whether trying again could help."""
    import aiohttp

    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    try:
        async with session.get(url, headers=headers, max_redirects=8) as response:
            moved = _permanent_redirect(response)
            if response.status == 304:
                return Fetched(url, "not-modified", final_url=str(response.url), moved_to=moved), False
            if response.status >= 400:
                return Fetched(
                    url,
                    "failed",
                    error=_http_error(response.status),
                    moved_to=moved,
                    retry_after=_retry_after(response.headers.get("Retry-After")),
                ), response.status >= 500 or response.status == 429
            chunks, size = [], 0
            async for chunk in response.content.iter_chunked(65536):
                size += len(chunk)
                if size > limits.max_bytes:
                    return Fetched(
                        url, "failed", error=f"larger than {limits.max_bytes // 1_000_000} MB, not read"
                    ), False
                chunks.append(chunk)
            kept = {
                k.lower(): v
                for k, v in response.headers.items()
                if k.lower() in ("content-type", "etag", "last-modified", "content-location")
            }
            return Fetched(url, "ok", b"".join(chunks), str(response.url), kept, moved_to=moved), False
    except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
        return Fetched(url, "failed", error="timed out"), True
    except aiohttp.TooManyRedirects:
        return Fetched(url, "failed", error="too many redirects"), False
    except aiohttp.ClientConnectorError as exc:
        error = _connect_error(exc)
        return Fetched(url, "failed", error=error), error == "connection refused"
    except (aiohttp.ClientError, OSError) as exc:
        return Fetched(url, "failed", error=f"network error ({type(exc).__name__}: {exc})"), True


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number of seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _permanent_redirect(response) -> str | None:
    """Where the permanent redirects (301/308) at the start of the chain lead, for the editor
    to update sources.yaml; a temporary hop after them is the site's business, not the feed's."""
    history, moved = response.history, None
    for i, hop in enumerate(history):
        if hop.status not in (301, 308):
            break
        moved = str(history[i + 1].url if i + 1 < len(history) else response.url)
    return moved


def _http_error(status: int) -> str:
    if status == 410:
        return "HTTP 410 Gone: the feed was removed, remove it from sources.yaml"
    if status == 404:
        return "HTTP 404 Not Found"
    return f"HTTP {status}"


def _connect_error(exc: Exception) -> str:
    import socket

    cause: BaseException | None = getattr(exc, "os_error", None) or exc
    while cause is not None:  # the socket error is wrapped: look underneath
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "DNS: no such host"
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "name resolution" in lowered:
        return "DNS: no such host"
    if "refused" in lowered:
        return "connection refused"
    return f"cannot connect ({text or type(exc).__name__})"
