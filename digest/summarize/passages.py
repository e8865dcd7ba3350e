"""Split articles into passages: sentences of paragraphs, whole list items.

Headings are not candidates for bullets but give every passage below them its
section, which later tells what the passage is about.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Article, Passage
from .text import split_sentences

# A list item this long is prose that happens to be indented: split it.
MAX_ITEM_WORDS = 60


def split_passages(article: Article) -> list[Passage]:
    """The passages of one article, in reading order."""
    passages: list[Passage] = []
    sections: dict[int, str] = {}
    section = ""
    first = article.blocks[0] if article.blocks else None
    if article.title and not (first and first.kind == "heading" and first.text == article.title):
        # The title says what the article is about; it is never a bullet itself.
        passages.append(_passage(article, article.title, "heading", "", 0, -1))
    for index, block in enumerate(article.blocks):
        if block.kind == "heading":
            sections = {level: text for level, text in sections.items() if level < block.level}
            sections[block.level] = block.text
            section = block.text
            passages.append(_passage(article, block.text, "heading", section, len(passages), index))
            continue
        if block.kind == "item" and len(block.text.split()) <= MAX_ITEM_WORDS:
            passages.append(_passage(article, block.text, "item", section, len(passages), index))
            continue
        for sentence in split_sentences(block.text):
            kind = "item" if block.kind == "item" else "sentence"
            passages.append(_passage(article, sentence, kind, section, len(passages), index))
    return passages


def split_all(articles: Iterable[Article]) -> list[Passage]:
    return [passage for article in articles for passage in split_passages(article)]


def _passage(article: Article, text: str, kind: str, section: str, position: int, block: int) -> Passage:
    return Passage(
        article_id=article.id,
        text=text,
        kind=kind,  # type: ignore[arg-type]
        section=section,
        position=position,
        block=block,
    )
