"""Stage 5 itself: turn each story's articles into entities and claims.

One pass per original article: spaCy parses the clean text once (the only heavy
step), then the rule-based readers run over it: `numbers` for quantity phrases,
`timex` for time expressions resolved against the article's publication time,
`attribution` for source, cue and content, NER plus `entities.find_descriptors` for
mentions. Each sentence that asserts something (a verb, five words) becomes a claim;
a sentence whose figures come from two claimants ("Zelenskyy put the number at
4,000, although U.S. estimates were lower at around 1,200") becomes one claim per
claimant, both with the sentence's offsets.

Syndicated copies are not parsed again: each sentence of the original is looked up
in the copy and its claims and mentions are shifted there, with `copy_of` naming the
original claim. Only what the copy adds (or edits) is parsed, as small pieces.

Claimants are resolved per story, after every outlet's mentions are merged into
entities, so "Seoul's spy agency" in one article and "the NIS" in another are one
claimant and one origin.

Odd input: a text longer than `PARSE_CHUNK` characters (spaCy refuses a million, and
its memory grows with what one call holds) is parsed in pieces cut at paragraph breaks,
else at a sentence end, else at whitespace; offsets still index the article's text. An
article whose reading raises is one failure, not the run's: `extract_story_claims`
raises `ClaimsError` naming it, and `extract_claims(..., on_error=...)` reports it and
goes on without it. Every per-sentence step looks figures, times, cues and mentions up
by position (sorted lists, bisection), so a sentence of thousands of figures or an
article of a million characters costs about its length.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from crosswire.claims.attribution import Attribution, find_attributions, quoted_tokens
from crosswire.claims.attribution import Span as TextSpan
from crosswire.claims.cache import ReadCache, key_of
from crosswire.claims.entities import (
    ENTITY_LABELS,
    EntityLookup,
    Mention,
    acronym_key,
    acronyms,
    find_descriptors,
    fold,
    resolve_entities,
)
from crosswire.claims.errors import ClaimsError
from crosswire.claims.nlp import doc_text, load_nlp, parse_processes, remember_text
from crosswire.claims.numbers import NumberSpan, find_figures, noun_kind, quantity_kinds
from crosswire.claims.timex import TimeSpan, find_times
from crosswire.model import (
    Article,
    Claim,
    Entity,
    Quantity,
    Story,
    TimeRef,
    outlet_of,
    published_instant,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# hedges a reader should see flagged; matched on the claim sentence. Modals are matched
# in lower case only, so the month "May" is not a hedge.
_HEDGE = re.compile(
    r"\b(?:(?i:appears?|appeared|seems?|seemed)\s+to|(?i:apparently|reportedly|allegedly|"
    r"purportedly|presumably|possibly)|(?:is|are|was|were)\s+(?:believed|thought|expected|"
    r"estimated|understood)\s+to|(?:a|the)\s+(?:reported|alleged|suspected|possible)|"
    r"(?i:unconfirmed|unverified)|(?:could|can)\s+not\s+be\s+(?:independently\s+)?"
    r"(?:verified|confirmed)|may|might|could|likely|it\s+is\s+unclear|rumou?red)\b"
)
# The name parts hold spaces, so whitespace after them is matched only from its first
# other whitespace character on ("[^\S ]"), and each stretch of whitespace by one
# quantifier: two adjacent ones (a name part, "\s*", an optional group, "\s*") made a
# sentence starting "AB" and 1,000 spaces take seconds (cubic backtracking).
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]*)?(?:[^\S ]\s*)?(?:\([^)]*\)\s*)?(?:--|—|–)\s*"
)
# "NAIROBI, Kenya (CPA)": a capitalised city, up to three capitalised words, a credit
_BARE_DATELINE = re.compile(
    r"^[A-Z]{2,}[A-Z .'’-]*,\s*[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,2}"
    r"\s*(?:\([^)]*\)\s*)?(?:(?:--|—|–)\s*)?$"
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
# verbs by which a named body gives a figure as its own finding: "the institute measured
# the quake at magnitude 6.2", "the service put the magnitude at 5.9"
_MEASURING = frozenset(
    {
        "measured",
        "measures",
        "put",
        "puts",
        "placed",
        "places",
        "estimated",
        "estimates",
        "recorded",
        "records",
        "counted",
        "counts",
        "registered",
        "calculated",
        "tallied",
        "forecast",
        "forecasts",
        "projected",
        "projects",
    }
)
# nouns that name a body able to measure, when no proper name does
_BODIES = frozenset(
    {
        "institute",
        "agency",
        "service",
        "ministry",
        "centre",
        "center",
        "survey",
        "office",
        "authority",
        "authorities",
        "department",
        "bureau",
        "observatory",
        "police",
        "commission",
        "company",
        "government",
    }
)
_MIN_WORDS = 5
# a figure makes a short sentence a claim: "The final tally was 97-1.", "The toll rose to 17."
_MIN_FIGURE_WORDS = 3
# parse pieces a copy adds only when they are long enough to hold a sentence
_MIN_NOVEL_CHARS = 40
_NLP_BATCH = 32
# texts below which the parse stays in this process: starting the others (each loads
# the model) costs more than they save on a small batch, such as one submitted article
PARALLEL_MIN = 256
# texts a parse process takes at a time: with pieces of up to PARSE_CHUNK characters, a
# small batch bounds what each holds
_PARALLEL_BATCH = 8
# the longest text one parse takes: news articles are far shorter (a few thousand
# characters), so only odd inputs are cut; spaCy refuses 1,000,000 (nlp.max_length)
PARSE_CHUNK = 100_000
# characters one nlp.pipe batch may hold, so that 32 pieces of PARSE_CHUNK are never
# parsed (and held) at once; 32 ordinary articles stay one batch
_BATCH_CHARS = 150_000
# spaCy's tokenizer splits a run without whitespace one prefix at a time, each time
# searching the rest again: 8,000 "$" or quote marks in a row take 5 to 12 seconds, and
# twice as many four times as long. No word is this long (URLs rarely are), so longer
# runs are parsed in pieces of this size, each a text of its own.
MAX_RUN = 400
_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")
# where a text over PARSE_CHUNK is cut, best first: a paragraph break (no claim sentence
# spans one), a line break, a sentence end, any whitespace
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


OnError = Callable[[ClaimsError], None]
# a source phrase as the article gives it: start, end, text, and where its head word is
_Source = tuple[int, int, str, tuple[int, int] | None]


@dataclass(slots=True)
class _Draft:
    """A claim before its story's entities are known: sources are still text spans."""

    k: int
    start: int
    end: int
    text: str
    source: tuple[int, int] | None = None
    source_text: str | None = None
    source_head: tuple[int, int] | None = None
    cue: str | None = None
    recipient: str | None = None
    hedge: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    time: TimeRef | None = None
    copy_of: int | None = None  # k of the original's draft


