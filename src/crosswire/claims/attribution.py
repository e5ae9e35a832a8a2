"""Who said what: attribution relations (source, cue, content) from a spaCy parse.

A verb, or a copula heading its clause ("is eager to"), is a cue when a logistic model
learned on PolNeAR *train* says so (weights in attribution_cues.json, derived by
scripts/learn_attribution_cues.py; features: the form and a crude stem, its dependency
label, which kinds of children it has and their words, its head, quotation marks, its
neighbours). PolNeAR's cues go well beyond speech ("voted against", "wants", "touted"),
which a lexicon cannot list. The cue span grows from its head one token at a time while a
second learned model says the gold cue does ("has also said", "called for", "refused to
ban", "said in an interview", "said:"), never into the head's complement clause. Rules
add "according to", reporting nouns before a copula ("U.S. estimates were ..."), "put the
number/toll ... at" and transcript "NAME:". Thresholds were chosen on held-out train
documents for the evaluation's exact cue and source F1.
The source is the verb's subject subtree as written, determiners included ("the
official"), with the separator closing an apposition or relative clause inside it
("Michael Briggs, a spokesman for Sanders,": PolNeAR keeps it); failing that the passive
agent ("by X"), the subject of the verb it hangs from ("..., adding that"), or the noun
phrase just before a clause-final cue the parser did not link (", Seoul's spy agency
told AFP."). The content is the complement clause with its "that", a quotation with its
marks and inner comma, the object for verbs that take one, or, for "according to X" and
clause-final cues, the rest of the clause; an agentless passive cue may have neither
source nor content. Trailing commas and the sentence's full stop belong to no span; a
closing parenthesis stays when its opening one is inside.

The chain model: `via` is the intermediary the source itself cites ("X, citing unidentified
sources, reported that ..." gives source X, via "unidentified sources"); the same citing is
also returned as its own attribution (cue "citing", source X, content "unidentified
sources"), so the chain reads via -> source -> outlet. `recipient` is whom the source told
("told Agence France-Presse"). Attributions whose cue lies inside another's content are
returned too (nested=True) or dropped (nested=False, PolNeAR's one-attribution-per-token
convention used by the evaluation) when the outer cue's verb governs them and they are
not set off by punctuation (", noting that"). Cues inside quotation marks (curly, ``'',
or straight and NYT-style '' marks told apart by spacing) are dropped then too.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from crosswire.claims.nlp import doc_text


@dataclass(slots=True, frozen=True)
class Span:
    """Character offsets into doc.text, with the text they cover."""

    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Attribution:
    cue: Span
    source: Span | None
    content: Span | None
    recipient: Span | None = None
    via: Span | None = None
    # the word the source phrase is about: "officials" in "U.S. officials", "Goelman" in
    # "Aitan Goelman, Strzok's attorney"; the claims stage names the claimant by it
    source_head: Span | None = None
    # the source without a clause set off to describe it ("Baltic Hull Works" of "Baltic
    # Hull Works, known as BHW,"): the claimant's name, where the source is what it
    # spans (a figure inside "Cowen, who joins ... as the two black senators" is no
    # figure Cowen gave); None when the two are the same
    name: Span | None = None


def _forms(lemma: str, *irregular: str) -> set[str]:
    """Inflected surface forms of a regular English verb, plus the irregular ones given."""
    if lemma.endswith("e"):
        stem = lemma[:-1]
        regular = {lemma, lemma + "s", lemma + "d", stem + "ing"}
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        stem = lemma[:-1]
        regular = {lemma, stem + "ies", stem + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        regular = {lemma, lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        regular = {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    return regular | set(irregular) if irregular else regular


# Lemmas of common reporting verbs: they decide which child is the addressee or the content.
_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written", "writing"),
    "think": ("thought",),
    "find": ("found",),
    "speak": ("spoke", "spoken"),
    "admit": ("admitted", "admitting"),
    "regret": ("regretted", "regretting"),
    "put": ("putting",),
    "know": ("knew", "known"),
    "feel": ("felt",),
    "show": ("shown",),
    "hear": ("heard",),
    "forecast": (),
    "commit": ("committed", "committing"),
    "plan": ("planned", "planning"),
    "refer": ("referred", "referring"),
    "prefer": ("preferred", "preferring"),
    "omit": ("omitted",),
    "swear": ("swore", "sworn"),
    "foresee": ("foresaw", "foreseen"),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LEMMAS = _words(
    "say tell report announce claim estimate assess confirm deny add warn believe write ask "
    "note suggest argue describe explain declare acknowledge insist state predict allege "
    "admit reveal indicate contend maintain stress emphasize assert recall respond reply "
    "conclude promise vow pledge urge criticize accuse mention observe testify disclose "
    "concede complain cite quote agree worry fear hope expect doubt think know feel "
    "wonder speculate recommend propose demand tweet post show find caution charge "
    "counter retort remark comment brag boast joke admit regret blame praise question "
    "predict forecast call refer point talk vote offer"
)
_VERB_LEMMA: dict[str, str] = {}
for _lemma in sorted(_LEMMAS):
    for _form in _forms(_lemma, *_IRREGULAR.get(_lemma, ())):
        _VERB_LEMMA.setdefault(_form, _lemma)

# tell-type verbs: the direct object is whom the source addressed, not what was said
_ADDRESSEE_VERBS = frozenset({"tell", "ask", "warn", "urge", "assure", "inform", "remind"})
# verbs whose direct object is itself the reported content ("reported no arrests")
_OBJECT_CONTENT_VERBS = frozenset(
    {
        "report", "announce", "claim", "estimate", "assess", "confirm", "deny", "cite",
        "quote", "reveal", "disclose", "acknowledge", "admit", "criticize", "accuse", "blame",
        "praise", "predict", "forecast", "propose", "demand", "recommend", "question",
        "describe", "mention", "expect", "fear", "doubt", "show", "find", "tweet", "post",
        "charge", "regret", "recall", "concede", "allege", "indicate", "stress",
        "emphasize", "promise", "pledge", "vow", "write", "offer",
    }
)  # fmt: skip
_REPORT_NOUNS = frozenset(
    {
        "estimate", "estimates", "assessment", "assessments", "report", "reports",
        "statement", "statements", "figures", "figure", "data", "tally", "count",
        "projection", "projections", "forecast", "forecasts", "survey", "poll", "polls",
        "findings", "analysis",
    }
)  # fmt: skip
_TOLL_NOUNS = frozenset({"number", "toll", "figure", "count", "total", "tally", "estimate"})
_QUOTE_OPEN = frozenset({"“", '"', "‘", "``", "'", "''"})
_QUOTE_CLOSE = frozenset({"”", '"', "’", "''", "'"})
_SUBJECTS = frozenset({"nsubj", "csubj", "expl"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "acl", "relcl", "pcomp"})


CUES_PATH = Path(__file__).with_name("attribution_cues.json")
# children whose presence (and, per verb form, whose kind) says "reporting verb" or not
_FEATURE_DEPS = frozenset(
    {
        "ccomp", "nsubj", "nsubjpass", "dobj", "xcomp", "agent", "dative", "prt", "neg",
        "mark", "advcl", "csubj", "attr", "acomp", "oprd",
    }
)  # fmt: skip
_CLAUSAL_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "relcl", "acl"})


_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(form: str) -> str:
    """A crude stem, so that rare inflections share weight with common ones."""
    lemma = _VERB_LEMMA.get(form)
    if lemma is not None:
        return lemma
    for suffix in _SUFFIXES:
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            return form[: -len(suffix)].rstrip("e")
    return form.rstrip("e")


_HEAD_POS = frozenset({"VERB", "AUX"})


def is_candidate(token: Token) -> bool:
    """Tokens the learned model scores: verbs and copulas heading a clause ("is eager to").

    Nouns ("his call for") and adjectives were tried as heads too: on held-out train they
    scored below F1 0.35 as cue heads and left the end-to-end F1 unchanged, at twice the
    run time, so only the reporting-noun rules below cover them."""
    return token.pos_ in _HEAD_POS and token.dep_ not in {"aux", "auxpass"}


def cue_features(token: Token, quoted: bool) -> list[str]:
    """Sparse binary features of a verb for the learned cue model (shared with its trainer)."""
    form = token.lower_
    features = [
        "b",
        "w=" + form,
        "t=" + token.tag_,
        "d=" + token.dep_,
        "wd=" + form + "|" + token.dep_,
        "wt=" + form + "|" + token.tag_,
        "P=" + token.pos_,
        "wP=" + form + "|" + token.pos_,
    ]
    stem = _stem(form)
    features += ("s=" + stem, "sd=" + stem + "|" + token.dep_)
    for child in token.children:
        dep = child.dep_
        if dep in _FEATURE_DEPS:
            features += ("c=" + dep, "wc=" + form + "|" + dep, "sc=" + stem + "|" + dep)
            if dep in {"nsubj", "nsubjpass"}:
                features += (
                    "sp=" + child.pos_,
                    "se=" + (child.ent_type_ or "-"),
                    "sw=" + child.lower_,
                    "ss=" + stem + "|" + (child.ent_type_ or child.pos_),
                )
            elif dep == "dobj":
                features += ("ow=" + stem + "|" + child.lower_,)
            elif dep in {"acomp", "attr"}:
                features += ("aw=" + child.lower_,)
            elif dep == "ccomp" and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in child.children
            ):
                features += ("that", "wthat=" + form)
            elif dep == "xcomp":
                features.append("wx=" + form + "|" + child.lower_)
        elif dep == "prep":
            features += ("wp=" + form + "|" + child.lower_, "p=" + child.lower_)
        elif dep == "aux" and child.lower_ == "to":
            features += ("inf", "winf=" + form)
    head = token.head
    features.append("hd=" + head.dep_ + "|" + token.dep_)
    if token.dep_ in _CLAUSAL_DEPS:
        features.append("hw=" + head.lower_ + "|" + token.dep_)
    if quoted:
        features.append("q")
    doc = token.doc
    if token.i > 0:
        features.append("l=" + doc[token.i - 1].lower_)
    if token.i + 1 < len(doc):
        right = doc[token.i + 1].lower_
        features += ("r=" + right, "wr=" + form + "|" + right)
    return features


@dataclass(frozen=True, slots=True)
class _CueTables:
    weights: dict[str, float]
    threshold: float  # logit above which a verb heads a cue
    head_threshold: float  # the same for copulas heading their clause
    extend: dict[str, float]  # weights of the cue-growing model
    extend_threshold: float  # score above which the cue takes the next token


def _logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


@lru_cache(maxsize=1)
def _cue_tables() -> _CueTables:
    """The learned model and span-extension decisions (see scripts/learn_attribution_cues.py)."""
    if _override:
        return _override[0]
    return _tables(json.loads(CUES_PATH.read_text(encoding="utf-8")))


def _tables(data: dict[str, Any]) -> _CueTables:
    return _CueTables(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        threshold=_logit(float(data["threshold"])),
        head_threshold=_logit(float(data.get("head_threshold", data["threshold"]))),
        extend={str(k): float(v) for k, v in data["extend"].items()},
        extend_threshold=float(data["extend_threshold"]),
    )


_override: list[_CueTables] = []


def use_cue_table(data: dict[str, Any] | None) -> None:
    """Run with the table `data` instead of the shipped one (None: the shipped one again);
    the trainer uses it to choose thresholds on held-out documents."""
    _override.clear()
    if data is not None:
        _override.append(_tables(data))
    _cue_tables.cache_clear()


def _cue_model() -> tuple[dict[str, float], float]:
    tables = _cue_tables()
    return tables.weights, tables.threshold


MAX_CUE_WALK = 8


def _lookahead(head: Token, nxt: Token) -> str:
    """The word that decides whether `nxt` joins the cue: a preposition's object ("said in
    an interview", not "said in Iowa"), or the word `nxt` hangs from ("refused to ban")."""
    if nxt.dep_ == "prep":
        return next((c.lower_ for c in nxt.children if c.dep_ in {"pobj", "pcomp"}), "")
    return nxt.head.lower_ if nxt.head.i != head.i else ""


