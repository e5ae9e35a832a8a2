"""Stage 3 for a stream: each new article is checked against an index of recent ones.

The shape is datatrove's MinHash dedup: a signature per article (the map step: content
hash, word 5-gram shingle set, MinHash cut into 40 band keys), buckets as an index
(band key -> texts that have it), and each new article deduplicated against that index.
`DedupIndex.check` decides for one article and `check_many` for a micro-batch, by the
same code (`check` is a micro-batch of one). The decision (`CopyDecision`) is returned,
never written into the article: a caller sets `duplicate_of` / `similarity` and
persists `to_dict()`.

Batch criterion, unchanged. Candidates are the texts sharing a band key with the new
one (the band keys are the rensa LSH's bands: 3 rows of the same `RMinHash` digest,
so the candidates are the ones `find_duplicates` gets from `RMinHashLSH`), verified on
exact shingle sets (Jaccard >= 0.7 or 85 % containment); equal normalized text is an
exact copy without a lookup; texts under 20 shingles are only ever exact copies.

A micro-batch's own articles are linked with each other and with the index's groups
(union-find), so `check_many` on an empty index gives exactly what `find_duplicates`
gives on the same articles, whatever their order: a group of new articles takes the
batch's original (earliest published, then the credited source's own copy, then the
smallest id), and every copy its exact shingle Jaccard with that original.

Stability across micro-batches. An article stored as an original stays the original:
a copy that arrives in a later micro-batch is its copy even when it was published
earlier. Batch would pick the earlier one, but the stream has already handed the
original's id to the story stage (the story is named after it, copies' claims are
mapped from its parse, the store holds its rows); re-electing it would re-point every
copy and rename a story for a difference of minutes, so the late article keeps its
own `published` and is marked a copy.

The other difference from batch is a chain. A trimmed copy that is no copy of the
stored original by itself (containment 0.84) becomes an original; a fuller copy that
arrives later links both. Batch, seeing all three at once, makes them one group. The
stream folds the stored groups a micro-batch links into the one whose original ranks
first (`CopyDecision.merged` names the others): every later arrival joins it, as in
batch, while the decisions already given stand. A caller that wants batch's grouping
re-points the merged originals and their copies itself. On the bench corpus (19,829
articles, `bench/dedup_stream.py`) a stream of single articles gives batch's decision
for 98.2 % of them, its groups never join what batch keeps apart, and B-cubed F1
against batch is 0.989; micro-batches of 1,000 give 99.3 % and 0.996.

Window. Only recent articles can have copies still arriving, so an entry retires when
its publication time falls `window_days` behind the latest publication seen (an
undated article counts as published at the stream clock when it arrived), or when
more than `idle_articles` articles arrived after it (the clock of undated streams and
a bound on bursts). A group's original is held while any member of its group is
active: copies point at it and their similarity is taken against its shingle set.
Retirement runs at the end of `check_many`, after its decisions, so a micro-batch is
never split by its own window. A retired article fed again is decided again, against
what is still active.

State is plain data: texts (shingle sets and band keys as base64 of little-endian
uint64, stored once per distinct text however many outlets ran it), entries (article
id -> its text, the decision given, retirement day, arrival number, held flag) and
groups (original id -> its text and rank); JSON-safe (no inf: undated is null).
Buckets, group members and retirement queues are rebuilt from them. About 2.9 kB per
active article of the bench corpus: ~11 MB for a 14-day window of 100,000 articles a
year.
"""

from __future__ import annotations

import base64
import heapq
import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np
import xxhash
from numpy.typing import NDArray

from crosswire.dedup.near import (
    DedupConfig,
    is_copy,
    minhash,
    original_rank,
    overlap,
    sketch,
)
from crosswire.model import Article

STATE_VERSION = 1
_DAY = 86_400.0

Kind = Literal["original", "exact", "near"]


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """The batch criterion plus the active window."""

    dedup: DedupConfig = field(default_factory=DedupConfig)
    # republications come within hours or days; two weeks also covers the story
    # stage's 12.5-day reach, so a copy is found while its original's story is active
    window_days: float = 14.0
    # bounds memory in a burst and retires undated articles (~3 kB each in state)
    idle_articles: int = 50_000

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexConfig:
        rest = {k: v for k, v in data.items() if k != "dedup"}
        return cls(DedupConfig(**data["dedup"]), **rest)


