"""Stage 4 for a stream: each new original joins an active story or starts one.

`StoryIndex` has the shape of a spaCy `Pipe`: `assign` decides for one article,
`assign_many` runs the same `assign` over a micro-batch. It returns its decision
(`Assignment`) and never touches the article: a caller sets `article.story`, renames
merged stories and persists `to_dict()`.

The decision is the batch's own criterion, applied as articles arrive. An edge between
two originals is the batch similarity (weighted mean of body, lead and entity TF-IDF
cosines, times the batch time factor, dropped under the batch edge floor), and an
original joins the active story whose mean edge weight to it (average linkage of the
original with the story) is highest and at least the batch threshold; else it starts a
story. The IDF is the stream's own (`terms.DocumentFrequencies`): member vectors keep
raw counts and take the current IDF at every comparison; only their norms are frozen,
refreshed for all active members whenever the number of originals has grown by 10 %.

Blocking: an inverted index over active members, per view, so a new original meets only
members that share a term with it, and only members of active stories are indexed. A
posting is two flat arrays (member slots, raw term weights) that numpy gathers and sums
with `bincount`; a member's norm lives in one array beside them, so a refresh rewrites
norms, not postings. A retired member leaves a tombstone (its norm is infinite, so it
scores zero) until the dead outnumber the living and the postings are rebuilt. A
story retires when nothing joined it for the batch's reach (grace + decay * ln(1 /
edge floor) = 12.5 days: past it even an identical text falls under the edge floor, so
retiring loses no edge the batch would keep), or when no article touched it for
`idle_originals` originals (the clock of undated streams). Memory is therefore the active
window's members and stories plus the term counts. A retired story is final here; to
reopen one (a late copy, an analyst's request) a caller rebuilds its members from the
stored articles with `reload`, which re-indexes them without counting their terms again.

Merges: every edge from a new original to another story adds to the summed edge weight
between its story and that one (the linkage table batch average linkage keeps). When the
mean over all cross pairs reaches `merge_threshold` the two stories are one: the story
founded first survives and the other id is replaced. The merge threshold sits above the
join threshold because a merge is decided on partial stories and cannot be undone; a
story of one article merges by the join threshold, as its merge is the join decision for
that article made again against a story that has grown toward it (stream B-cubed F1
ECB+ 0.8775 -> 0.8789, AllSides 0.8713 -> 0.8747, BASIL dev 0.9707 -> 0.9767).

Moves: a join is decided on the story as it stands, and early in a story the evidence
is thin: of two events of one topic, the second's first report may join the first's
story, and its later reports follow it there. When a story of at most `refine_max`
originals gains one, each of its members is weighed again as if it arrived now: the
mean edge to the rest of its story against the mean edge to each other active story
(the join rule). A member nearer another story of two or more originals, by at least
the join threshold, moves there with its copies (`Move`), and the links between
stories follow its edges; a story of one original is a single edge, and comes to a
grown story by the merge rule instead. The batch sees every edge at once; this gives
the stream back what it decided too early (stream B-cubed F1 ECB+ 0.879 -> 0.914,
batch 0.918; AllSides 0.875 -> 0.874, batch 0.871).

Ids: `"s-" + xxh3_64(founder id)`, the founder being the original that started the story,
as `make_story` names a batch story by its earliest member. The id never changes as the
story grows; when an article published before the founder arrives late, the story keeps
its id (a stable id is worth more than the earliest-member rule).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crosswire.model import Article
from crosswire.stories.assignment import (
    Assignment,
    Merge,
    Move,
    StreamConfig,
    publication_order,
    story_id,
)
from crosswire.stories.cluster import sort_time
from crosswire.stories.features import published_days
from crosswire.stories.terms import VIEWS, DocumentFrequencies, Terms, article_terms, view_weights

STATE_VERSION = 1


@dataclass(slots=True)
class _Member:
    story: str
    day: float | None
    terms: list[Terms]
    norms: list[float]


@dataclass(slots=True)
class _Story:
    id: str
    founder: str
    founder_day: float | None
    originals: list[str]
    copies: list[str]
    first_day: float | None
    last_day: float | None
    last_seq: int
    # other story id -> summed edge weight between the two
    links: dict[str, float]
    # ids merged into this one
    replaced: list[str]

    def founded(self) -> tuple[float, str]:
        return (math.inf if self.founder_day is None else self.founder_day, self.founder)


def _day(article: Article) -> float | None:
    days = published_days(article.published)
    return None if math.isnan(days) else days


class StoryIndex:
    """The active stories of a stream and the state to place the next original."""

    def __init__(self, config: StreamConfig | None = None) -> None:
        self.config = config or StreamConfig()
        self._shares = view_weights(self.config.weights)
        self.frequencies = DocumentFrequencies()
        self.seq = 0  # originals placed so far
        self.now: float | None = None  # latest publication day seen
        self.refresh_at = 1
        self._members: dict[str, _Member] = {}
        self._stories: dict[str, _Story] = {}
        self._copies: dict[str, str] = {}  # copy id -> the original it follows
        self._aliases: dict[str, str] = {}  # merged-away id -> active survivor
        # view -> term -> (member slots, raw weights), both in posting order
        self._postings: list[dict[str, tuple[array[int], array[float]]]] = [{} for _ in VIEWS]
        # slot -> member id (None once retired); per view and slot the member's norm
        self._slots: list[str | None] = []
        self._slot_of: dict[str, int] = {}
        self._norms = np.ones((len(VIEWS), 0))
        self._days = np.zeros(0)
        self._dead = 0
        # lazy retirement queues: (last day, story), (last arrival, story)
        self._by_day: list[tuple[float, str]] = []
        self._by_seq: list[tuple[int, str]] = []

    # ------------------------------------------------------------ decisions

    def assign(self, article: Article) -> Assignment:
        """Place ARTICLE: follow its original, join an active story, or start one."""
        return self._assign(article, {})

    def assign_many(self, articles: Iterable[Article]) -> list[Assignment]:
        """`assign` over ARTICLES in publication order; decisions in input order.

        The originals of a micro-batch have all arrived, so their terms are counted
        into the document frequencies before any is placed: the first articles of a
        small batch are weighed by the batch's IDF, not by the few seen before them (a
        cold IDF split a follow-up from its story in a 50-article run)."""
        batch = list(articles)
        counted: dict[str, list[Terms]] = {}
        for article in batch:
            if article.duplicate_of is None and self.story_of(article.id) is None:
                counted.setdefault(article.id, article_terms(article))
        for terms in counted.values():
            self.frequencies.add(terms)
        decisions: list[Assignment | None] = [None] * len(batch)
        for index in publication_order(batch):
            decisions[index] = self._assign(batch[index], counted)
        return [d for d in decisions if d is not None]

    def _assign(self, article: Article, counted: dict[str, list[Terms]]) -> Assignment:
        known = self.story_of(article.id)
        if known is not None:
            return Assignment(article.id, known, 0.0, repeated=True)
        target = self._copies.get(article.duplicate_of or "", article.duplicate_of)
        if target is not None and target in self._members:
            return self._follow(article, target)
        # a copy whose original is not active is clustered as an original, as batch
        # does with a chain that ends outside the batch
        return self._place(article, counted.pop(article.id, None))

    def story_of(self, article_id: str) -> str | None:
        """The active story holding ARTICLE_ID (original or copy), else None."""
        member = self._members.get(self._copies.get(article_id, article_id))
        return None if member is None else member.story

    def late(self, article: Article) -> bool:
        """Whether ARTICLE was published before the active window: the stories it could
        join may have retired, and a caller reloads those near its time (`reload`)."""
        day = _day(article)
        return day is not None and self.now is not None and day < self.now - self.window_days

    @property
    def window_days(self) -> float:
        return self.config.window_days()

    def is_active(self, story: str) -> bool:
        return self.resolve(story) in self._stories

    def resolve(self, story: str) -> str:
        """The active id a merged-away STORY id now goes by (itself otherwise)."""
        return self._aliases.get(story, story)

    def members(self, story: str) -> list[str]:
        """Originals then copies of an active STORY, in arrival order."""
        found = self._stories[self.resolve(story)]
        return [*found.originals, *found.copies]

    @property
    def active_stories(self) -> int:
        return len(self._stories)

    @property
    def active_originals(self) -> int:
        return len(self._members)

    def _follow(self, article: Article, original: str) -> Assignment:
        story = self._stories[self._members[original].story]
        story.copies.append(article.id)
        self._copies[article.id] = original
        day = _day(article)
        self._touch(story, self._active_day(day))
        retired = self._advance(day)
        return Assignment(article.id, story.id, 1.0, copy_of=original, retired=retired)

    def _place(self, article: Article, counted: list[Terms] | None = None) -> Assignment:
        """Place an original; COUNTED are its terms when already in the frequencies."""
        day = _day(article)
        self.seq += 1
        retired = self._advance(day)
        terms = counted if counted is not None else article_terms(article)
        if counted is None:
            self.frequencies.add(terms)
        if self.frequencies.documents >= self.refresh_at:
            self._refresh()
        norms = [self.frequencies.norm(v, view) for v, view in enumerate(terms)]
        totals = self._totals(terms, norms, day)
        best: _Story | None = None
        score = self.config.threshold
        for sid, total in totals.items():
            candidate = self._stories[sid]
            mean = total / len(candidate.originals)
            if mean > score or (best is None and mean >= score):
                best, score = candidate, mean
        if best is None:
            story = _Story(story_id(article.id), article.id, day, [], [], None, None, 0, {}, [])
            self._stories[story.id] = story
            score = 0.0
        else:
            story = best
        story.originals.append(article.id)
        for sid, total in totals.items():
            if sid != story.id:
                linked = story.links.get(sid, 0.0) + total
                story.links[sid] = linked
                self._stories[sid].links[story.id] = linked
        member = _Member(story.id, day, terms, norms)
        self._members[article.id] = member
        self._post(article.id, member)
        self._touch(story, self._active_day(day))
        survivor, merges = self._merge_from(story)
        moves = self._refine(survivor)
        if any(len(c) > self.config.max_terms for c in self.frequencies.counts):
            self.frequencies.prune(self.config.max_terms, self._postings)
        # the article itself may have moved on: its story is where it is now
        return Assignment(
            article.id,
            self._members[article.id].story,
            score,
            new=best is None,
            merges=merges,
            moves=moves,
            retired=retired,
        )

    # ------------------------------------------------------------ similarity

    def _totals(
        self, terms: list[Terms], norms: list[float], day: float | None, skip: int | None = None
    ) -> dict[str, float]:
        """Per active story, the summed edge weight from a new original to its members
        (SKIP: a member's own slot, when the original weighed is one of them)."""
        size = len(self._slots)
        if size == 0:
            return {}
        sims = np.zeros(size)
        top = 1 + self.frequencies.documents
        for v, view in enumerate(terms):
            postings = self._postings[v]
            counts = self.frequencies.counts[v]
            found = [
                (posting, tf, counts.get(term, 0))
                for term, tf in view.items()
                if (posting := postings.get(term)) is not None
            ]
            if not found:
                continue
            held, tfs, dfs = zip(*found, strict=True)
            # the smooth IDF of `DocumentFrequencies.idf`, for all terms at once
            idf = np.log(top / (1.0 + np.asarray(dfs, dtype=float))) + 1.0
            weights = (self._shares[v] / norms[v]) * np.asarray(tfs) * idf * idf
            products = np.repeat(weights, [len(p[0]) for p in held])
            products *= np.concatenate([p[1] for p in held])
            slots = np.concatenate([p[0] for p in held])
            sims += np.bincount(slots, products, size) / self._norms[v, :size]
        graph = self.config.graph
        if day is not None:
            with np.errstate(invalid="ignore"):
                excess = np.abs(day - self._days[:size]) - graph.grace_days
                # an undated member (NaN) is never decayed, as in the batch
                far = excess > 0
            sims[far] *= np.exp(-excess[far] / graph.decay_days)
        if skip is not None:
            sims[skip] = 0.0
        totals: dict[str, float] = {}
        members = self._members
        for slot in np.flatnonzero(sims >= graph.edge_floor).tolist():
            member_id = self._slots[slot]
            if member_id is None:
                continue
            story = members[member_id].story
            totals[story] = totals.get(story, 0.0) + float(sims[slot])
        return totals

    def _post(self, member_id: str, member: _Member) -> None:
        slot = len(self._slots)
        self._slots.append(member_id)
        self._slot_of[member_id] = slot
        if slot >= self._days.shape[0]:
            grown = max(64, 2 * slot)
            norms = np.full((len(VIEWS), grown), np.inf)
            norms[:, :slot] = self._norms[:, :slot]
            days = np.full(grown, np.nan)
            days[:slot] = self._days[:slot]
            self._norms, self._days = norms, days
        self._norms[:, slot] = member.norms
        self._days[slot] = np.nan if member.day is None else member.day
        for postings, view in zip(self._postings, member.terms, strict=True):
            for term, tf in view.items():
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = (array("i"), array("d"))
                posting[0].append(slot)
                posting[1].append(tf)

    def _unpost(self, member_id: str) -> None:
        slot = self._slot_of.pop(member_id)
        self._slots[slot] = None
        self._norms[:, slot] = np.inf
        self._dead += 1
        if self._dead > max(256, len(self._slot_of)):
            self._repost()

    def _repost(self) -> None:
        """Postings rebuilt from the living members, in their order (drops tombstones)."""
        self._postings = [{} for _ in VIEWS]
        self._slots = []
        self._slot_of = {}
        self._norms = np.ones((len(VIEWS), 0))
        self._days = np.zeros(0)
        self._dead = 0
        for member_id, member in self._members.items():
            self._post(member_id, member)

    def _refresh(self) -> None:
        """Norms of every active member under the current IDF."""
        for member_id, member in self._members.items():
            member.norms = [self.frequencies.norm(v, view) for v, view in enumerate(member.terms)]
            self._norms[:, self._slot_of[member_id]] = member.norms
        documents = self.frequencies.documents
        self.refresh_at = max(documents + 1, math.ceil(documents * self.config.refresh_growth))

    # ------------------------------------------------------------ merges

    def _merge_from(self, story: _Story) -> tuple[_Story, tuple[Merge, ...]]:
        merges: list[Merge] = []
        while True:
            partner: _Story | None = None
            score = self.config.merge_threshold
            for sid, total in story.links.items():
                other = self._stories[sid]
                mean = total / (len(story.originals) * len(other.originals))
                bar = score
                if min(len(story.originals), len(other.originals)) == 1 and partner is None:
                    bar = min(score, self.config.threshold)
                if mean > bar or (partner is None and mean >= bar):
                    partner, score = other, mean
            if partner is None:
                return story, tuple(merges)
            keep, gone = (
                (story, partner) if story.founded() < partner.founded() else (partner, story)
            )
            self._fold(keep, gone)
            merges.append(Merge(keep.id, gone.id, score))
            story = keep

    def _fold(self, keep: _Story, gone: _Story) -> None:
        for member_id in gone.originals:
            self._members[member_id].story = keep.id
        keep.originals.extend(gone.originals)
        keep.copies.extend(gone.copies)
        keep.links.pop(gone.id, None)
        for sid, total in gone.links.items():
            if sid == keep.id:
                continue
            other = self._stories[sid].links
            del other[gone.id]
            linked = keep.links.get(sid, 0.0) + total
            keep.links[sid] = linked
            other[keep.id] = linked
        keep.replaced.extend([*gone.replaced, gone.id])
        for old in (*gone.replaced, gone.id):
            self._aliases[old] = keep.id
        del self._stories[gone.id]
        keep.last_seq = max(keep.last_seq, gone.last_seq)
        for day in (gone.first_day, gone.last_day):
            self._touch(keep, day, seq=keep.last_seq)

    # ------------------------------------------------------------ moves

    def _refine(self, story: _Story) -> tuple[Move, ...]:
        """Members of STORY nearer another active story, moved there (see the module)."""
        if not 1 < len(story.originals) <= self.config.refine_max:
            return ()
        moves: list[Move] = []
        for member_id in list(story.originals):
            if len(story.originals) < 2:
                break
            member = self._members[member_id]
            totals = self._totals(member.terms, member.norms, member.day, self._slot_of[member_id])
            stay = totals.get(story.id, 0.0) / (len(story.originals) - 1)
            target: _Story | None = None
            score = max(stay, self.config.threshold)
            for sid, total in totals.items():
                other = self._stories[sid]
                # a story of one original is one edge, not a story to leave one for: it
                # comes to a grown story by the merge rule, which weighs both sides
                if sid == story.id or len(other.originals) < 2:
                    continue
                mean = total / len(other.originals)
                if mean > score:
                    target, score = other, mean
            if target is not None:
                moves.append(self._move(member_id, story, target, totals, score, stay))
        return tuple(moves)

    def _move(
        self,
        member_id: str,
        source: _Story,
        target: _Story,
        totals: Mapping[str, float],
        score: float,
        stay: float,
    ) -> Move:
        """MEMBER_ID (its edges to each story: TOTALS) and its copies leave SOURCE for
        TARGET; the summed edges between stories lose what it gave SOURCE's side and gain
        it on TARGET's."""
        member = self._members[member_id]
        member.story = target.id
        source.originals.remove(member_id)
        target.originals.append(member_id)
        copies = [c for c in source.copies if self._copies.get(c) == member_id]
        source.copies = [c for c in source.copies if self._copies.get(c) != member_id]
        target.copies.extend(copies)
        for sid, total in totals.items():
            if sid in (source.id, target.id):
                continue
            other = self._stories[sid].links
            for side, sign in ((source, -1.0), (target, 1.0)):
                # sums taken under an earlier IDF may differ a little: never below zero
                linked = max(side.links.get(sid, 0.0) + sign * total, 0.0)
                side.links[sid] = other[side.id] = linked
        # its edges to the target's members are inside one story now; those to the rest
        # of the source are between the two
        between = (
            source.links.get(target.id, 0.0)
            - totals.get(target.id, 0.0)
            + totals.get(source.id, 0.0)
        )
        source.links[target.id] = target.links[source.id] = max(between, 0.0)
        self._touch(target, self._active_day(member.day))
        return Move((member_id, *copies), source.id, target.id, score, stay)

    # ------------------------------------------------------------ window

    def _active_day(self, day: float | None) -> float | None:
        """The day an arrival keeps its story active from: its own, or, for an article
        published before the window (last month's folder analyzed today), the clock's,
        as a reloaded story is; else the story it founds retires before its own
        siblings arrive and each of them starts another."""
        if day is not None and self.now is not None and day < self.now - self.window_days:
            return self.now
        return day

    def _touch(self, story: _Story, day: float | None, seq: int | None = None) -> None:
        story.last_seq = self.seq if seq is None else seq
        heapq.heappush(self._by_seq, (story.last_seq, story.id))
        if day is None:
            return
        if story.first_day is None or day < story.first_day:
            story.first_day = day
        if story.last_day is None or day > story.last_day:
            story.last_day = day
            heapq.heappush(self._by_day, (day, story.id))

    def _advance(self, day: float | None) -> tuple[str, ...]:
        """Move the clock to DAY and retire the stories that fell out of the window."""
        if day is not None and (self.now is None or day > self.now):
            self.now = day
        retired: list[str] = []
        if self.now is not None:
            horizon = self.now - self.config.window_days()
            while self._by_day and self._by_day[0][0] < horizon:
                last, sid = heapq.heappop(self._by_day)
                story = self._stories.get(sid)
                if story is not None and story.last_day == last:
                    retired.append(self._retire(story))
        oldest = self.seq - self.config.idle_originals
        while self._by_seq and self._by_seq[0][0] < oldest:
            last_seq, sid = heapq.heappop(self._by_seq)
            story = self._stories.get(sid)
            if story is not None and story.last_seq == last_seq:
                retired.append(self._retire(story))
        return tuple(sorted(retired))

    def _retire(self, story: _Story) -> str:
        for member_id in story.originals:
            del self._members[member_id]
            self._unpost(member_id)
        for copy in story.copies:
            self._copies.pop(copy, None)
        for sid in story.links:
            self._stories[sid].links.pop(story.id, None)
        for old in story.replaced:
            self._aliases.pop(old, None)
        del self._stories[story.id]
        return story.id

    # ------------------------------------------------------------ reload and state

    def reload(self, story: str, originals: Sequence[Article], copies: Sequence[str] = ()) -> None:
        """Make a retired STORY active again from its stored ORIGINALS and COPIES.

        Their terms were counted when they first arrived, so the IDF is left alone;
        links to other stories start again from zero and grow with new arrivals. The
        story counts as active from now: its window starts again at the reload.
        """
        if story in self._stories or not originals:
            return
        ordered = sorted(originals, key=lambda a: (sort_time(a.published), a.id))
        founder = ordered[0]
        revived = _Story(story, founder.id, _day(founder), [], [], None, None, 0, {}, [])
        self._stories[story] = revived
        for article in ordered:
            if article.id in self._members:
                continue
            terms = article_terms(article)
            norms = [self.frequencies.norm(v, view) for v, view in enumerate(terms)]
            member = _Member(story, _day(article), terms, norms)
            self._members[article.id] = member
            self._post(article.id, member)
            revived.originals.append(article.id)
            self._touch(revived, member.day)
        self._touch(revived, self.now)
        for copy in copies:
            revived.copies.append(copy)
            self._copies[copy] = founder.id

    def to_dict(self) -> dict[str, Any]:
        """The whole state as JSON-ready lists and dicts (insertion order is kept: the
        sums it feeds are taken in that order, so a reloaded index decides alike)."""
        return {
            "version": STATE_VERSION,
            "config": self.config.to_dict(),
            "frequencies": self.frequencies.to_dict(),
            "seq": self.seq,
            "now": self.now,
            "refresh_at": self.refresh_at,
            "members": [
                [mid, m.story, m.day, m.terms, m.norms] for mid, m in self._members.items()
            ],
            "stories": [
                {
                    "id": s.id,
                    "founder": s.founder,
                    "founder_day": s.founder_day,
                    "originals": s.originals,
                    "copies": s.copies,
                    "first_day": s.first_day,
                    "last_day": s.last_day,
                    "last_seq": s.last_seq,
                    "links": list(s.links.items()),
                    "replaced": s.replaced,
                }
                for s in self._stories.values()
            ],
            "copies": list(self._copies.items()),
            "aliases": list(self._aliases.items()),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryIndex:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported story index state version {data.get('version')!r}")
        index = cls(StreamConfig.from_dict(data["config"]))
        index.frequencies = DocumentFrequencies.from_dict(data["frequencies"])
        index.seq = int(data["seq"])
        index.now = None if data["now"] is None else float(data["now"])
        index.refresh_at = int(data["refresh_at"])
        for mid, story, day, terms, norms in data["members"]:
            member = _Member(
                story,
                None if day is None else float(day),
                [{str(t): float(w) for t, w in view.items()} for view in terms],
                [float(n) for n in norms],
            )
            index._members[mid] = member
            index._post(mid, member)
        for raw in data["stories"]:
            story = _Story(
                raw["id"],
                raw["founder"],
                raw["founder_day"],
                list(raw["originals"]),
                list(raw["copies"]),
                raw["first_day"],
                raw["last_day"],
                int(raw["last_seq"]),
                {str(sid): float(total) for sid, total in raw["links"]},
                list(raw["replaced"]),
            )
            index._stories[story.id] = story
            index._by_seq.append((story.last_seq, story.id))
            if story.last_day is not None:
                index._by_day.append((story.last_day, story.id))
        heapq.heapify(index._by_seq)
        heapq.heapify(index._by_day)
        index._copies = {str(c): str(o) for c, o in data["copies"]}
        index._aliases = {str(r): str(s) for r, s in data["aliases"]}
        return index