def extension_features(head: Token, side: str, state: tuple[str, ...], nxt: Token) -> list[str]:
    """Features of the decision "does the cue headed by `head` take `nxt` too?".

    `state` holds the dependency labels the cue has already taken on this side of its head.
    """
    past = ",".join(state)
    dep, word, form, ahead = nxt.dep_, nxt.lower_, head.lower_, _lookahead(head, nxt)
    stem = _stem(form)
    return [
        "b",
        side,
        f"{side}|{dep}",
        f"{side}|{dep}|{word}",
        f"{side}|{form}|{dep}",
        f"{side}|{form}|{dep}|{word}",
        f"{side}|{stem}|{dep}|{word}",
        f"{side}|{past}|{dep}",
        f"{side}|{past}|{dep}|{word}",
        f"{side}|{form}|{past}|{dep}",
        f"{side}|{form}|{past}|{dep}|{word}",
        f"{side}|a|{dep}|{ahead}",
        f"{side}|a|{word}|{ahead}",
        f"{side}|ha|{form}|{word}|{ahead}",
        f"{side}|ha|{stem}|{word}|{ahead}",
        f"{side}|p|{nxt.pos_}",
        f"{side}|n|{len(state)}",
        f"{side}|pn|{nxt.pos_}|{len(state)}",
        f"{side}|hp|{nxt.head.pos_}|{dep}",
        f"{side}|nh|{int(nxt.head.i == head.i)}|{dep}",
    ]


def walk_blocked(head: Token, nxt: Token) -> bool:
    """True when `nxt` sits inside the head's complement clause, which a cue never takes."""
    node = nxt
    for _ in range(12):
        if node.i == head.i or node.head.i == node.i:
            return False
        if node.dep_ in {"ccomp", "csubj"}:
            return True
        node = node.head
    return False