@dataclass(frozen=True, slots=True)
class CopyDecision:
    """What `DedupIndex.check` decided for one article.

    `kind` is "original", "exact" (same normalized text as its original) or "near";
    for a copy, `duplicate_of` is its group's original and `similarity` the exact
    shingle Jaccard with it, rounded as batch rounds it. `repeated`: the article was
    already in the index, which did not change. `merged`: originals of stored groups
    that this micro-batch linked into this article's group (batch would have made
    them one group); their own decisions stand, later arrivals join this group. Given
    once, on the micro-batch's first article in the group."""

    article: str
    kind: Kind
    duplicate_of: str | None = None
    similarity: float | None = None
    repeated: bool = False
    merged: tuple[str, ...] = ()


@dataclass(slots=True)
class _Text:
    """One distinct normalized text: every exact copy shares it, and its group."""

    shingles: NDArray[np.uint64]
    # None: under `min_shingles`, never a near copy, so never in a bucket
    bands: NDArray[np.uint64] | None
    group: str
    refs: int = 0


@dataclass(slots=True)
class _Entry:
    text: str
    # the group it links into now; a merge can move it, its decision stays as given
    group: str
    kind: Kind
    duplicate_of: str | None
    similarity: float | None
    # retirement clock: publication day, else the stream clock at arrival
    day: float | None
    seq: int
    # out of the window but held: the original of a group with active members
    expired: bool = False


@dataclass(slots=True)
class _Group:
    text: str  # the original's text
    published: float | None  # the original's publication instant (s); None undated
    own: bool  # the original is the credited source's own copy
    live: int = 0  # members not expired
    members: dict[str, None] = field(default_factory=dict)

    def rank(self, original: str) -> tuple[float, int, str]:
        when = math.inf if self.published is None else self.published
        return (when, 0 if self.own else 1, original)


@dataclass(slots=True)
class _Sketch:
    digest: str
    grams: list[str]
    shingles: NDArray[np.uint64]
    rank: tuple[float, int, str]  # `original_rank`: publication instant (s) first
    day: float | None

    @property
    def published(self) -> float | None:
        return None if math.isinf(self.rank[0]) else self.rank[0]


_KIND_CODE: dict[Kind, str] = {"original": "o", "exact": "e", "near": "n"}
_CODE_KIND: dict[str, Kind] = {code: kind for kind, code in _KIND_CODE.items()}


def _encode(values: NDArray[np.uint64]) -> str:
    return base64.b64encode(values.astype("<u8").tobytes()).decode("ascii")


def _decode(text: str) -> NDArray[np.uint64]:
    return np.frombuffer(base64.b64decode(text), dtype="<u8").astype(np.uint64)


