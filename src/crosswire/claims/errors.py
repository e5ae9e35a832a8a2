"""The claims stage's one exception, importable without loading spaCy."""

from __future__ import annotations


class ClaimsError(Exception):
    """Reading claims failed for one article (`article` is its id) or, when `article` is
    None, while resolving a whole story's entities; the cause is chained (`__cause__`)."""

    def __init__(self, story: str | None, article: str | None, cause: BaseException) -> None:
        self.story = story
        self.article = article
        where = f"article {article}" if article is not None else f"story {story}"
        super().__init__(f"claims of {where}: {type(cause).__name__}: {cause}")
        self.__cause__ = cause