@dataclass(slots=True)
class _Read:
    """What one article yields before resolution; offsets index its own text."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def extract_claims(
    stories: Sequence[Story],
    articles: Sequence[Article],
    on_error: OnError | None = None,
    cache: ReadCache | None = None,
) -> None:
    """Fill `entities` and `claims` of every story in place.

    Without `on_error` the first failure raises `ClaimsError`. With it, an article whose
    reading raises is reported there and left out (its story keeps its other articles'
    claims; a syndicated copy of it is read as an original), and a story whose entity
    resolution raises is reported with `article` None and left as it was.
    Parsing is batched across stories; `extract_story_claims` does one story alone.
    With `cache`, originals read in an earlier batch are not parsed again.
    """
    _extract(stories, {article.id: article for article in articles}, on_error, cache)


def extract_story_claims(story: Story, articles: Mapping[str, Article]) -> None:
    """Fill one story's `entities` and `claims` in place (`articles` by id; it may hold
    other stories' articles too). Raises `ClaimsError` naming the article that failed, or
    with `article` None when the story's entity resolution did; the story is then left
    as it was."""
    _extract([story], articles, None, None)


def _extract(
    stories: Sequence[Story],
    by_id: Mapping[str, Article],
    on_error: OnError | None,
    cache: ReadCache | None,
) -> None:
    story_of = {i: story.id for story in stories for i in story.articles}
    members = list(
        {i: by_id[i] for story in stories for i in story.articles if i in by_id}.values()
    )
    originals = [a for a in members if a.duplicate_of is None or a.duplicate_of not in by_id]
    original_ids = {a.id for a in originals}
    reads: dict[str, _Read] = {}
    failed: set[str] = set()

    def fail(article_id: str, exc: Exception) -> None:
        error = ClaimsError(story_of.get(article_id), article_id, exc)
        if on_error is None:
            raise error
        failed.add(article_id)
        reads.pop(article_id, None)
        on_error(error)

    def cut(items: Sequence[tuple[Article, int, str]]) -> list[_Item]:
        pieces: list[_Item] = []
        for article, at, text in items:
            try:
                pieces.extend((article, at + start, piece) for start, piece in _pieces(text))
            except Exception as exc:  # a text that is no text fails its article only
                fail(article.id, exc)
        return pieces

    nlp = load_nlp()
    unread: list[Article] = []
    for article in originals:
        cached = None
        if cache is not None and isinstance(article.text, str):
            cached = cache.get(key_of(article.id, article.published, article.text))
        if cached is None:
            unread.append(article)
        else:
            reads[article.id] = cached
    for (article, start, _), doc in _parse(nlp, cut([(a, 0, a.text) for a in unread])):
        if article.id not in failed:
            _read_piece(article, doc, start, reads, fail)
    if cache is not None:
        for article in unread:
            if article.id in reads:
                cache.put(key_of(article.id, article.published, article.text), reads[article.id])

    novel: list[tuple[Article, int, str]] = []
    for copy in members:
        if copy.id in original_ids:
            continue
        source = by_id.get(copy.duplicate_of) if copy.duplicate_of else None
        if source is None or source.id not in reads:
            novel.append((copy, 0, copy.text))
            reads[copy.id] = _Read()
            continue
        try:
            read, gaps = _map_copy(copy, source, reads[source.id])
        except Exception as exc:  # one copy's failure is reported, not fatal
            fail(copy.id, exc)
            continue
        reads[copy.id] = read
        novel.extend((copy, start, copy.text[start:end]) for start, end in gaps)
    for (copy, offset, _), doc in _parse(nlp, cut(novel)):
        if copy.id not in failed:
            _read_piece(copy, doc, offset, reads, fail)

    for story in stories:
        ids = [i for i in story.articles if i in reads]
        try:
            _finish_story(story, [by_id[i] for i in ids], reads, fail)
        except ClaimsError:
            raise
        except Exception as exc:  # reported per story, the others go on
            error = ClaimsError(story.id, None, exc)
            if on_error is None:
                raise error from exc
            on_error(error)


def _read_piece(
    article: Article,
    doc: Doc | Exception,
    offset: int,
    reads: dict[str, _Read],
    fail: Callable[[str, Exception], None],
) -> None:
    """Read one parsed piece into the article's read; a failure fails the article."""
    if isinstance(doc, Exception):
        fail(article.id, doc)
        return
    try:
        read = _read(article, doc, offset)
    except Exception as exc:  # one article's failure is reported, not fatal
        fail(article.id, exc)
        return
    _merge(reads.setdefault(article.id, _Read()), read)


def _pieces(text: str) -> list[tuple[int, str]]:
    """`text` as (offset, piece) parse units of at most PARSE_CHUNK characters, none
    holding a run of more than MAX_RUN characters without whitespace."""
    cuts = [0]
    while len(text) - cuts[-1] > PARSE_CHUNK:
        cuts.append(_cut(text, cuts[-1]))
    for run in _RUN.finditer(text):
        cuts.extend(range(run.start(), run.end(), MAX_RUN))
        cuts.append(run.end())
    bounds = sorted({*cuts, len(text)})
    return [(a, text[a:b]) for a, b in pairwise(bounds)] or [(0, text)]


def _cut(text: str, pos: int) -> int:
    """Where the piece starting at `pos` ends: after the last break of the best kind in its
    last three quarters (a piece is never cut to a sliver), else at PARSE_CHUNK."""
    limit = pos + PARSE_CHUNK
    floor = pos + PARSE_CHUNK // 4
    for pattern in _CUTS:
        last = None
        for match in pattern.finditer(text, floor, limit):
            last = match
        if last is not None:
            return last.end()
    return limit


_Item = tuple[Article, int, str]


