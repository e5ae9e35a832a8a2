"""Cheap per-article signals for story grouping: text, entities, lead and time.

Three sparse TF-IDF views are stacked into one matrix whose row dot products are the
weighted mean of three cosines (body words, lead words, entity-like tokens), so one
sparse product yields the combined similarity. Entities come from a regex over
capitalised spans, years, numbers and month/day names: spaCy per article would cost
~100x more, and what separates two earthquakes of the same kind is mostly names,
places, dates and figures, which capitalisation and digits already expose.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from crosswire.model import Article, published_instant

FloatArray = npt.NDArray[np.float64]

# Capitalised runs, allowing short lower-case joiners ("Bank of England", "Abu al Bakr").
_ENTITY_RE = re.compile(
    r"\b[A-Z][\w'’\-]*(?:\s+(?:of|the|de|del|al|la|le|von|van|bin|and|&)?\s*[A-Z][\w'’\-]*)*"
)
_NUMBER_RE = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_ENTITY_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    *("mr", "mrs", "ms", "dr", "said", "says", "according", "just", "new", "news"),
    *("photo", "video", "image", "getty", "associated", "press", "reuters", "ap", "afp"),
    *("update", "updated", "read", "share"),
}
LEAD_CHARS = 400


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    """How much each similarity view counts in the combined cosine."""

    body: float = 1.0
    lead: float = 0.5
    entities: float = 1.0


def entity_terms(text: str) -> list[str]:
    """Entity-like tokens of TEXT: words of capitalised spans, years, other numbers.

    Numbers are prefixed with '#' so that a count never matches a year; sentence-initial
    function words ("The", "But") fall out through the stop list.
    """
    terms: list[str] = []
    for match in _ENTITY_RE.finditer(text):
        for word in match.group().split():
            token = word.strip("'’-").lower()
            if len(token) > 1 and token not in _ENTITY_STOP:
                terms.append(token)
    for number in _NUMBER_RE.findall(text):
        plain = number.replace(",", "")
        terms.append(plain if _YEAR_RE.fullmatch(plain) else "#" + plain)
    return terms


def body_text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


def lead_text(article: Article) -> str:
    """Title plus the opening of the text: what a reader sees first, where the news is."""
    opening = article.text[:LEAD_CHARS]
    return f"{article.title} {opening}" if article.title else opening


def published_days(published: str | None) -> float:
    """Days since the epoch of an ISO 8601 time (UTC when naive); NaN when unknown or bad."""
    moment = published_instant(published)
    return math.nan if moment is None else moment.timestamp() / 86400.0


def _tfidf(texts: Sequence[str] | Sequence[list[str]], **options: object) -> sp.csr_matrix:
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # empty vocabulary: no view to compare on, every cosine is 0
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)


def similarity_matrix(articles: Sequence[Article], weights: FeatureWeights) -> sp.csr_matrix:
    """Rows whose dot products are the weighted mean of the body, lead and entity cosines."""
    bodies = [body_text(article) for article in articles]
    views = [
        (weights.body, _tfidf(bodies, stop_words="english")),
        (weights.lead, _tfidf([lead_text(a) for a in articles], stop_words="english")),
        (
            weights.entities,
            _tfidf(
                [entity_terms(text) for text in bodies],
                analyzer=lambda terms: terms,
            ),
        ),
    ]
    total = sum(weight for weight, _ in views)
    blocks = [view * np.float32(math.sqrt(weight / total)) for weight, view in views if weight > 0]
    return sp.csr_matrix(sp.hstack(blocks, format="csr", dtype=np.float32))


def time_array(articles: Sequence[Article]) -> FloatArray:
    return np.array([published_days(article.published) for article in articles], dtype=np.float64)