def grow_cue(
    head: Token, sent: SpacySpan, extend: dict[str, float], threshold: float
) -> tuple[int, int]:
    """Grow the cue from its head token while the model says PolNeAR's cue does."""
    doc = head.doc
    bounds = {"L": head.i, "R": head.i + 1}
    for side, step in (("L", -1), ("R", 1)):
        state: tuple[str, ...] = ()
        while len(state) < MAX_CUE_WALK:
            index = bounds[side] - 1 if side == "L" else bounds[side]
            if not sent.start <= index < sent.end:
                break
            nxt = doc[index]
            if walk_blocked(head, nxt):
                break
            features = extension_features(head, side, state, nxt)
            if sum(extend.get(f, 0.0) for f in features) < threshold:
                break
            bounds[side] += step
            state += (nxt.dep_,)
    return bounds["L"], bounds["R"]


def _learned_cue_range(head: Token, sent: SpacySpan) -> tuple[int, int]:
    tables = _cue_tables()
    return grow_cue(head, sent, tables.extend, tables.extend_threshold)


def cue_score(token: Token, quoted: bool) -> float:
    """The learned model's logit that `token` heads a PolNeAR cue."""
    tables = _cue_tables()
    weights = tables.weights
    return sum(weights.get(f, 0.0) for f in cue_features(token, quoted))


class _Index:
    """What the span helpers ask of a doc again and again, read once per doc: its text
    (`doc.text` joins every token on each access), where each token's line ends, and how
    many of the tokens before each one are a given mark. With them a sentence of
    thousands of cues or colons costs its length, not its length for each of them."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        n = len(doc)
        # newline_at[i]: the first token at or after i whose trailing whitespace breaks the
        # line (n when none does)
        self.newline_at = [n] * (n + 1)
        for token in reversed(doc):
            breaks = "\n" in token.text_with_ws
            self.newline_at[token.i] = token.i if breaks else self.newline_at[token.i + 1]
        self._counts: dict[str, list[int]] = {}

    def count(self, mark: str, start: int, end: int) -> int:
        """How many of the tokens start..end-1 read `mark`."""
        counts = self._counts.get(mark)
        if counts is None:
            counts = [0]
            for token in self.doc:
                counts.append(counts[-1] + (token.text == mark))
            self._counts[mark] = counts
        return counts[max(end, start)] - counts[start]

    def line_end(self, start: int, limit: int) -> int:
        """One past the first token after `start` (before `limit`) that ends its line,
        else `limit`."""
        i = self.newline_at[start + 1] if start + 1 <= len(self.doc) else len(self.doc)
        return i + 1 if i < limit else limit


def _span(index: _Index, start: int, end: int, keep_colon: bool = False) -> Span | None:
    """Token range [start, end) as a character Span, edge punctuation trimmed."""
    doc = index.doc
    while start < end and _is_trim(doc[start], leading=True):
        start += 1
    while end > start and _is_trim(doc[end - 1], leading=False):
        if keep_colon and doc[end - 1].text == ":":
            break
        if doc[end - 1].text == ")" and index.count("(", start, end - 1):
            break
        end -= 1
    if start >= end:
        return None
    first, last = doc[start], doc[end - 1]
    char_start, char_end = first.idx, last.idx + len(last.text)
    return Span(char_start, char_end, index.text[char_start:char_end])


_SEPARATORS = frozenset({",", "—", "--", "-", "–"})


def _source_span(index: _Index, start: int, end: int) -> Span | None:
    """A source as PolNeAR marks it: an apposition or relative clause set off inside the
    source keeps its closing separator ("Michael Briggs, a spokesman for Sanders,")."""
    doc = index.doc
    span = _span(index, start, end)
    if span is None:
        return None
    last = doc.char_span(span.start, span.end, alignment_mode="expand")
    if last is None or last.end >= len(doc):
        return span
    after = doc[last.end]
    if after.text in _SEPARATORS and index.count(after.text, last.start + 1, last.end):
        end_char = after.idx + len(after.text)
        return Span(span.start, end_char, index.text[last.start_char : end_char])
    return span


def _is_trim(token: Token, leading: bool) -> bool:
    if token.is_space:
        return True
    if not token.is_punct:
        return False
    # quotation marks stay inside a quoted span; commas, dashes and full stops do not
    text = token.text
    if leading:
        return text not in _QUOTE_OPEN
    return text not in _QUOTE_CLOSE


def _subtree_range(token: Token, exclude: Token | None = None) -> tuple[int, int]:
    start, end = token.left_edge.i, token.right_edge.i + 1
    if exclude is not None and start <= exclude.i < end:
        ex_start, ex_end = exclude.left_edge.i, exclude.right_edge.i + 1
        if ex_start <= start:
            start = ex_end
        elif ex_end >= end:
            end = ex_start
    return start, end


def _cue_range(verb: Token, sent: SpacySpan) -> tuple[tuple[int, int], Token | None]:
    """The learned cue span, and the preposition closing it whose object is the content."""
    start, end = _learned_cue_range(verb, sent)
    last = verb.doc[end - 1]
    governed = last if last.dep_ == "prep" and last.head.i >= verb.i else None
    return (start, end), governed


def _subject(verb: Token) -> Token | None:
    # of two subjects ("UPDATE: AARP CEO A. Barry Rand said"), the one nearest the verb
    # is its own; the farther one is a label or dateline the parser hung there
    found: Token | None = None
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.i > verb.i:
                return found or child
            found = child
    return found


def _passive(verb: Token) -> bool:
    return any(child.dep_ in {"auxpass", "nsubjpass"} for child in verb.children)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _inherited_subject(verb: Token, root: Token) -> Token | None:
    """A subject from the verb this one depends on ("..., adding that" / "and said");
    `root` is the root of the verb's sentence."""
    node = verb
    after_comma = verb.i > 0 and verb.doc[verb.i - 1].text == ","
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and after_comma:
        # "X said Y was Z, noting ...": the parser often hangs the participle on the
        # reported clause; it is X's, the subject of the sentence's main verb
        subject = _subject(root)
        if subject is not None and subject.i < verb.i:
            return subject
    for _ in range(3):
        if node.dep_ not in _INHERIT_DEPS or node.head is node:
            return None
        if node.dep_ == "relcl":
            # "officials who said": the antecedent noun is the claimant
            return node.head
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.pos_ in _HEAD_POS:
            # "tried to back it up by saying": who does the backing up says it
            node = node.head
        node = node.head
        subject = _subject(node)
        if subject is None and verb.tag_ == "VBG":
            # "indictments were announced Friday accusing ...": a participle on a passive
            # verb is said of the passive's subject, not of the clause above it
            subject = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if subject is not None:
            return subject
    return None


_MAX_PARENTHESIS = 8  # tokens of a "(R-Texas)" after a name