def _parse(nlp: Language, items: Sequence[_Item]) -> Iterator[tuple[_Item, Doc | Exception]]:
    """Each item with its parse (or the exception parsing it raised), in order. Many
    items are parsed by `parse_processes()` processes; should that fail, what is left is
    parsed here, in batches of at most _NLP_BATCH texts and _BATCH_CHARS characters."""
    done = 0
    processes = parse_processes()
    if processes > 1 and len(items) >= PARALLEL_MIN:
        texts = (text for _, _, text in items)
        try:
            for doc in nlp.pipe(texts, batch_size=_PARALLEL_BATCH, n_process=processes):
                yield items[done], remember_text(doc, items[done][2])
                done += 1
        except Exception:  # a text or a worker failed: the rest is parsed one process
            pass
    batch: list[_Item] = []
    size = 0
    for item in items[done:]:
        if batch and (len(batch) >= _NLP_BATCH or size + len(item[2]) > _BATCH_CHARS):
            yield from _parse_batch(nlp, batch)
            batch, size = [], 0
        batch.append(item)
        size += len(item[2])
    if batch:
        yield from _parse_batch(nlp, batch)


def _parse_batch(nlp: Language, batch: list[_Item]) -> Iterator[tuple[_Item, Doc | Exception]]:
    try:
        docs = list(nlp.pipe((text for _, _, text in batch), batch_size=len(batch)))
    except Exception:  # one text broke the batch: find it, keep the others
        for item in batch:
            try:
                yield item, remember_text(nlp(item[2]), item[2])
            except Exception as exc:
                yield item, exc
        return
    for item, doc in zip(batch, docs, strict=True):
        yield item, remember_text(doc, item[2])


