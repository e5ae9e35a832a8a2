"""Per-article terms for story grouping, and document frequencies that grow with a stream.

The batch features (`features.similarity_matrix`) fit TF-IDF on a whole batch. A
stream cannot: it sees one article at a time and must never refit the world. So an
article is kept as its raw sublinear term counts (1 + ln tf) in the same three views,
tokenised exactly as the batch tokenises them, and weighted at comparison time by an
IDF read from document counts that every original adds to. The IDF is sklearn's
smooth one, ln((1 + N) / (1 + df)) + 1, so that with the same counts a stream and a
batch weigh a term alike.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from crosswire.model import Article
from crosswire.stories.features import FeatureWeights, body_text, entity_terms, lead_text

# term -> 1 + ln(count): what an article keeps of one view
Terms = dict[str, float]
VIEWS = ("body", "lead", "entities")

# the batch's word analyzer (default token pattern, lower case, English stop words)
_WORDS = TfidfVectorizer(stop_words="english").build_analyzer()


def _sublinear(tokens: Iterable[str]) -> Terms:
    return {term: 1.0 + math.log(count) for term, count in Counter(tokens).items()}


def article_terms(article: Article) -> list[Terms]:
    """The body, lead and entity views of ARTICLE, in the order of `VIEWS`."""
    body = body_text(article)
    return [
        _sublinear(_WORDS(body)),
        _sublinear(_WORDS(lead_text(article))),
        _sublinear(entity_terms(body)),
    ]


def view_weights(weights: FeatureWeights) -> list[float]:
    """Each view's share of the combined cosine, as the batch stacks them."""
    raw = [weights.body, weights.lead, weights.entities]
    total = sum(raw)
    return [w / total if total > 0 else 0.0 for w in raw]


class DocumentFrequencies:
    """How many originals hold each term, per view; the IDF of a stream.

    Counts only grow (a retired story's originals still count: they were news), so
    the IDF drifts slowly and never has to be refitted. The table grows with the
    vocabulary, not with the number of articles (Heaps' law); `prune` caps it.
    """

    def __init__(self, documents: int = 0, counts: list[dict[str, int]] | None = None) -> None:
        self.documents = documents
        self.counts: list[dict[str, int]] = counts or [{} for _ in VIEWS]

    def add(self, terms: list[Terms]) -> None:
        self.documents += 1
        for counts, view in zip(self.counts, terms, strict=True):
            for term in view:
                counts[term] = counts.get(term, 0) + 1

    def idf(self, view: int, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.counts[view].get(term, 0))) + 1.0

    def norm(self, view: int, terms: Terms) -> float:
        """L2 norm of TERMS weighted by the current IDF (1.0 for an empty view)."""
        counts = self.counts[view]
        top = 1 + self.documents
        total = 0.0
        for term, tf in terms.items():
            weight = tf * (math.log(top / (1 + counts.get(term, 0))) + 1.0)
            total += weight * weight
        return math.sqrt(total) if total > 0 else 1.0

    def prune(self, max_terms: int, held: Sequence[Container[str]]) -> int:
        """Drop terms seen once when a view holds more than MAX_TERMS; returns how many.

        A term seen once and held by no active member (HELD, per view) can never link
        two articles already seen; forgetting it moves its IDF by at most ln 2 for the
        next article that uses it.
        """
        dropped = 0
        for counts, active in zip(self.counts, held, strict=True):
            if len(counts) <= max_terms:
                continue
            rare = [t for t, n in counts.items() if n <= 1 and t not in active]
            for term in rare:
                del counts[term]
            dropped += len(rare)
        return dropped

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "counts": [dict(c) for c in self.counts]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentFrequencies:
        counts = [{str(t): int(n) for t, n in view.items()} for view in data["counts"]]
        if len(counts) != len(VIEWS):
            raise ValueError(f"expected {len(VIEWS)} views of document counts")
        return cls(int(data["documents"]), counts)