def _preceding_np(verb: Token, sent: SpacySpan) -> Token | None:
    """The noun phrase ending right before a subjectless cue (", Seoul's spy agency told")."""
    if verb.i == sent.start:
        return None
    doc = verb.doc
    prev = doc[verb.i - 1]
    if prev.text == ")":
        # "..., Sen. John Cornyn (R-Texas) speculated": the name before its parenthesis
        opening = prev.i - 1
        while opening > sent.start and prev.i - opening <= _MAX_PARENTHESIS:
            if doc[opening].text == "(":
                break
            opening -= 1
        if doc[opening].text != "(" or opening <= sent.start:
            return None
        prev = doc[opening - 1]
    if prev.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    head = prev
    while (
        head.head.i < verb.i
        and head.head.pos_ in {"NOUN", "PROPN"}
        and head.dep_
        in {
            "compound",
            "poss",
            "amod",
            "nmod",
        }
    ):
        head = head.head
    if head.right_edge.i not in {prev.i, verb.i - 1} or head.left_edge.i == sent.start:
        return None
    return head if doc[head.left_edge.i - 1].text in {",", "--", "—"} else None


def _quote_extend(doc: Doc, start: int, end: int, limit_end: int) -> tuple[int, int]:
    """Widen a content range over its opening quote mark and the comma + closing mark."""
    if start > 0 and doc[start - 1].text in _QUOTE_OPEN:
        start -= 1
    while end < limit_end and (doc[end].text in _QUOTE_CLOSE or doc[end].text in {",", "."}):
        if doc[end].text in _QUOTE_CLOSE:
            end += 1
            break
        if end + 1 < limit_end and doc[end + 1].text in _QUOTE_CLOSE:
            end += 2
            break
        break
    return start, end


@dataclass(slots=True)
class _Found:
    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: tuple[int, int] | None
    recipient: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    head: Token | None = None
    speaker: Token | None = None  # the token the source was read from
    name: tuple[int, int] | None = None  # the source less a clause describing it


def _clause_rest(doc: Doc, sent: SpacySpan, cue_start: int, cue_end: int) -> tuple[int, int]:
    """Content of a cue that sits at a clause edge: the sentence on the other side of it."""
    if cue_start - sent.start > sent.end - cue_end:
        return sent.start, cue_start
    return cue_end, sent.end


def _according_to(token: Token, sent: SpacySpan) -> _Found | None:
    doc = token.doc
    if token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    to = doc[token.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = _subtree_range(pobj)
    phrase_start, phrase_end = token.i, max(source[1], to.i + 1)
    # the clause the phrase modifies, without the phrase itself
    head = token.head if token.head.i != token.i else token
    if head.i == token.i or not (head.left_edge.i >= sent.start):
        content = _clause_rest(doc, sent, phrase_start, phrase_end)
    else:
        start, end = head.left_edge.i, head.right_edge.i + 1
        if phrase_start <= start:
            start = phrase_end
        elif phrase_end >= end:
            end = phrase_start
        else:
            # a phrase in the middle of its clause: keep the larger side
            content = _clause_rest(doc, sent, phrase_start, phrase_end)
            return _Found((token.i, to.i + 1), source, content)
        content = (start, end)
    return _Found((token.i, to.i + 1), source, content)


def _verb_attribution(
    verb: Token, lemma: str, sent: SpacySpan, index: _Index, root: Token, quoted: set[int]
) -> _Found | None:
    doc = verb.doc
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "declined to say": the infinitive is the content of another cue, not a cue
        return None
    cue, governed = _cue_range(verb, sent)
    subject = _subject(verb)
    source_token = subject or _agent(verb)
    if source_token is None and not _passive(verb):
        # a passive cue's only speaker is its agent: "the statement, which had been widely
        # criticized" names what was criticized, not who criticized it
        source_token = _preceding_np(verb, sent) or _inherited_subject(verb, root)
    source = None
    if source_token is not None:
        if source_token.dep_ in {"expl"}:
            source = None
        else:
            source = _subtree_range(source_token, exclude=verb)
    content: tuple[int, int] | None = None
    recipient: tuple[int, int] | None = None
    via: tuple[int, int] | None = None
    obj: Token | None = None
    for child in verb.children:
        dep = child.dep_
        if dep in {"ccomp", "xcomp"} and content is None:
            start, end = _subtree_range(child)
            if child.i < verb.i:
                # quotation before its speaker: take the marks, leave the speaker out
                start, end = _whole_quotation(verb, start, end)
                limit = source[0] if source is not None and source[0] > end else cue[0]
                start, end = _quote_extend(doc, start, end, limit)
            else:
                start, end = _quote_extend(doc, start, end, sent.end)
            content = (start, end)
        elif dep in {"dobj", "dative"} and lemma in _ADDRESSEE_VERBS:
            recipient = _subtree_range(child)
        elif dep == "dobj":
            obj = child
        elif dep == "prep" and child.lower_ == "to" and lemma in {"say", "write", "speak"}:
            recipient = next(
                (_subtree_range(g) for g in child.children if g.dep_ == "pobj"), recipient
            )
        elif dep == "advcl" and child.lower_ in {"citing", "quoting"}:
            cited = next((g for g in child.children if g.dep_ == "dobj"), None)
            if cited is not None:
                via = _subtree_range(cited)
    if content is None and governed is not None:
        pobj = next((c for c in governed.children if c.dep_ in {"pobj", "pcomp"}), None)
        if pobj is not None:
            content = _subtree_range(pobj)
    if content is None and obj is not None and lemma != "say":
        content = _subtree_range(obj)
        # "estimates the price tag at around $8 billion", "estimated it as costing":
        # the figure is in the phrase that completes the object
        for child in verb.rights:
            if child.i > obj.i and child.dep_ == "prep" and child.lower_ in {"at", "as"}:
                content = (content[0], max(content[1], child.right_edge.i + 1))
    if content is None:
        content = _colon_quote(index, cue[1], sent)
    if content is None:
        content = _clause_after_cue(verb, cue)
    if content is None:
        content = _as_clause_content(verb, sent)
    elif content[0] > verb.i:
        content = _inverted_content(verb, content, quoted)
    if content is None and source is not None and source[0] > verb.i:
        # "..., said the official": the clause before the cue
        content = _trim_range(doc, sent.start, cue[0])
    if content is None and _is_clause_final(verb, sent, source):
        before = source[0] if source is not None and source[0] < cue[0] else cue[0]
        if before - sent.start >= 3:
            content = _trim_range(doc, sent.start, before)
    return _Found(cue, source, content, recipient, via, verb, source_token if source else None)


def _as_clause_content(verb: Token, sent: SpacySpan) -> tuple[int, int] | None:
    """ "as TPM notes, his district is 35 percent Latino" / "..., as the agency reported":
    the aside reports the clause it is set off from by its comma."""
    if verb.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ):
        return None
    doc = verb.doc
    left, right = verb.left_edge.i, verb.right_edge.i + 1
    if right < sent.end - 1 and doc[right].text == ",":
        end = sent.end
        while end > right + 1 and doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_CLOSE:
            end -= 1
        return right + 1, end
    if left > sent.start + 2 and doc[left - 1].text == ",":
        return _trim_range(doc, sent.start, left - 1)
    return None


