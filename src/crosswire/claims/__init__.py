"""Stage 5: claims. Who said what, with which numbers, about when.

`extract_claims(stories, articles)` fills every story's `entities` and `claims`.
The pieces each do one job and can be used alone: `numbers` (quantity phrases),
`timex` (time expressions), `attribution` (source, cue, content on a parse),
`entities` (names and their aliases across a story), `extract` (the stage itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crosswire.model import Article, Story


def extract_claims(stories: Sequence[Story], articles: Sequence[Article]) -> None:
    # imported here so that `crosswire.claims.numbers` and friends stay importable
    # without loading spaCy
    from crosswire.claims.extract import extract_claims as run

    run(stories, articles)


__all__ = ["extract_claims"]