class _People:
    """A read's PERSON mentions in text order (NER spans do not overlap, so their ends are
    in order too): "he" is the last one ending before the pronoun."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = [m for m in mentions if m.label == "PERSON"]
        self.ends = [m.end for m in self.mentions]

    def last_before(self, start: int) -> Mention | None:
        k = bisect_right(self.ends, start)
        return self.mentions[k - 1] if k else None


def _window(starts: Sequence[int], s0: int, s1: int) -> slice:
    """The items (sorted by start) that start in [s0, s1)."""
    return slice(bisect_left(starts, s0), bisect_left(starts, s1))


def _read(article: Article, doc: Doc, offset: int) -> _Read:
    """Drafts and mentions of one parsed text (an article, or a piece of a copy at `offset`)."""
    text = doc_text(doc)
    reference = published_instant(article.published)
    numbers = find_figures(text)
    times = [t for t in find_times(text, reference) if t.interval is not None]
    quoted_at = quoted_tokens(doc)
    attributions = sorted(find_attributions(doc, quoted=quoted_at), key=lambda a: a.cue.start)
    quoted = {doc[i].idx for i in quoted_at}
    number_starts = [n.start for n in numbers]
    time_starts = [t.start for t in times]
    cue_starts = [a.cue.start for a in attributions]
    read = _Read()
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS:
            read.mentions.append(
                Mention(
                    article.id, ent.start_char + offset, ent.end_char + offset, ent.text, ent.label_
                )
            )
    for start, end in find_descriptors(text):
        read.mentions.append(
            Mention(article.id, start + offset, end + offset, text[start:end], "ORG", True)
        )
    people = _People(read.mentions)
    last_sources: dict[str, _Source] = {}
    quotes = _Quotations()
    # figures the outlet gave as its own: "the $84,000" later refers back to one of them
    # ("X pledged to repay the $84,000"), it is no new figure X gives
    stated: set[str] = set()
    previous_end = 0
    for sent in _sentences(doc):
        # this sentence's drafts are read.drafts[first:]: every earlier one starts before it
        first = len(read.drafts)
        read.sentences.append((sent.start_char + offset, sent.end_char + offset))
        s0, s1 = sent.start_char, sent.end_char
        if "\n" in text[previous_end:s0]:
            quotes.new_paragraph()
        previous_end = s1
        # "PORTO, Portugal (CPA) -- Floods ...": the dateline says where the outlet
        # filed from, it is not part of what the sentence claims
        dateline = _DATELINE.match(text[s0:s1])
        if dateline is not None and dateline.end() < s1 - s0:
            s0 += dateline.end()
        sent_text = text[s0:s1]
        window = _window(number_starts, s0, s1)
        if not _asserts(sent, window.start < window.stop):
            quotes.skip(sent_text)
            continue
        # a cue with nobody behind it ("is expected to"), or only the dateline the parser
        # took for a subject, names no claimant: the figure goes to whoever else is cited
        sent_atts = [a for a in attributions[_window(cue_starts, s0, s1)] if _names_someone(a)]
        sent_nums = [n for n in numbers[window] if n.end <= s1]
        if sent_nums and not sent_atts:
            sent_atts = _measured_by(sent)
        sent_times = _times_apart(times[_window(time_starts, s0, s1)], s1, sent_nums)
        framing = [
            n
            for n in sent_nums
            if n.start not in quoted
            and (
                _dates_an_event(text, n)
                or _in_circumstances(doc, n, sent_atts)
                or (_THE.match(text, max(n.start - 4, 0), n.start) and n.text in stated)
            )
        ]
        groups = _group_by_attribution(sent_nums, sent_atts, framing)
        hedge = _HEDGE.search(sent_text)
        background = _background(sent)
        local = [replace(n, start=n.start - s0, end=n.end - s0) for n in sent_nums]
        kinds = dict(zip(map(id, sent_nums), quantity_kinds(sent_text, local), strict=True))
        for attribution, nums in groups:
            draft = _Draft(
                k=len(read.drafts),
                start=s0 + offset,
                end=s1 + offset,
                text=sent_text,
                hedge=hedge.group(0) if hedge else None,
            )
            if attribution is not None:
                _attribute(draft, attribution, offset, last_sources, people, doc)
            for number in nums:
                kind, subject = kinds[id(number)]
                if (
                    number.kind is None
                    and subject
                    and kind != "magnitude"
                    and kind == subject.split()[-1].lower()
                ):
                    # the words after a figure are only a guess at what it counts
                    # ("two people familiar with ..."); the parse knows the noun
                    kind, subject = _counted_noun(doc, number) or (kind, subject)
                quantity = _quantity(number, kind, subject, offset)
                quantity.background = background[0] <= number.start < background[1]
                draft.quantities.append(quantity)
            time = _claim_time(sent_times, attribution, nums)
            if time is not None and time.interval is not None:
                draft.time = TimeRef(time.text, time.interval[0], time.interval[1], time.value)
            read.drafts.append(draft)
        drafts = read.drafts[first:]
        stated.update(
            q.text
            for d in drafts
            if d.source is None
            for q in d.quantities
            if q.start - offset not in quoted
        )
        speaker = _speaker_of(sent_atts, offset, s0, s1, last_sources, people)
        if speaker is None and sent_text.rstrip().endswith(":"):
            speaker = _speaker_of(_introduced_by(sent), offset, s0, s1, last_sources, people)
        quotes.sentence(sent_text, drafts, speaker)
    quotes.end_paragraph()
    return read


class _Quotations:
    """Who speaks a quoted sentence that names no speaker of its own.

    News prose names a speaker once per quotation: before it ("NBC notes, “... . ...”"),
    after it ("“... . ...,” said Tomasz Nowak."), or once for a run of quoted sentences
    ("“...,” Ortiz said. “...”"). A quoted sentence without a speaker takes the one
    its paragraph has named for a quotation, or waits for the next. A paragraph that is
    all quotation, naming no one, continues the speaker the paragraph before ended on
    ("He accused the mayor of ...\n“This is about 800 families ...”"); any other wait
    ends at the paragraph break and the quotation stays the outlet's. Inside a
    quotation "I" and "we" are the speaker too.
    """

    def __init__(self) -> None:
        self.inside = False  # within a quotation opened by an earlier sentence
        self.speaker: _Draft | None = None  # who this paragraph's quotation is by
        self.waiting: list[_Draft] = []  # quoted drafts before their speaker is named
        self.last: _Draft | None = None  # the speaker the last sentence named
        self.before: _Draft | None = None  # ... the last sentence of the paragraph before
        self.fresh = True  # no sentence of this paragraph read yet
        self.all_quoted = False  # the paragraph opened with a quotation, no speaker named

    def new_paragraph(self) -> None:
        self.end_paragraph()
        self.before, self.last = self.last, None
        self.speaker, self.waiting, self.fresh = None, [], True

    def end_paragraph(self) -> None:
        if self.waiting and self.all_quoted and self.before is not None:
            for draft in self.waiting:
                _speak(draft, self.before)
        self.waiting = []

    def skip(self, text: str) -> None:
        """A sentence that makes no claim still opens or closes a quotation."""
        self._read(text, None)

    def sentence(self, text: str, drafts: Sequence[_Draft], speaker: _Draft | None) -> None:
        """Read one claim sentence: its drafts, and who it names as speaking (if anyone)."""
        quoted = self.inside or text.lstrip().startswith(_OPENING_QUOTES)
        marks = _has_quote(text)
        unspoken = [d for d in drafts if d.source is None or _first_person(d)]
        if speaker is not None:
            if self.waiting and (quoted or marks or _speaker_tag(text, drafts)):
                for draft in self.waiting:
                    _speak(draft, speaker)
                self.waiting = []
            if quoted or marks:
                self.speaker = speaker
                for draft in unspoken:
                    if _first_person(draft):
                        _speak(draft, speaker)
        elif quoted and unspoken:
            if self.speaker is not None:
                for draft in unspoken:
                    _speak(draft, self.speaker)
            else:
                self.waiting.extend(unspoken)
        self._read(text, speaker)

    def _read(self, text: str, speaker: _Draft | None) -> None:
        if self.fresh:
            self.all_quoted = text.lstrip().startswith(_OPENING_QUOTES)
            self.fresh = False
        if speaker is not None:
            self.all_quoted = False
        self.last = speaker
        self.inside = _open_after(text, self.inside)


def _open_after(text: str, inside: bool) -> bool:
    """Whether a quotation is open after TEXT (curly marks, or straight ones by parity)."""
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2 == 1
    if curly > 0:
        return True
    if curly < 0 or "”" in text:
        return False
    return inside != straight


_OPENING_QUOTES = ("“", '"')


def _speaker_of(
    attributions: Sequence[Attribution],
    offset: int,
    s0: int,
    s1: int,
    last_sources: dict[str, _Source],
    people: _People,
) -> _Draft | None:
    """Who a sentence names as speaking: of its attributions to someone other than "I" or
    "we", the one saying the most (""The report found that ...," said Buck": Buck)."""
    named = [a for a in attributions if not _says_we(a)]
    if not named:
        return None
    main = max(reversed(named), key=lambda a: a.content.end - a.content.start if a.content else 0)
    draft = _Draft(k=-1, start=s0 + offset, end=s1 + offset, text="")
    _attribute(draft, main, offset, last_sources, people)
    return draft if draft.source is not None else None


def _speaker_tag(text: str, drafts: Sequence[_Draft]) -> bool:
    """ "Council Leader Maria Ortiz asked on Tuesday.": a sentence that only says who spoke."""
    return len(text.split()) <= _SPEAKER_TAG_WORDS and not any(d.quantities for d in drafts)


_SPEAKER_TAG_WORDS = 10


def _has_quote(text: str) -> bool:
    return "“" in text or "”" in text or text.count('"') >= 2


def _first_person(draft: _Draft) -> bool:
    return (draft.source_text or "").lower() in _FIRST_PERSON


def _speak(draft: _Draft, speaker: _Draft) -> None:
    draft.source, draft.source_text, draft.cue = speaker.source, speaker.source_text, speaker.cue
    draft.source_head = speaker.source_head


def _times_apart(
    times: Sequence[TimeSpan], s1: int, numbers: Sequence[NumberSpan]
) -> list[TimeSpan]:
    """The times (starting in the sentence) that end in it and overlap none of its figures
    ("2025" in "2025 budget" is no figure; "12 days" read as both is the figure's)."""
    ends = [n.end for n in numbers]
    starts = [n.start for n in numbers]
    out = []
    for t in times:
        if t.end > s1:
            continue
        # figures do not overlap each other, so the last one starting before the time
        # ends is the one that reaches furthest
        k = bisect_left(starts, t.end) - 1
        if k >= 0 and ends[k] > t.start:
            continue
        out.append(t)
    return out


_LEADING_CLOSER = re.compile(r"^[\"”’'»)\]]+\s+")


def _sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, cut at paragraph breaks (a sentence never spans two) and without
    a closing quote the parser hung on the next paragraph's first sentence."""
    text = doc_text(doc)
    pieces: list[Span] = []
    for sent in doc.sents:
        start = sent.start_char
        for line in re.split(r"(\n+)", text[sent.start_char : sent.end_char]):
            end = start + len(line)
            lead = len(line) - len(line.lstrip())
            stripped = line.strip()
            closer = _LEADING_CLOSER.match(stripped)
            if closer:
                lead += closer.end()
                stripped = stripped[closer.end() :]
            if stripped:
                span = doc.char_span(start + lead, start + lead + len(stripped), "expand")
                if span is not None:
                    pieces.append(span)
            start = end
    return pieces


def _measured_by(sent: Span) -> list[Attribution]:
    """The body that measured, estimated or counted a figure, as its attribution: a
    sentence without a cue whose verb is one of _MEASURING and whose subject is a named
    entity or an institution ("The Peruvian Seismological Institute measured ...")."""
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lower_ not in _MEASURING:
            continue
        subject = _nsubj(verb)
        if subject is None or not (_named(subject) or subject.lower_ in _BODIES):
            continue
        return [_said_by(verb, subject, content=True)]
    return []


def _introduced_by(sent: Span) -> list[Attribution]:
    """Who a sentence ending in a colon introduces as speaking next, without a speech
    verb ("Obama used the same language against McCain:" before a quotation): the named
    subject of its main verb."""
    subject = _nsubj(sent.root)
    if subject is None or not _named(subject):
        return []
    return [_said_by(sent.root, subject, content=False)]


def _nsubj(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _named(token: Token) -> bool:
    """A proper noun or a named entity that can speak."""
    return token.pos_ == "PROPN" or token.ent_type_ in {"ORG", "PERSON", "NORP"}


def _said_by(verb: Token, subject: Token, content: bool) -> Attribution:
    """The verb as cue, its subject's phrase as source, and with `content` the verb's
    clause as what was said."""
    doc = verb.doc
    return Attribution(
        cue=_text_span(doc[verb.i : verb.i + 1]),
        source=_text_span(doc[subject.left_edge.i : subject.right_edge.i + 1]),
        content=_text_span(doc[verb.i : verb.right_edge.i + 1]) if content else None,
    )


def _text_span(tokens: Span) -> TextSpan:
    return TextSpan(tokens.start_char, tokens.end_char, tokens.text)


_NOUN_MODIFIERS = frozenset({"compound", "amod", "nmod"})


def _counted_noun(doc: Doc, number: NumberSpan) -> tuple[str, str] | None:
    """(kind, counted) from the noun the figure's last token modifies in the parse:
    "two people familiar with ..." -> ("people", "people"), "10,000 North Korean
    soldiers" -> ("troops", "North Korean soldiers"); None when it modifies no noun."""
    span = doc.char_span(number.start, number.end, alignment_mode="expand")
    if span is None:
        return None
    last = span[-1]
    head = last.head
    if last.dep_ not in {"nummod", "quantmod"} or head.pos_ not in {"NOUN", "PROPN"}:
        return None
    if head.i <= last.i:
        return None
    first = head.i
    for child in head.lefts:
        if child.i > last.i and child.dep_ in _NOUN_MODIFIERS:
            first = min(first, child.i)
    return noun_kind(head.text), doc[first : head.i + 1].text


_TIME_UNITS = frozenset(
    {"hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"}
)


def _background(sent: Span) -> tuple[int, int]:
    """Characters of `sent` that tell of another, earlier or later event, set off by a
    time distance: "The tremor came two days after [a quake in Peru killed 17]" (after
    the main verb: the rest of the sentence), "[Two days after the quake,] the toll rose
    to 17" (before it: up to the comma). (0, 0) when there is none."""
    doc = sent.doc
    for token in sent:
        if (
            token.lower_ not in {"after", "before"}
            or token.i == sent.start
            or doc[token.i - 1].lower_ not in _TIME_UNITS
        ):
            continue
        if token.i > sent.root.i:
            return token.idx, sent.end_char
        comma = next((t for t in sent if t.i > token.i and t.text == ","), None)
        return token.idx, comma.idx if comma is not None else sent.end_char
    return 0, 0


def _says_we(attribution: Attribution) -> bool:
    source = attribution.source or attribution.via
    return source is not None and source.text.lower() in _FIRST_PERSON


# inside a quotation these are the speaker ("Our count is ...," Cardoso said)
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})


