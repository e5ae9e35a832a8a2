"""Stage 5: claims. Who said what, with which numbers, about when.

`extract_claims(stories, articles)` fills every story's `entities` and `claims`;
`extract_story_claims(story, articles_by_id)` does one story. An article whose reading
fails raises `ClaimsError` naming it, or, given `on_error`, is reported there and left
out while the run goes on. The pieces each do one job and can be used alone: `numbers`
(quantity phrases), `timex` (time expressions), `attribution` (source, cue, content on
a parse), `entities` (names and their aliases across a story), `extract` (the stage).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from crosswire.claims.cache import ReadCache
from crosswire.claims.errors import ClaimsError

if TYPE_CHECKING:
    from crosswire.model import Article, Story


def extract_claims(
    stories: Sequence[Story],
    articles: Sequence[Article],
    on_error: Callable[[ClaimsError], None] | None = None,
    cache: ReadCache | None = None,
) -> None:
    # imported here so that `crosswire.claims.numbers` and friends stay importable
    # without loading spaCy
    from crosswire.claims.extract import extract_claims as run

    run(stories, articles, on_error, cache)


def extract_story_claims(story: Story, articles: Mapping[str, Article]) -> None:
    from crosswire.claims.extract import extract_story_claims as run

    run(story, articles)


__all__ = ["ClaimsError", "ReadCache", "extract_claims", "extract_story_claims"]