def _inverted_content(verb: Token, content: tuple[int, int], quoted: set[int]) -> tuple[int, int]:
    """ "Trustees warned the fund will be exhausted in 2036 and, under current law, seniors
    would then face a 23 percent cut": the parser makes the cue a complement of the last
    clause it reports. When that clause's verb is no cue itself, the content runs to its end."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.i <= verb.i or head.pos_ not in _HEAD_POS:
        return content
    if cue_score(head, head.i in quoted) >= _cue_tables().threshold:
        return content
    doc = verb.doc
    end = head.right_edge.i + 1
    while end > content[1] and doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_CLOSE:
        end -= 1
    return content[0], max(content[1], end)


def _clause_after_cue(verb: Token, cue: tuple[int, int]) -> tuple[int, int] | None:
    """ "said in a statement that ...": the parser hangs the that-clause on the noun
    closing the cue; it is still what the verb reports, with the rest of the verb's clause."""
    doc = verb.doc
    if cue[1] >= len(doc) or doc[cue[1]].lower_ != "that" or doc[cue[1]].dep_ != "mark":
        return None
    clause = doc[cue[1]].head
    if clause.head.i != cue[1] - 1 or clause.dep_ not in {"acl", "relcl", "ccomp"}:
        return None
    end = max(clause.right_edge.i, verb.right_edge.i) + 1
    while end > cue[1] + 1 and doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_CLOSE:
        end -= 1
    return cue[1], end


def _whole_quotation(verb: Token, start: int, end: int) -> tuple[int, int]:
    """A quotation of several clauses before its speaker hangs each clause on the cue
    ("“..., has a baby, and the baby is a citizen for 85 years,” Trump said"): when the
    first clause opens the quotation, the content runs over all of them."""
    doc = verb.doc
    opens = doc[start].text in _QUOTE_OPEN or (start > 0 and doc[start - 1].text in _QUOTE_OPEN)
    if not opens:
        return start, end
    for other in verb.children:
        if other.dep_ == "ccomp" and end <= other.i < verb.i:
            end = max(end, other.right_edge.i + 1)
    return start, end


def _trim_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end > start and doc[end - 1].text in {",", "--", "—", "–", ":"}:
        end -= 1
    return start, end


def _is_clause_final(verb: Token, sent: SpacySpan, source: tuple[int, int] | None) -> bool:
    """True for "..., X said." and "..., X told Y on Thursday." (the cue closes the sentence)."""
    if source is None or source[0] >= verb.i:
        return False
    start = source[0]
    return start > sent.start and verb.doc[start - 1].text in {",", "--", "—"} | _QUOTE_CLOSE


def _colon_quote(index: _Index, cue_end: int, sent: SpacySpan) -> tuple[int, int] | None:
    """`X said: "..."` - what follows the colon, to the end of its line."""
    if index.doc[cue_end - 1].text != ":" or cue_end >= sent.end:
        return None
    return cue_end, index.line_end(cue_end, sent.end)


_MAX_SPEAKER = 4  # tokens of a "NAME:" speaker


def _speaker_colon(colon: Token, sent: SpacySpan, index: _Index) -> _Found | None:
    """Transcript and headline speakers: "CLINTON: Honestly, ..." / "Sanders: Brexit's ..."."""
    doc = colon.doc
    start = colon.i
    # back to the line's start, but no further than a speaker's length: a line of a
    # thousand colons is not walked back a thousand times
    while (
        start > sent.start
        and colon.i - start <= _MAX_SPEAKER
        and "\n" not in doc[start - 1].text_with_ws
    ):
        start -= 1
    names = doc[start : colon.i]
    # the parser often ends the sentence at the colon; the content runs to the line's end
    if not 1 <= len(names) <= _MAX_SPEAKER or colon.i + 1 >= len(doc):
        return None
    if "\n" in colon.text_with_ws:
        return None
    if not all(t.pos_ == "PROPN" or t.text.isupper() for t in names):
        return None
    content = (colon.i + 1, index.line_end(colon.i + 1, len(doc)))
    return _Found((colon.i, colon.i + 1), (start, colon.i), content)


def _put_at(verb: Token, sent: SpacySpan, root: Token) -> _Found | None:
    """ "Zelenskyy put the number of killed ... at 4,000": cue "put", content object + "at N"."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lower_ not in _TOLL_NOUNS:
        return None
    at = next((c for c in obj.subtree if c.lower_ == "at" and c.dep_ == "prep"), None)
    if at is None:
        at = next((c for c in verb.children if c.lower_ == "at" and c.dep_ == "prep"), None)
    if at is None:
        return None
    subject = _subject(verb) or _inherited_subject(verb, root)
    source = _subtree_range(subject) if subject is not None else None
    content = (obj.left_edge.i, max(obj.right_edge.i, at.right_edge.i) + 1)
    return _Found(_cue_range(verb, sent)[0], source, content)


def _noun_attribution(noun: Token) -> _Found | None:
    """ "U.S. estimates were lower at around 1,200": the report noun as subject."""
    if noun.dep_ != "nsubj" or noun.tag_ not in {"NN", "NNS"}:
        return None
    verb = noun.head
    if verb.pos_ != "AUX":
        # "the poll shows": the verb is the cue, found by the learned model
        return None
    modifiers = [c for c in noun.lefts if c.dep_ in {"poss", "compound", "nmod", "amod"}]
    owner = [c for c in modifiers if c.pos_ in {"PROPN", "NOUN", "PRON"} and c.dep_ != "amod"]
    if not owner:
        return None
    source = (owner[0].left_edge.i, owner[-1].right_edge.i + 1)
    if verb.i <= noun.i:
        return None
    if noun.doc[source[1] - 1].tag_ == "POS":
        source = (source[0], source[1] - 1)
    # "estimates were": the copula joins the cue when it follows the noun closely
    cue = (noun.i, verb.i + 1) if verb.i - noun.i <= 2 else (noun.i, noun.i + 1)
    rights = [c for c in verb.rights if not c.is_punct]
    if not rights:
        return None
    content = (verb.i + 1, rights[-1].right_edge.i + 1)
    return _Found(cue, source, content)


# nouns of a claim or a proposal whose owner made it: "the ministry's insistence that
# ...", "the union's offer to ...", "their plan to ..."
_OWNED_CLAIM_NOUNS = frozenset(
    {
        "claim", "claims", "assertion", "assertions", "insistence", "contention",
        "statement", "statements", "report", "estimate", "estimates",
        "allegation", "allegations", "assurance", "assurances", "argument", "belief",
        "promise", "pledge", "vow", "warning", "prediction", "offer", "proposal",
        "plan", "demand", "demands", "request", "bid", "threat",
    }
)  # fmt: skip


def _owned_claim(noun: Token) -> _Found | None:
    """ "the ministry's insistence that only 40 staff were affected", "the union's offer to
    cut 5 percent", "claims by the mayor that", "statements made by the board that": the
    owner is the source of the clause the noun governs (a that-clause or a to-infinitive);
    a pronoun owner is resolved as a subject is."""
    clause = next((c for c in noun.rights if c.dep_ == "acl" and _opens_claim(c)), None)
    if clause is None:
        # "statements made by the board that ...": the parser may hang the that-clause on
        # the participle or on the verb governing the noun; it is the noun's when the
        # noun names its maker
        hosts = [c for c in noun.rights if c.dep_ == "acl"]
        if noun.dep_ == "dobj":
            hosts.append(noun.head)
        clause = next(
            (
                c
                for host in hosts
                for c in host.rights
                if c.dep_ == "ccomp" and c.i > noun.i and _opens_claim(c, that_only=True)
            ),
            None,
        )
        if clause is not None and _maker(noun, clause) is None:
            return None
    if clause is None:
        return None
    owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if owner is not None:
        source = (owner.left_edge.i, owner.i + 1)
    else:
        owner = _maker(noun, clause)
        if owner is None:
            return None
        source = (owner.left_edge.i, owner.right_edge.i + 1)
    return _Found((noun.i, noun.i + 1), source, _subtree_range(clause), speaker=owner)


def _opens_claim(clause: Token, that_only: bool = False) -> bool:
    """A verb heading a that-clause (or, unless `that_only`, a to-infinitive)."""
    marks = {"that"} if that_only else {"that", "to"}
    return clause.pos_ in _HEAD_POS and any(
        m.dep_ in {"mark", "aux"} and m.lower_ in marks for m in clause.children
    )


def _maker(noun: Token, clause: Token) -> Token | None:
    """Who made the claim a noun names, after it: "claims by the mayor", "the claim from
    the council", "statements made by the board" (the noun before its clause)."""
    for child in noun.rights:
        if child.i >= clause.i:
            break
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            return next((c for c in child.children if c.dep_ == "pobj"), None)
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
    return None