def _names_someone(attribution: Attribution) -> bool:
    source = attribution.source or attribution.via
    return source is not None and not _BARE_DATELINE.match(source.text)


def _asserts(sent: Span, has_figure: bool = False) -> bool:
    words = sum(1 for token in sent if token.is_alpha)
    least = _MIN_FIGURE_WORDS if has_figure else _MIN_WORDS
    if words < least or sent.text.rstrip().endswith("?"):
        return False
    return any(token.pos_ in {"VERB", "AUX"} for token in sent)


def _dates_an_event(text: str, number: NumberSpan) -> bool:
    """A time distance that places an event in time: "two weeks earlier", "eight years
    ago", "15 years after the attacks", "after 12 days of protests". Outside a quotation
    it is the writer's framing ("ago" counts from the writer's now), not the speaker's."""
    if number.unit != "days":
        return False
    if _DISTANCE_AFTER.match(text, number.end):
        return True
    return _DISTANCE_BEFORE.search(text, 0, number.start) is not None and bool(
        _OF_AFTER.match(text, number.end)
    )


_THE = re.compile(r"the ", re.IGNORECASE)
_DISTANCE_AFTER = re.compile(r"\s+(?:ago|earlier|later|before|after)\b", re.IGNORECASE)
_DISTANCE_BEFORE = re.compile(r"\b(?:after|following)\s+$", re.IGNORECASE)
_OF_AFTER = re.compile(r"\s+of\b")


