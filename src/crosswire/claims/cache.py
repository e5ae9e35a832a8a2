"""Reads of recently parsed originals, kept by whoever runs the engine across batches.

A story that gains a member is claimed again whole (entities and claimants are resolved
across its articles), so in a stream every stored original of a growing story would be
parsed again with each micro-batch that touches it. An article's read (its sentences,
drafts and mentions) is a pure function of its text and of the time its expressions
are resolved against, so a caller that runs batch after batch
(`pipeline.process_batches`, the watcher) keeps one `ReadCache` and passes it to each
batch. It is bounded, least recently used first out, and hands out copies: the claims
built from a read share its quantities, and a later stage may change those.

Not spaCy-bound: importable without loading the parser.
"""

from __future__ import annotations

from collections import OrderedDict
from copy import deepcopy
from typing import Any

import xxhash

# about the originals of a busy stream's active window (~2,000 on the stream bench)
DEFAULT_SIZE = 4096

# article id, publication time, a hash of the text: a revision keeps its article's id
Key = tuple[str, str | None, int]


def key_of(article_id: str, published: str | None, text: str) -> Key:
    return (article_id, published, xxhash.xxh3_64_intdigest(text.encode("utf-8")))


class ReadCache:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._reads: OrderedDict[Key, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key) -> Any | None:
        read = self._reads.get(key)
        if read is None:
            self.misses += 1
            return None
        self.hits += 1
        self._reads.move_to_end(key)
        return deepcopy(read)

    def put(self, key: Key, read: Any) -> None:
        self._reads[key] = deepcopy(read)
        self._reads.move_to_end(key)
        while len(self._reads) > self.size:
            self._reads.popitem(last=False)

    def __len__(self) -> int:
        return len(self._reads)
