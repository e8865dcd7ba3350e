"""Fetching feeds over HTTP, with timeouts: feedparser never touches the network."""
from __future__ import annotations

from .. import __version__
from .feed import FeedRead, parse_feed

USER_AGENT = f"digest/{__version__} (+https://github.com/digest-newsletter/digest)"
MAX_BYTES = 20 * 1024 * 1024


def fetch_feed(name: str, url: str, timeout: float = 20.0) -> FeedRead:
    """One feed by URL: its bytes handed to the parser with headers and final URL."""
    import httpx

    try:
        with httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    return FeedRead(error=f"HTTP {response.status_code}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        return FeedRead(error=f"response larger than {MAX_BYTES // 1_000_000} MB")
                    chunks.append(chunk)
                headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in ("content-type",)}
                return parse_feed(name, b"".join(chunks), base_url=str(response.url), headers=headers)
    except httpx.TimeoutException:
        return FeedRead(error="timed out")
    except httpx.ConnectError as exc:
        return FeedRead(error=f"cannot connect ({exc})")
    except httpx.HTTPError as exc:
        return FeedRead(error=f"HTTP error ({exc})")