def _in_circumstances(doc: Doc, number: NumberSpan, attributions: Sequence[Attribution]) -> bool:
    """Whether the figure tells when or why someone spoke, outside what they said: in an
    adverbial clause of the cue's verb ("Democrats called for ... after the Justice
    Department indicted 12 officers"), which the writer adds."""
    if any(_holds(a.content, number) for a in attributions):
        return False
    span = doc.char_span(number.start, number.end, alignment_mode="expand")
    if span is None:
        return False
    cues = [(a.cue.start, a.cue.end) for a in attributions]
    token = span.root
    while token.head.i != token.i:
        if any(s <= token.idx < e for s, e in cues):
            return False  # it hangs from a nearer cue ("charges were filed accusing ...")
        if token.dep_ == "advcl" and any(s <= token.head.idx < e for s, e in cues):
            return True
        token = token.head
    return False


def _group_by_attribution(
    numbers: Sequence[NumberSpan],
    attributions: Sequence[Attribution],
    framing: Sequence[NumberSpan] = (),
) -> list[tuple[Attribution | None, list[NumberSpan]]]:
    """One group per claimant in the sentence: each figure goes to the attribution whose
    content holds it; a figure before the nearest cue and outside its content is the
    outlet's own ("A two-term congressman, Smith said he would run": "two-term" is not
    Smith's claim), any other goes to the nearest cue (a content may end too early). A sentence
    with no figures takes its first attribution (the main one), one with no attribution
    is the outlet's own, and so is each figure of `framing` (the writer's own words)."""
    if not attributions:
        return [(None, list(numbers))]
    if not numbers:
        # "We are asking ...,” said Nowak": inside a quotation the speaker is the main one
        named = [a for a in attributions if not _says_we(a)]
        return [((named or attributions)[0], [])]
    holders = _innermost(numbers, attributions)
    cues = [a.cue.start for a in attributions]
    in_order = all(a < b for a, b in pairwise(cues))
    groups: dict[int, list[NumberSpan]] = {}
    own: list[NumberSpan] = []
    framed = {id(n) for n in framing}
    for number, best in zip(numbers, holders, strict=True):
        if id(number) in framed:
            own.append(number)
            continue
        if best < 0:
            if any(_holds(a.source, number) for a in attributions):
                # "Schumer and 18 members of the committee called on ...": a figure in
                # who speaks is the outlet's account of them, not what they said
                own.append(number)
                continue
            best = _nearest(cues, number.start) if in_order else _nearest_scan(cues, number.start)
            # before its cue and outside its content: the sentence's own framing
            if attributions[best].content is not None and number.start < cues[best]:
                own.append(number)
                continue
        groups.setdefault(best, []).append(number)
    out: list[tuple[Attribution | None, list[NumberSpan]]] = [
        (attributions[i], groups[i]) for i in sorted(groups)
    ]
    if own:
        out.append((None, own))
    return out


def _holds(span: TextSpan | None, number: NumberSpan) -> bool:
    return span is not None and span.start <= number.start < span.end


def _innermost(numbers: Sequence[NumberSpan], attributions: Sequence[Attribution]) -> list[int]:
    """For each figure, the attribution with the shortest content holding its start (the
    nearest claimant: "X said Y estimated N"; ties to the first), -1 when none holds it.

    A sweep over figures in order with a heap of the contents open at each, not a scan of
    every content per figure: a long sentence can hold hundreds of both."""
    spans = sorted(
        (a.content.start, a.content.end, i)
        for i, a in enumerate(attributions)
        if a.content is not None
    )
    out = [-1] * len(numbers)
    open_: list[tuple[int, int, int]] = []  # (length, index, end)
    k = 0
    for n in sorted(range(len(numbers)), key=lambda n: numbers[n].start):
        at = numbers[n].start
        while k < len(spans) and spans[k][0] <= at:
            start, end, i = spans[k]
            heapq.heappush(open_, (end - start, i, end))
            k += 1
        # a content closed before `at` but below the top stays in the heap: it is popped
        # once it surfaces, and never chosen while it is shadowed
        while open_ and open_[0][2] <= at:
            heapq.heappop(open_)
        if open_:
            out[n] = open_[0][1]
    return out


def _nearest(starts: Sequence[int], at: int) -> int:
    """Index of the start (strictly increasing) nearest to `at`, the earlier on a tie."""
    k = bisect_left(starts, at)
    if k == 0:
        return 0
    if k == len(starts) or at - starts[k - 1] <= starts[k] - at:
        return k - 1
    return k


def _nearest_scan(starts: Sequence[int], at: int) -> int:
    return min(range(len(starts)), key=lambda i: abs(starts[i] - at))


def _attribute(
    draft: _Draft,
    attribution: Attribution,
    offset: int,
    last_sources: dict[str, _Source],
    people: _People,
    doc: Doc | None = None,
) -> None:
    """Set source, cue and recipient; "he" and "the official" point back to who they name
    (and, given the parse, "the attorney" to an earlier "attorney NAME")."""
    source = attribution.source or attribution.via
    if source is None:
        return
    draft.cue = attribution.cue.text
    if attribution.recipient is not None:
        draft.recipient = attribution.recipient.text
    named = attribution.name if source is attribution.source and attribution.name else source
    start, end, text = named.start + offset, named.end + offset, named.text
    root = attribution.source_head if source is attribution.source else None
    head_at = (root.start + offset, root.end + offset) if root is not None else None
    # the parser may hang the dateline on the subject: "PORTO, Portugal -- City officials"
    dateline = _DATELINE.match(text)
    if dateline and dateline.end() < len(text):
        start, text = start + dateline.end(), text[dateline.end() :]
    words = text.lower().split()
    head = _head(words)
    if text.lower() in _PRONOUNS:
        person = people.last_before(start)
        if text.lower() in {"he", "she"} and person is not None:
            start, end, text = person.start, person.end, person.text
            head_at = None
        elif head in last_sources:
            start, end, text, head_at = last_sources[head]
    elif words and _DEFINITE.match(words[0]) and head in last_sources:
        start, end, text, head_at = last_sources[head]
    else:
        last_sources[head] = (start, end, text, head_at)
        # "Strzok attorney Aitan Goelman said": later "the attorney" is Goelman too
        title = _title_of(doc, attribution) if doc is not None else None
        if title:
            last_sources[title] = (start, end, text, head_at)
    draft.source, draft.source_text, draft.source_head = (start, end), text, head_at


# "the attorney", "that official", "Strzok's attorney": someone the article named before
_DEFINITE = re.compile(r"^(?:the|this|that|\w+['’]s)$")