def _copula_attribution(copula: Token, sent: SpacySpan) -> _Found | None:
    """A copula cue ("is eager to hear", "was critical of", "is no fan of"): the source is
    its subject, the content what the cue governs after it."""
    cue, governed = _cue_range(copula, sent)
    subject = _subject(copula)
    source = None
    if subject is not None and subject.dep_ != "expl":
        source = _subtree_range(subject, exclude=copula)
    content: tuple[int, int] | None = None
    if governed is not None:
        pobj = next((c for c in governed.children if c.dep_ in {"pobj", "pcomp"}), None)
        if pobj is not None:
            content = _subtree_range(pobj)
    end = copula.right_edge.i + 1
    if content is None and end > cue[1]:
        content = _trim_range(copula.doc, cue[1], end)
    return _Found(cue, source, content, head=copula, speaker=subject if source else None)


def _sentence_attributions(sent: SpacySpan, quoted: set[int], index: _Index) -> list[_Found]:
    found: list[_Found] = []
    tables = _cue_tables()
    root = sent.root
    for token in sent:
        lower = token.lower_
        result: _Found | None = None
        if lower == "according":
            result = _according_to(token, sent)
        elif token.pos_ == "VERB":
            if lower == "put":
                result = _put_at(token, sent, root)
            if result is None and cue_score(token, token.i in quoted) >= tables.threshold:
                lemma = _VERB_LEMMA.get(lower, lower)
                result = _verb_attribution(token, lemma, sent, index, root, quoted)
        elif token.pos_ == "AUX":
            if is_candidate(token) and cue_score(token, token.i in quoted) >= tables.head_threshold:
                result = _copula_attribution(token, sent)
        elif token.pos_ == "NOUN" and (lower in _REPORT_NOUNS or lower in _OWNED_CLAIM_NOUNS):
            if lower in _REPORT_NOUNS:
                result = _noun_attribution(token)
            if result is None and lower in _OWNED_CLAIM_NOUNS:
                result = _owned_claim(token)
        elif lower == ":":
            result = _speaker_colon(token, sent, index)
        if result is not None:
            found.append(result)
    return found


def _inside(inner: tuple[int, int], outer: tuple[int, int] | None) -> bool:
    return outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _swallows(outer: _Found, inner: _Found) -> bool:
    """True when `inner`'s cue belongs to `outer`'s content, so PolNeAR leaves it out.

    A verb cue's content reaches only the clauses the verb governs: a cue in the same span
    but outside that subtree (a relative clause on the subject, a coordinated verb the
    parser hung elsewhere) is an attribution of its own.
    """
    if not _inside(inner.cue, outer.content):
        return False
    if outer.head is None or inner.head is None:
        return True
    if inner.head.dep_ in {"advcl", "conj"} and inner.cue[0] > 0:
        # "..., noting that" / "... and said": a clause set off by punctuation is its own
        before = inner.head.doc[inner.cue[0] - 1]
        if before.text in {",", "--", "—", "–", ";"}:
            return False
    return any(a.i == outer.head.i for a in inner.head.ancestors)


def _opens_quote(token: Token) -> bool:
    """A straight mark (" or '') opens a quotation when it hugs the word after it only."""
    text = token.text
    if text in {"“", "``"}:
        return True
    if text not in {'"', "''"} or token.whitespace_:
        return False
    if token.i == 0:
        return True
    before = token.doc[token.i - 1]
    return bool(before.whitespace_) or before.is_space or before.text in {"(", "[", "—", "-"}


def quoted_tokens(doc: Doc) -> set[int]:
    """Indices of tokens inside quotation marks: curly pairs, `` '' pairs, and straight
    marks (" or NYT's '' on both sides) told apart by the spacing around them."""
    inside: set[int] = set()
    opened: int | None = None
    for token in doc:
        text = token.text
        if opened is None:
            if _opens_quote(token):
                opened = token.i
        elif text in {"”", "''", '"'}:
            if _opens_quote(token):
                # a new quotation while one is open: the old one was never closed
                inside.update(range(opened + 1, token.i))
                opened = token.i
            else:
                inside.update(range(opened + 1, token.i))
                opened = None
        elif "\n\n" in token.text_with_ws:
            # an unclosed quotation ends with its paragraph
            inside.update(range(opened + 1, token.i + 1))
            opened = None
    return inside


