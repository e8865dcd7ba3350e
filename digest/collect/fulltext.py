"""Full text where feeds give teasers: the linked page, fetched and extracted.

Per source, `fulltext: auto` (the default) fetches the page of an entry
whose text is shorter than TEASER_WORDS, `always` every entry's, `never`
none. Only the articles of the issue being built are fetched, concurrently
under the same limits as feeds, and the extracted text is kept in the state
file by URL, so a page is fetched once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..models import Article, Block, Source, replace
from ..state import State
from .clean import clean_article
from .fetch import Limits, fetch_all
from .local import UnreadableFile, read_html_bytes

TEASER_WORDS = 150


def wants_full_text(article: Article, mode: str) -> bool:
    if mode == "never" or not article.url:
        return False
    return mode == "always" or len(article.text.split()) < TEASER_WORDS


def fill_full_text(
    articles: Sequence[Article], sources: Sequence[Source], state: State, limits: Limits | None = None
) -> tuple[list[Article], list[str]]:
    """The articles with teasers replaced by their pages' text; one warning per page that failed."""
    modes = {s.name: s.fulltext for s in sources if s.kind == "feed"}
    wanted = [a for a in articles if a.source in modes and wants_full_text(a, modes[a.source])]
    if not wanted:
        return list(articles), []
    urls = [a.url for a in wanted if a.url]  # wants_full_text() takes only articles with a URL
    stored = state.pages(urls)
    missing = [url for url in urls if url not in stored]
    warnings = []
    for url, answer in (fetch_all(missing, None, limits or Limits()) if missing else {}).items():
        if answer.status != "ok":
            warnings.append(f"{url}: full text not fetched ({answer.error})")
            continue
        try:
            blocks = read_html_bytes(answer.body, url).blocks
        except UnreadableFile as exc:
            warnings.append(f"{url}: full text not extracted ({exc})")
            continue
        stored[url] = json.dumps([[b.kind, b.text, b.level] for b in blocks], ensure_ascii=False)
        state.store_page(url, stored[url])
    result = []
    for article in articles:
        page = stored.get(article.url) if article.url and article in wanted else None
        blocks = tuple(Block(kind, text, level) for kind, text, level in json.loads(page)) if page else ()
        longer = len(" ".join(b.text for b in blocks).split()) > len(article.text.split())
        result.append(clean_article(replace(article, blocks=blocks)) if longer else article)
    return result, warnings