def _title_of(doc: Doc, attribution: Attribution) -> str | None:
    """The role word set before the name a source is ("attorney" of "Strzok attorney
    Aitan Goelman", "minister" of "Economy Minister Joana Meireles"), lower-cased: the
    nearest noun before the name that the parse hangs on it as a compound."""
    head_span = attribution.source_head
    if head_span is None or not head_span.text[:1].isupper():
        return None
    head = doc.char_span(head_span.start, head_span.end, alignment_mode="expand")
    if head is None:
        return None
    root = head.root
    name_start = root.i
    if root.ent_type_:
        while name_start > 0 and doc[name_start].ent_iob_ == "I":
            name_start -= 1
    titles = [
        t
        for t in root.lefts
        if t.dep_ == "compound" and t.i < name_start and t.is_alpha and t.pos_ in {"NOUN", "PROPN"}
    ]
    return titles[-1].lower_ if titles else None


_PREPOSITIONS = frozenset({"from", "of", "at", "with", "in", "for", "on", "to", "who", "that"})


def _head(words: Sequence[str]) -> str:
    """The head noun of a source phrase, near enough: the last word before a preposition
    or relative clause ("an official from Seoul's agency" -> "official")."""
    for i, word in enumerate(words):
        if i and word in _PREPOSITIONS:
            return words[i - 1].strip(",")
    return words[-1].strip(",") if words else ""


def _quantity(number: NumberSpan, kind: str | None, subject: str | None, offset: int) -> Quantity:
    return Quantity(
        text=number.text,
        low=number.low,
        high=number.high,
        kind=kind,
        approximate=number.approximate,
        unit=number.unit,
        subject=subject,
        start=number.start + offset,
        end=number.end + offset,
    )


def _claim_time(
    times: Sequence[TimeSpan], attribution: Attribution | None, numbers: Sequence[NumberSpan]
) -> TimeSpan | None:
    """The time the claim is about: inside the attributed content if any (not when it was
    said), else in the sentence; nearest to the figures when there are several.

    `times` are in order and do not overlap, so both their starts and their ends are
    sorted: the ones inside a content are one run of them, found by bisection."""
    lo, hi = 0, len(times)
    content = attribution.content if attribution is not None else None
    starts = [t.start for t in times]
    if content is not None:
        a = bisect_left(starts, content.start)
        b = bisect_right([t.end for t in times], content.end)
        if a < b:
            lo, hi = a, b
    if lo >= hi:
        return None
    if numbers:
        return times[lo + _nearest(starts[lo:hi], numbers[0].start)]
    return times[lo]


def _map_copy(copy: Article, original: Article, read: _Read) -> tuple[_Read, list[tuple[int, int]]]:
    """Shift the original's drafts and mentions onto the copy, sentence by sentence.

    Returns the mapped read and the stretches of the copy no original sentence covers.
    """
    mapped = _Read()
    covered: list[tuple[int, int]] = []
    cursor = 0
    # drafts are in text order; mentions are not (names, then descriptions), so they are
    # looked up through their starts and given back in their own order
    draft_starts = [d.start for d in read.drafts]
    mentions = _ByStart(read.mentions)
    for s0, s1 in read.sentences:
        sentence = original.text[s0:s1]
        at = copy.text.find(sentence, cursor)
        if at < 0:
            # moved up in the copy: only the text before the cursor is left to search
            at = copy.text.find(sentence, 0, cursor + len(sentence) - 1)
        if at < 0:
            continue
        delta = at - s0
        cursor = max(cursor, at + len(sentence))
        covered.append((at, at + len(sentence)))
        mapped.sentences.append((at, at + len(sentence)))
        for draft in read.drafts[_window(draft_starts, s0, s1)]:
            mapped.drafts.append(_shift_draft(draft, delta, len(mapped.drafts)))
        mapped.mentions.extend(
            Mention(copy.id, m.start + delta, m.end + delta, m.text, m.label, m.descriptor)
            for m in mentions.starting(s0, s1)
        )
    return mapped, _gaps(copy.text, covered)


class _ByStart:
    """Mentions found by where they start, given back in their list order."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = mentions
        self.order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
        self.starts = [mentions[i].start for i in self.order]

    def starting(self, s0: int, s1: int) -> list[Mention]:
        """The mentions starting in [s0, s1)."""
        return [self.mentions[i] for i in sorted(self.order[_window(self.starts, s0, s1)])]

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions inside [start, end]."""
        lo = bisect_left(self.starts, start)
        hi = bisect_right(self.starts, end)
        return [self.mentions[i] for i in sorted(self.order[lo:hi]) if self.mentions[i].end <= end]


def _shift_draft(draft: _Draft, delta: int, k: int) -> _Draft:
    return replace(
        draft,
        k=k,
        start=draft.start + delta,
        end=draft.end + delta,
        source=_shift(draft.source, delta),
        source_head=_shift(draft.source_head, delta),
        quantities=[replace(q, start=q.start + delta, end=q.end + delta) for q in draft.quantities],
        copy_of=draft.k,
    )


def _shift(span: tuple[int, int] | None, delta: int) -> tuple[int, int] | None:
    return (span[0] + delta, span[1] + delta) if span is not None else None