def find_attributions(
    doc: Doc,
    nested: bool = True,
    claimants: bool | None = None,
    quoted: set[int] | None = None,
) -> list[Attribution]:
    """All attributions in `doc`, in text order of their cues. `quoted` is
    `quoted_tokens(doc)` when the caller has it already.

    With nested=False an attribution whose cue lies inside another's content is dropped
    (PolNeAR annotates only the outermost).

    With claimants=True (the default when nested, as the claims stage reads them) a
    source is who made the claim, not PolNeAR's span as written: only reporting verbs
    (and the rule cues: "according to", "put ... at", report nouns, an owned claim noun
    such as "the union's offer to", "NAME:") keep one; a relative pronoun is replaced
    by the noun it stands for ("Vanity Fair, which estimated"), a personal pronoun by
    the nearest earlier name or subject of its number, or by nothing when there is
    none. Resolved sources may lie outside the sentence.
    """
    if claimants is None:
        claimants = nested
    found: list[_Found] = []
    if quoted is None:
        quoted = quoted_tokens(doc)
    index = _Index(doc)
    for sent in doc.sents:
        found.extend(_sentence_attributions(sent, quoted, index))
    if claimants:
        antecedents = _Antecedents(doc)
        found = [c for c in (_as_claim(f, antecedents) for f in found) if c is not None]
        found.extend(f for f in map(_framed_by_report, doc.sents) if f is not None)
    if not nested:
        found = [
            f
            for f in found
            if f.cue[0] not in quoted and not any(o is not f and _swallows(o, f) for o in found)
        ]
    result: list[Attribution] = []
    taken: set[int] = set()
    for f in sorted(found, key=lambda f: f.cue):
        cue = _span(index, *f.cue, keep_colon=True)
        if cue is None or f.cue[0] in taken:
            continue
        taken.update(range(*f.cue))
        result.append(
            Attribution(
                cue=cue,
                source=_source_span(index, *f.source) if f.source else None,
                source_head=_head_span(doc, *f.source) if f.source else None,
                content=_span(index, *f.content) if f.content else None,
                recipient=_span(index, *f.recipient) if f.recipient else None,
                via=_span(index, *f.via) if f.via else None,
                name=_span(index, *f.name) if f.name else None,
            )
        )
    return result


def _head_span(doc: Doc, start: int, end: int) -> Span:
    root = doc[start:end].root
    return Span(root.idx, root.idx + len(root.text), root.text)


# ---------------------------------------------------------------- claimants

# Verbs whose subject gives the content as a claim of its own: speech, writing,
# estimates and findings, beliefs held and proposals made. PolNeAR's cues reach further
# ("voted against", "wants", "released", "refused to"), but a figure in such a clause is
# the outlet's account of an act, not something the subject said.
_CLAIM_LEMMAS = _words(
    "say tell report announce claim estimate assess confirm deny add warn believe write "
    "note suggest argue describe explain declare acknowledge insist state predict allege "
    "admit reveal indicate contend maintain stress emphasize assert recall respond reply "
    "conclude promise vow pledge urge criticize accuse mention observe testify disclose "
    "concede complain cite quote fear expect doubt think speculate recommend propose "
    "demand tweet post show find caution charge counter retort remark comment brag boast "
    "joke blame praise question forecast project calculate count tally measure record "
    "call point inform notify assure remind brief advise ask answer reiterate repeat "
    "underscore highlight clarify detail characterize label dub brand denounce condemn "
    "slam blast threaten guarantee swear request dispute reject refute rebut attest "
    "certify suspect reckon anticipate proclaim recount lament quip continue peg put "
    "place value rate identify list signal hint imply grant reaffirm affirm verify "
    "determine express voice offer"
)
_CLAIM_FORMS: dict[str, str] = {}
for _lemma in sorted(_CLAIM_LEMMAS):
    for _form in _forms(_lemma, *_IRREGULAR.get(_lemma, ())):
        _CLAIM_FORMS.setdefault(_form, _lemma)
# adjectives by which a copula states a belief ("officials were confident that")
_CLAIM_ADJECTIVES = frozenset(
    {"confident", "certain", "sure", "convinced", "adamant", "clear", "insistent"}
)
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
_PERSONAL = {
    "he": "person", "she": "person", "it": "thing", "they": "group",
    "his": "person", "her": "person", "its": "thing", "their": "group",
}  # fmt: skip
_ANTECEDENT_SENTENCES = 3  # how far back a pronoun's antecedent may be: this and 2 before
# candidates one pronoun looks at before giving up: a sentence of thousands of names and
# pronouns costs its length, not its length squared
_MAX_LOOKBACK = 64
_NAME_LABELS = {"PERSON": "person", "ORG": "thing", "GPE": "thing", "NORP": "group"}
# "the organization confirmed": nouns that stand for a body named before
_BODY_NOUNS = frozenset(
    {"organization", "group", "company", "agency", "firm", "campaign", "committee"}
)


def _reports(verb: Token) -> bool:
    """True when the verb's subject is the claimant of what the verb governs."""
    lemma = _CLAIM_FORMS.get(verb.lower_)
    if lemma is None:
        return False
    deps = {c.dep_ for c in verb.children}
    if lemma in {"add", "post", "record", "count", "list", "place", "put", "continue"}:
        # "the economy added 200,000 jobs", "posted a loss": an object and no clause
        # is an act, not a report; "put the toll at" is read by its own rule
        return bool(deps & {"ccomp", "xcomp"}) or not deps & {"dobj"}
    if lemma == "call":
        # "called for", "called it a horror show"; not "called up a witness"
        return "prt" not in deps and bool(
            deps & {"ccomp", "xcomp", "oprd"}
            or any(c.dep_ == "prep" and c.lower_ in {"for", "on"} for c in verb.children)
        )
    if lemma == "point":
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
    return True


def _as_claim(found: _Found, antecedents: _Antecedents) -> _Found | None:
    head = found.head
    if head is not None:
        if head.pos_ == "AUX":
            if not any(
                t.lower_ in _CLAIM_ADJECTIVES for t in head.doc[found.cue[0] : found.cue[1]]
            ):
                return None
        elif not _reports(head):
            return None
    speaker = found.speaker
    if speaker is None or found.source is None:
        return found
    given = found.source
    if given[0] >= given[1]:
        # trimming emptied a source the parser let run to the sentence's end
        # ("Television footage showed ..., a UNESCO-listed area ..." read as apposition):
        # the speaker's own noun phrase is left
        given = _np_range(speaker)
    source = _claimant_range(speaker, given, head, antecedents)
    name = _without_clause(speaker, source) if source is not None else None
    if source == found.source and name == source:
        return found
    return _Found(
        found.cue,
        source,
        found.content,
        found.recipient,
        found.via,
        head,
        speaker,
        name=name if name != source else None,
    )


def _claimant_range(
    speaker: Token, source: tuple[int, int], verb: Token | None, antecedents: _Antecedents
) -> tuple[int, int] | None:
    """The source as a claimant: relative and personal pronouns replaced by what they name."""
    doc = speaker.doc
    first = doc[source[0]]
    relative = speaker.tag_ in _RELATIVE_TAGS or first.tag_ == "WP$"
    if relative and verb is not None and verb.dep_ == "relcl":
        # "Vanity Fair magazine, which estimated", "the agency, whose report said"
        noun = verb.head
        if noun.pos_ not in {"NOUN", "PROPN"}:
            return None
        return _np_range(noun)
    if relative or (speaker.tag_ == "DT" and source[1] - source[0] == 1):
        # "That created a fight": a demonstrative names no one
        return None
    if source[1] - source[0] == 1:
        kind = _PERSONAL.get(speaker.lower_)
        if kind is None:
            return source
        if kind == "person":
            reporter = _reporter_of(speaker)
            if reporter is not None:
                return _np_range(reporter)
        return antecedents.before(speaker.i, kind)
    named = _without_clause(speaker, source)
    if named[1] - named[0] == 2 and doc[named[0]].lower_ == "the" and speaker.lower_ in _BODY_NOUNS:
        # "the organization confirmed", "The company, which builds ferries, said": the
        # body named last
        return antecedents.before(speaker.i, "body") or source
    return _name_after_role(speaker, source)