def band_keys(grams: list[str], cfg: DedupConfig) -> NDArray[np.uint64]:
    """One key per LSH band: its rows of the MinHash digest, hashed with the band number
    as seed so equal rows in different bands never share a bucket."""
    digest = np.asarray(minhash(grams, cfg).digest(), dtype="<u4")
    width = (cfg.num_perm // cfg.num_bands) * 4
    raw = digest.tobytes()
    return np.fromiter(
        (
            xxhash.xxh3_64_intdigest(raw[b * width : (b + 1) * width], seed=b)
            for b in range(cfg.num_bands)
        ),
        dtype=np.uint64,
        count=cfg.num_bands,
    )


class _Links:
    """Union-find that grows: new articles first, stored groups added as they are met."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class DedupIndex:
    """The active articles of a stream, to tell the copies among the next ones."""

    def __init__(self, config: IndexConfig | None = None) -> None:
        self.config = config or IndexConfig()
        self.seq = 0  # articles stored so far
        self.now: float | None = None  # latest publication day seen
        self._texts: dict[str, _Text] = {}
        self._entries: dict[str, _Entry] = {}
        self._groups: dict[str, _Group] = {}
        # band key -> texts holding it (a dict as an ordered set: O(1) removal)
        self._buckets: dict[int, dict[str, None]] = {}
        # lazy retirement queues, (day, seq, id) and (seq, id): a stale item whose
        # seq no longer matches the entry is skipped
        self._by_day: list[tuple[float, int, str]] = []
        self._by_seq: deque[tuple[int, str]] = deque()

    # ------------------------------------------------------------ decisions

    def check(self, article: Article) -> CopyDecision:
        """Decide for ARTICLE against the index and add it: a micro-batch of one."""
        return self.check_many([article])[0]

    def check_many(self, articles: Iterable[Article]) -> list[CopyDecision]:
        """Decide for a micro-batch, its articles against each other and the index;
        decisions in input order. Articles already in the index (or twice in the
        batch) get their earlier decision with `repeated` set and change nothing."""
        batch = list(articles)
        decisions: list[CopyDecision | None] = [None] * len(batch)
        first: dict[str, int] = {}
        fresh: list[Article] = []
        slots: list[int] = []
        for i, article in enumerate(batch):
            if article.id in first:
                continue
            first[article.id] = i
            known = self.decision_of(article.id)
            if known is not None:
                decisions[i] = known
            else:
                fresh.append(article)
                slots.append(i)
        for i, made in zip(slots, self._decide(fresh), strict=True):
            decisions[i] = made
        out: list[CopyDecision] = []
        for i, article in enumerate(batch):
            decision = decisions[i]
            if decision is None:
                earlier = decisions[first[article.id]]
                assert earlier is not None
                decision = replace(earlier, repeated=True)
            out.append(decision)
        return out

    def decision_of(self, article_id: str) -> CopyDecision | None:
        """The decision given to an article still in the index, else None."""
        entry = self._entries.get(article_id)
        if entry is None:
            return None
        return CopyDecision(
            article_id, entry.kind, entry.duplicate_of, entry.similarity, repeated=True
        )

    @property
    def stored_articles(self) -> int:
        """Articles in the index, held originals included."""
        return len(self._entries)

    @property
    def active_articles(self) -> int:
        """Articles inside the window."""
        return sum(1 for e in self._entries.values() if not e.expired)

    @property
    def stored_texts(self) -> int:
        return len(self._texts)

    @property
    def groups(self) -> int:
        return len(self._groups)

    def _sketch(self, article: Article) -> _Sketch:
        """The map step: everything later steps need from the article's text."""
        digest, grams, shingles = sketch(article.text, self.config.dedup)
        rank = original_rank(article)
        day = None if math.isinf(rank[0]) else rank[0] / _DAY
        return _Sketch(digest, grams, shingles, rank, day)

    def _decide(self, articles: list[Article]) -> list[CopyDecision]:
        if not articles:
            return []
        cfg = self.config.dedup
        sketches = [self._sketch(a) for a in articles]
        links = _Links(len(sketches))
        node_of: dict[str, int] = {}  # stored group -> its node

        def group_node(group: str) -> int:
            node = node_of.get(group)
            if node is None:
                node = node_of[group] = links.add()
            return node

        local: dict[str, int] = {}  # new text -> first position holding it
        bands: dict[int, NDArray[np.uint64]] = {}
        try:
            for p, sk in enumerate(sketches):
                # the same text as a stored or an earlier new one: an exact copy, no lookup
                stored = self._texts.get(sk.digest)
                if stored is not None:
                    links.union(p, group_node(stored.group))
                    continue
                holder = local.get(sk.digest)
                if holder is not None:
                    links.union(p, holder)
                    continue
                local[sk.digest] = p
                if len(sk.shingles) < cfg.min_shingles:
                    continue
                bands[p] = keys = band_keys(sk.grams, cfg)
                self._link(p, sk, keys, sketches, local, links, node_of, group_node)
        except BaseException:
            # new texts go into the buckets as they are met (the batch's LSH inserts as
            # it goes); nothing else changed yet, so taking them out undoes the batch
            for p, keys in bands.items():
                self._unbucket(sketches[p].digest, keys)
            raise
        for sk in sketches:
            sk.grams = []

        # A component is one group, as in batch. Its original: the first-ranked stored
        # original it reaches (stored originals are never re-elected), else the batch's
        # choice among its new members.
        reached: dict[int, list[str]] = {}
        for stored_group, node in node_of.items():
            reached.setdefault(links.find(node), []).append(stored_group)
        chosen: dict[int, int] = {}
        for p in range(len(sketches)):
            root = links.find(p)
            if root in reached:
                continue
            best = chosen.get(root)
            if best is None or sketches[p].rank < sketches[best].rank:
                chosen[root] = p
        target: dict[int, str] = {root: articles[p].id for root, p in chosen.items()}
        merged: dict[int, tuple[str, ...]] = {}
        for root, groups in reached.items():
            ranked = sorted(groups, key=lambda g: self._groups[g].rank(g))
            target[root] = ranked[0]
            if len(ranked) > 1:
                merged[root] = tuple(ranked[1:])

        # decided; from here on the index changes
        latest = max((sk.day for sk in sketches if sk.day is not None), default=None)
        if latest is not None and (self.now is None or latest > self.now):
            self.now = latest
        for root, gone in merged.items():
            for group_id in gone:
                self._absorb(target[root], group_id)
        for root, p in chosen.items():
            founder = sketches[p]
            own = founder.rank[1] == 0
            self._groups[target[root]] = _Group(founder.digest, founder.published, own)
        decisions: list[CopyDecision] = []
        for p, (article, sk) in enumerate(zip(articles, sketches, strict=True)):
            root = links.find(p)
            group_id = target[root]
            announce = merged.pop(root, ())
            if article.id == group_id:
                decision = CopyDecision(article.id, "original", merged=announce)
            else:
                original = self._groups[group_id].text
                original_set = (
                    self._texts[original].shingles
                    if original in self._texts
                    else sketches[chosen[root]].shingles
                )
                similarity = round(overlap(sk.shingles, original_set)[0], 4)
                kind: Kind = "exact" if sk.digest == original else "near"
                decision = CopyDecision(article.id, kind, group_id, similarity, merged=announce)
            decisions.append(decision)
            self._store(article.id, sk, bands.get(p), group_id, decision)
        self._retire()
        return decisions

    def _link(
        self,
        p: int,
        sk: _Sketch,
        keys: NDArray[np.uint64],
        sketches: list[_Sketch],
        local: dict[str, int],
        links: _Links,
        node_of: dict[str, int],
        group_node: Callable[[str], int],
    ) -> None:
        """Link new text P to the texts sharing a band with it, stored or new, and put
        it in those buckets. One pass over the bands does both: a text never meets
        itself, since its own key goes in after the bucket is read."""
        cfg = self.config.dedup
        buckets = self._buckets
        hits: dict[str, None] = {}
        for key in keys.tolist():
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = {sk.digest: None}
            else:
                hits.update(bucket)
                bucket[sk.digest] = None
        # a verified pair only matters when it joins two components
        for digest in hits:
            q = local.get(digest)
            if q is not None:
                if links.find(p) != links.find(q) and is_copy(
                    sk.shingles, sketches[q].shingles, cfg
                ):
                    links.union(p, q)
                continue
            text = self._texts[digest]
            node = node_of.get(text.group)
            if node is not None and links.find(p) == links.find(node):
                continue
            if is_copy(sk.shingles, text.shingles, cfg):
                links.union(p, group_node(text.group))

    def _unbucket(self, digest: str, keys: NDArray[np.uint64]) -> None:
        for key in keys.tolist():
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.pop(digest, None)
                if not bucket:
                    del self._buckets[key]

    def _absorb(self, keep: str, gone: str) -> None:
        """Fold stored group GONE into KEEP: its members link into KEEP from now on."""
        group = self._groups.pop(gone)
        survivor = self._groups[keep]
        for article_id in group.members:
            entry = self._entries[article_id]
            entry.group = keep
            self._texts[entry.text].group = keep
            survivor.members[article_id] = None
            if not entry.expired:
                survivor.live += 1
        # GONE's original was held only as its group's original
        if self._entries[gone].expired:
            self._drop(gone)

    # ------------------------------------------------------------ storing and window

    def _store(
        self,
        article_id: str,
        sk: _Sketch,
        keys: NDArray[np.uint64] | None,
        group_id: str,
        decision: CopyDecision,
    ) -> None:
        text = self._texts.get(sk.digest)
        if text is None:
            # its band keys are in the buckets already (`_link`)
            text = self._texts[sk.digest] = _Text(sk.shingles, keys, group_id)
        text.refs += 1
        self.seq += 1
        day = sk.day if sk.day is not None else self.now
        self._entries[article_id] = _Entry(
            sk.digest,
            group_id,
            decision.kind,
            decision.duplicate_of,
            decision.similarity,
            day,
            self.seq,
        )
        group = self._groups[group_id]
        group.live += 1
        group.members[article_id] = None
        self._queue(article_id, day, self.seq)

    def _queue(self, article_id: str, day: float | None, seq: int) -> None:
        if day is not None:
            heapq.heappush(self._by_day, (day, seq, article_id))
        self._by_seq.append((seq, article_id))

    def _retire(self) -> None:
        if self.now is not None:
            horizon = self.now - self.config.window_days
            while self._by_day and self._by_day[0][0] < horizon:
                _, seq, article_id = heapq.heappop(self._by_day)
                self._expire(article_id, seq)
        oldest = self.seq - self.config.idle_articles
        while self._by_seq and self._by_seq[0][0] <= oldest:
            seq, article_id = self._by_seq.popleft()
            self._expire(article_id, seq)

    def _expire(self, article_id: str, seq: int) -> None:
        entry = self._entries.get(article_id)
        if entry is None or entry.expired or entry.seq != seq:
            return
        entry.expired = True
        group_id = entry.group
        group = self._groups[group_id]
        group.live -= 1
        if article_id != group_id:
            self._drop(article_id)
        if group.live == 0:
            self._drop(group_id)
            del self._groups[group_id]

    def _drop(self, article_id: str) -> None:
        entry = self._entries.pop(article_id)
        self._groups[entry.group].members.pop(article_id, None)
        text = self._texts[entry.text]
        text.refs -= 1
        if text.refs:
            return
        if text.bands is not None:
            self._unbucket(entry.text, text.bands)
        del self._texts[entry.text]

    # ------------------------------------------------------------ state

    def to_dict(self) -> dict[str, Any]:
        """The whole state as JSON-ready lists (insertion order kept, so a reloaded
        index stores and retires in the same order)."""
        return {
            "version": STATE_VERSION,
            "config": self.config.to_dict(),
            "seq": self.seq,
            "now": self.now,
            "groups": [[gid, g.text, g.published, g.own] for gid, g in self._groups.items()],
            "texts": [
                [
                    digest,
                    t.group,
                    _encode(t.shingles),
                    None if t.bands is None else _encode(t.bands),
                ]
                for digest, t in self._texts.items()
            ],
            # an entry's group is its text's group, so it is not written twice
            "entries": [
                [
                    aid,
                    e.text,
                    _KIND_CODE[e.kind],
                    e.duplicate_of,
                    e.similarity,
                    e.day,
                    e.seq,
                    e.expired,
                ]
                for aid, e in self._entries.items()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DedupIndex:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported dedup index state version {data.get('version')!r}")
        index = cls(IndexConfig.from_dict(data["config"]))
        index.seq = int(data["seq"])
        index.now = None if data["now"] is None else float(data["now"])
        for gid, text, published, own in data["groups"]:
            index._groups[str(gid)] = _Group(
                str(text), None if published is None else float(published), bool(own)
            )
        for digest, group, shingles, keys in data["texts"]:
            bands = None if keys is None else _decode(keys)
            index._texts[str(digest)] = _Text(_decode(shingles), bands, str(group))
            if bands is not None:
                for key in bands.tolist():
                    index._buckets.setdefault(key, {})[str(digest)] = None
        for aid, text, kind, duplicate_of, similarity, day, seq, expired in data["entries"]:
            found = index._texts[str(text)]
            entry = _Entry(
                str(text),
                found.group,
                _CODE_KIND[str(kind)],
                None if duplicate_of is None else str(duplicate_of),
                None if similarity is None else float(similarity),
                None if day is None else float(day),
                int(seq),
                bool(expired),
            )
            index._entries[str(aid)] = entry
            found.refs += 1
            group = index._groups[entry.group]
            group.members[str(aid)] = None
            if not entry.expired:
                group.live += 1
                if entry.day is not None:
                    index._by_day.append((entry.day, entry.seq, str(aid)))
                index._by_seq.append((entry.seq, str(aid)))
        heapq.heapify(index._by_day)
        index._by_seq = deque(sorted(index._by_seq))
        return index