def _gaps(text: str, covered: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    gaps: list[tuple[int, int]] = []
    cursor = 0
    for start, end in [*sorted(covered), (len(text), len(text))]:
        piece = text[cursor:start]
        if start > cursor and sum(ch.isalpha() for ch in piece) >= _MIN_NOVEL_CHARS:
            # trimmed, so that a claim sentence never carries the blank lines around it
            lead = len(piece) - len(piece.lstrip())
            gaps.append((cursor + lead, cursor + len(piece.rstrip())))
        cursor = max(cursor, end)
    return gaps


def _merge(into: _Read, extra: _Read) -> None:
    """Add a parsed piece of a copy; its drafts continue the copy's numbering."""
    into.sentences.extend(extra.sentences)
    into.mentions.extend(extra.mentions)
    for draft in extra.drafts:
        draft.k = len(into.drafts)
        into.drafts.append(draft)
    into.drafts.sort(key=lambda d: (d.start, d.k))


def _finish_story(
    story: Story,
    articles: Sequence[Article],
    reads: dict[str, _Read],
    fail: Callable[[str, Exception], None],
) -> None:
    """Merge the story's mentions into entities and turn its drafts into claims; the story
    is written only at the end, so a failure leaves it as it was."""
    mentions = [m for a in articles for m in reads[a.id].mentions]
    entities, index = resolve_entities(mentions, story.id)
    by_entity = {entity.id: entity for entity in entities}
    names = EntityLookup(entities)
    claims: list[Claim] = []
    for article in articles:
        try:
            claims.extend(_article_claims(article, reads[article.id], index, by_entity, names))
        except Exception as exc:  # one article's failure is reported, not fatal
            fail(article.id, exc)
    story.entities = entities
    story.claims = claims


def _article_claims(
    article: Article,
    read: _Read,
    index: dict[tuple[str, int, int], str],
    by_entity: Mapping[str, Entity],
    names: EntityLookup,
) -> list[Claim]:
    wire = article.original_source
    outlet = outlet_of(article)
    mentions = _ByStart([m for m in read.mentions if (m.article, m.start, m.end) in index])
    claims: list[Claim] = []
    for draft in read.drafts:
        claim_id = f"{article.id}-c{draft.k}"
        claimant, claimant_name, role = _claimant(draft, mentions, index, names, by_entity)
        if claimant is not None and claimant in by_entity and not role:
            claimant_name = by_entity[claimant].name
        own = claimant is None
        if own:
            claimant = claimant_name = wire or outlet
        chain = [claimant_name or outlet]
        if draft.recipient:
            chain.append(draft.recipient)
        if wire:
            chain.append(wire)
        chain.append(outlet)
        original_article = article.duplicate_of
        claims.append(
            Claim(
                id=claim_id,
                article=article.id,
                text=draft.text,
                start=draft.start,
                end=draft.end,
                claimant=claimant,
                claimant_name=claimant_name,
                via=_dedupe_chain(chain),
                cue=draft.cue,
                hedged=draft.hedge is not None,
                hedge=draft.hedge,
                quantities=draft.quantities,
                time=draft.time,
                entities=sorted(
                    {
                        index[(m.article, m.start, m.end)]
                        for m in mentions.starting(draft.start, draft.end)
                    }
                ),
                outlet=outlet,
                published=article.published,
                origin=f"outlet:{claimant}" if own else claimant,
                copy_of=(
                    f"{original_article}-c{draft.copy_of}"
                    if draft.copy_of is not None and original_article
                    else None
                ),
            )
        )
    return claims


def _claimant(
    draft: _Draft,
    mentions: _ByStart,
    index: dict[tuple[str, int, int], str],
    names: EntityLookup,
    by_entity: Mapping[str, Entity],
) -> tuple[str | None, str | None, bool]:
    """The entity behind a source span, or the phrase itself when it names several; and
    whether the phrase, not the entity's name, is what a reader should see.

    "Ukrainian President Volodymyr Zelenskyy" is the person; "an official from the
    NIS" is the agency; "U.S., South Korean and Ukraine intelligence officials"
    names three countries, so the phrase stands as the claimant. `mentions` are the
    article's mentions that have an entity.
    """
    if draft.source is None:
        return None, None, False
    start, end = draft.source
    text = draft.source_text or ""
    inside = mentions.within(start, end)
    # "the lawyer for Mrs. Clinton, David Kendall": the role's own name, set off by a comma
    apposed = [
        m for m in inside if m.label == "PERSON" and text[: m.start - start].rstrip().endswith(",")
    ]
    head = draft.source_head
    if len(apposed) == 1 and head is not None and head[0] < apposed[0].start:
        m = apposed[0]
        return index[(m.article, m.start, m.end)], text, False
    if draft.source_head is not None and inside:
        role = _role_of(inside, draft.source_head)
        if role is not None:
            body = {index[(m.article, m.start, m.end)]: m.label for m in role}
            if len(body) != 1:
                return text, text, True
            # "City officials in Porto": the city stands behind them, they are who spoke;
            # "a study by the Center for Immigration Studies" is the centre's
            (entity, label), *_ = body.items()
            known = by_entity.get(entity)
            if known is not None and known.type == "PERSON":
                # NER read a person's name as an organisation ("Strzok's attorney"), and
                # the story's other mentions say who it is: a person's attorney,
                # spokesman or aide speaks for them but is not them
                return text, text, True
            return entity, text, label != "ORG"
    if not inside:
        named = names.find(text)
        if named is not None:
            return named.id, text, False
        return text, text, False
    # a descriptor covering the whole phrase ("Seoul's spy agency") beats the place in it
    inside.sort(key=lambda m: m.end - m.start, reverse=True)
    if inside[0].descriptor:
        widest = inside[0]
        return index[(widest.article, widest.start, widest.end)], text, False
    ids = {index[(m.article, m.start, m.end)]: m.label for m in inside}
    for label in ("PERSON", "ORG"):
        chosen = [i for i, lab in ids.items() if lab == label]
        if len(chosen) == 1:
            return chosen[0], text, False
    if len(ids) == 1:
        return next(iter(ids)), text, False
    return text, text, False


def _role_of(inside: list[Mention], head: tuple[int, int]) -> list[Mention] | None:
    """When a source phrase names a role, not a name, the bodies it speaks for.

    None when a name holds the phrase's head word ("Aitan Goelman, Strzok's attorney"):
    the name is the claimant. Otherwise the head is a role ("U.S. officials",
    "Strzok's attorney", "an official from the NIS"): the organisation or place it
    speaks for stands behind it (the origin); a person or a people it merely mentions
    does not (empty list).
    """
    if any(m.start <= head[0] and head[1] <= m.end for m in inside):
        return None
    return [m for m in inside if m.label == "ORG"] or [m for m in inside if m.label == "GPE"]


def _same_name(a: str, b: str) -> bool:
    if fold(a) == fold(b):
        return True
    key_a, key_b = acronym_key(a), acronym_key(b)
    return (key_a is not None and key_a in acronyms(b)) or (
        key_b is not None and key_b in acronyms(a)
    )


def _dedupe_chain(chain: Sequence[str]) -> list[str]:
    """Drop a link that names the one before it (told AFP, credited AFP, printed by AFP)."""
    out: list[str] = []
    for link in chain:
        if not out or not _same_name(out[-1], link):
            out.append(link)
    return out