def _without_clause(speaker: Token, source: tuple[int, int]) -> tuple[int, int]:
    """ "The company, which builds ferries, said": a participle or relative clause set
    off by a comma describes the claimant and is no part of its name; an apposition
    ("The mayor, Rui Moreira, said") stays, and so does an alias clause on a common noun
    ("The office, known as IVMO,": the alias is the name to link)."""
    doc = speaker.doc
    for child in speaker.rights:
        if child.lower_ in _ALIAS_VERBS and speaker.pos_ != "PROPN":
            continue
        if child.dep_ in {"acl", "relcl"} and child.left_edge.i > source[0]:
            comma = child.left_edge.i - 1
            if comma > speaker.i and doc[comma].text == "," and comma < source[1]:
                return source[0], comma
    return source


_ALIAS_VERBS = frozenset({"known", "called", "named", "dubbed"})


def _reporter_of(pronoun: Token) -> Token | None:
    """ "LePage said ... that he's collected": the named subject of the reporting verb
    whose reported clause holds he / she, whatever the NER took the name for."""
    node = pronoun.head
    for _ in range(4):
        if node.dep_ not in {"ccomp", "advcl", "conj", "xcomp"} or node.head is node:
            return None
        node = node.head
        if node.lower_ in _CLAIM_FORMS:
            subject = _subject(node)
            if subject is None or subject.i > pronoun.i:
                return None
            if subject.pos_ == "PROPN" and subject.tag_ == "NNP":
                return subject
            return None
    return None


def _name_after_role(speaker: Token, source: tuple[int, int]) -> tuple[int, int]:
    """ "Strzok attorney Aitan Goelman": the name after the role noun is the claimant, not
    the name before it."""
    if speaker.pos_ != "PROPN":
        return source
    roles = [c for c in speaker.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    if not roles or roles[-1].i < source[0]:
        return source
    return roles[-1].i + 1, speaker.i + 1


# what a sentence can open with as the record its figures come from: "In the poll, ..."
_FRAME_NOUNS = _REPORT_NOUNS | {
    "study", "complaint", "indictment", "filing", "lawsuit", "letter", "memo", "review",
    "audit", "census",
}  # fmt: skip


def _framed_by_report(sent: SpacySpan) -> _Found | None:
    """ "In the poll, Romney leads with 21 percent": the clause after the comma is what
    the poll found, as with "according to the poll"."""
    first = sent[0]
    if first.lower_ != "in" or len(sent) < 5:
        return None
    noun = next((c for c in first.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lower_ not in _FRAME_NOUNS:
        return None
    doc = sent.doc
    after = noun.right_edge.i + 1
    if after + 1 >= sent.end or doc[after].text != ",":
        return None
    end = sent.end
    while end > after + 2 and doc[end - 1].is_punct and doc[end - 1].text not in _QUOTE_CLOSE:
        end -= 1
    return _Found((first.i, first.i + 1), (first.i + 1, after), (after + 1, end))


def _np_range(noun: Token) -> tuple[int, int]:
    """A noun phrase without what follows a comma or a clause on it: "Trustees of the Social
    Security Trust Fund", not "..., who met on Monday"."""
    start, end = noun.left_edge.i, noun.i + 1
    for child in noun.rights:
        if child.dep_ not in {"prep", "compound", "nummod", "amod", "nmod"}:
            break
        end = child.right_edge.i + 1
    doc = noun.doc
    while start < noun.i and (doc[start].is_punct or doc[start].tag_ in _RELATIVE_TAGS):
        start += 1
    return start, end


def _plural(token: Token) -> bool:
    return token.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in token.children)


def _main_clause(verb: Token) -> bool:
    node = verb
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    return node.dep_ == "ROOT"


class _Antecedents:
    """What a personal pronoun can stand for, in text order: named people, bodies, places
    and groups, and the noun subjects of main clauses ("The task force recommended ...,
    and it proposed"), each with the kind of pronoun that can point back to it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sent_starts = [s.start for s in doc.sents]
        # by head token index: (start, end, kind, is a main-clause subject, is an ORG)
        items: dict[int, tuple[int, int, str, bool, bool]] = {}
        for ent in doc.ents:
            kind = _NAME_LABELS.get(ent.label_)
            if kind is None:
                continue
            if kind == "thing" and ent.root.tag_ in {"NNS", "NNPS"}:
                kind = "group"
            root = ent.root
            if root.dep_ in {"amod", "compound"}:
                continue  # "the Islamic State", "U.S. officials": the noun it modifies
            subject = root.dep_ in {"nsubj", "nsubjpass"} and _main_clause(root.head)
            items[root.i] = (ent.start, ent.end, kind, subject, ent.label_ == "ORG")
        for token in doc:
            if token.dep_ not in {"nsubj", "nsubjpass"} or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            if token.i in items or token.ent_type_ or not _main_clause(token.head):
                continue
            start, end = _np_range(token)
            items[token.i] = (start, end, "group" if _plural(token) else "thing", True, False)
        self.heads = sorted(items)
        self.items = [items[i] for i in self.heads]
        people = [i for i in self.heads if items[i][2] == "person"]
        self.people_ends = [items[i][1] for i in people]
        self.people = [items[i][:2] for i in people]

    def person_before(self, at: int) -> tuple[int, int] | None:
        """The last person named before token `at`, however far back."""
        k = bisect_right(self.people_ends, at)
        return self.people[k - 1] if k else None

    def before(self, at: int, kind: str) -> tuple[int, int] | None:
        """The antecedent of `kind` ("person", "thing", "group", or "body" for an ORG)
        nearest before token `at` in its own sentence; else, in the sentences before, a
        main-clause subject within reach first (the topic the text is about), then any
        name within reach; a person may be named further back."""
        sentence = bisect_right(self.sent_starts, at) - 1
        own = self.sent_starts[sentence]
        floor = self.sent_starts[max(0, sentence - _ANTECEDENT_SENTENCES + 1)]
        fallback: tuple[int, int] | None = None
        last = bisect_left(self.heads, at) - 1
        for k in range(last, max(-1, last - _MAX_LOOKBACK), -1):
            start, end, found, subject, org = self.items[k]
            if start < floor:
                break
            if end > at or (not org if kind == "body" else found != kind):
                continue
            if subject or start >= own:
                return start, end
            fallback = fallback or (start, end)
        if fallback is None and kind == "person":
            return self.person_before(at)
        return fallback
