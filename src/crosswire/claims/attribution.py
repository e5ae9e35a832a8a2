"""Who said what: attribution relations (source, cue, content) from a spaCy parse.

Rules over the dependency parse, in the PARC / PolNeAR style. A cue is a reporting verb
from a lexicon (say, tell, report, estimate, cite, ...), a reporting noun used as subject
("U.S. estimates were ..."), "according to", or "put the number/toll ... at". The source is
the cue verb's subject subtree as written, determiners included ("the official"); failing
that the passive agent ("by X"), the subject of the verb it hangs from ("..., adding that"),
or the noun phrase just before a clause-final cue the parser did not link (", Seoul's spy
agency told AFP."). The content is the complement clause with its "that", a quotation with
its marks and inner comma, the object for verbs that take one, or, for "according to X" and
clause-final cues, the rest of the clause. Span conventions follow PolNeAR: auxiliaries,
negation and adverbs between them belong to the cue ("has also said"); trailing commas
and the sentence's full stop belong to no span.

The chain model: `via` is the intermediary the source itself cites ("X, citing unidentified
sources, reported that ..." gives source X, via "unidentified sources"); the same citing is
also returned as its own attribution (cue "citing", source X, content "unidentified
sources"), so the chain reads via -> source -> outlet. `recipient` is whom the source told
("told Agence France-Presse"). Attributions whose cue lies inside another's content are
returned too (nested=True) or dropped (nested=False, PolNeAR's one-attribution-per-token
convention used by the evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan


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


# Verbs whose clausal or nominal complement is what the subject asserts, believes or wants.
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
    "predict forecast call refer point talk vote"
)
_VERB_LEMMA: dict[str, str] = {}
for _lemma in sorted(_LEMMAS):
    for _form in _forms(_lemma, *_IRREGULAR.get(_lemma, ())):
        _VERB_LEMMA.setdefault(_form, _lemma)

# Verb forms that head a PolNeAR *train* cue at least 35% of the times they occur as a verb
# outside quotations (at least 4 times); measured once, kept as data.
_LEARNED_FORMS = _words(
    """
    acquiesced advocated aiming alluding angered answered apologized appear appeared
    appears applauded appointed approved articulated assailed assured attacked
    attributed avoided backing balked bemoaned blasted blasting brushed call called
    calling calls care celebrated challenged championed chanted chanting condemned
    condemning congratulated considered considering considers continued convinced
    credited debated decided declined decried deemed defended defending delivering
    denounced denouncing derided detailing determined determining discuss discussed
    discussing dismissed dismisses dismissing distanced documented dubbed echoed echoing
    emailed embraced encouraged endorsed endorsing express expressed expressing favor
    favored focuses guess hailed highlighted highlighting hints identified imagined
    implied implying informed interjected introducing invoked issued knocked labeled
    laid lambasted lamented lashed laying lays learned like likened listed lists mocked
    mocking mused named naming negotiated nominated noticed offer offered offering
    oppose opposed opposes opted ordered outlined outlining passed persuaded pivoted
    planning plans pleaded point pointed pointing points portrayed portraying prefer
    preferred prefers presented pressed pressing proclaimed projected promote pushed
    pushing railed rattled reacted reads realized rebuffed rebuked recognize recognized
    recognizing recounted referenced referencing referred referring refers refuse
    refused refuses refusing regarded reiterated rejected rejecting remember remembered
    reminded reminding renewed repeated repeating requested restricting retweeted ruled
    see seeking seeks seem seemed seems sees share shared shares shouted sided signaled
    singled slammed slamming slams sought sounded sounds sparred spoke supported
    supporting supports suspected talked talking talks thanked thanking threaten
    threatened threatening titled touted touting understood unveiled view viewed views
    voiced voted weighed welcomed yelled
    """
)
# Lexicon forms that head a train cue under 35% of the time (mostly "I think" asides).
_WEAK_FORMS = _words(
    "believed demanded feel felt find knew know knowing maintained pledged reporting "
    "responding think thought written tweet"
)
_CUE_FORMS = (frozenset(_VERB_LEMMA) | _LEARNED_FORMS) - _WEAK_FORMS
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
        "emphasize", "promise", "pledge", "vow", "write",
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
_PHRASAL = frozenset(
    {
        ("call", "for"), ("call", "on"), ("refer", "to"), ("point", "to"), ("talk", "about"),
        ("speak", "about"), ("ask", "about"),
        ("boast", "about"), ("brag", "about"), ("complain", "about"), ("worry", "about"),
        ("vote", "for"), ("argue", "for"), ("write", "about"), ("warn", "of"),
        ("warn", "about"), ("testify", "about"), ("comment", "on"), ("speak", "of"),
        ("think", "of"), ("know", "about"), ("hear", "about"), ("learn", "of"),
        ("learn", "about"), ("respond", "to"), ("reply", "to"), ("agree", "with"),
    }
)  # fmt: skip
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today"}
)
_MEDIUM_NOUNS = frozenset(
    {"statement", "interview", "email", "e-mail", "tweet", "post", "release", "letter", "speech"}
)
_QUOTE_OPEN = frozenset({"“", '"', "‘", "``", "'"})
_QUOTE_CLOSE = frozenset({"”", '"', "’", "''", "'"})
_SUBJECTS = frozenset({"nsubj", "csubj", "expl"})
_CUE_MODIFIERS = frozenset({"aux", "auxpass", "neg"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "acl", "relcl"})


def _span(doc: Doc, start: int, end: int, keep_colon: bool = False) -> Span | None:
    """Token range [start, end) as a character Span, edge punctuation trimmed."""
    while start < end and _is_trim(doc[start], leading=True):
        start += 1
    while end > start and _is_trim(doc[end - 1], leading=False):
        if keep_colon and doc[end - 1].text == ":":
            break
        end -= 1
    if start >= end:
        return None
    first, last = doc[start], doc[end - 1]
    char_start, char_end = first.idx, last.idx + len(last.text)
    return Span(char_start, char_end, doc.text[char_start:char_end])


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


def _cue_range(verb: Token, lemma: str) -> tuple[tuple[int, int], Token | None]:
    """The cue's tokens, and the preposition it swallowed whose object is the content.

    PolNeAR's cue takes auxiliaries, negation and adjacent adverbs ("has also said"),
    particles ("pointed out"), a governed preposition ("called for", "said of"), a
    following weekday or "in a statement", and a colon ("said:").
    """
    doc = verb.doc
    start = verb.i
    for child in verb.lefts:
        if child.dep_ in _CUE_MODIFIERS and child.i < start and child.lower_ != "to":
            start = child.i
    while start > 0 and doc[start - 1].dep_ == "advmod" and doc[start - 1].head == verb:
        if doc[start - 1].tag_ not in {"RB", "RBR"}:
            break
        start -= 1
    end = verb.i + 1
    governed: Token | None = None
    while end < len(doc):
        nxt = doc[end]
        if nxt.head != verb:
            break
        if nxt.dep_ == "prt":
            end += 1
        elif nxt.dep_ == "prep" and (lemma, nxt.lower_) in _PHRASAL:
            end += 1
            governed = nxt
            break
        elif nxt.dep_ == "npadvmod" and nxt.lower_ in _WEEKDAYS:
            end += 1
        elif nxt.dep_ == "prep" and nxt.lower_ == "in" and _statement_pobj(nxt):
            end = nxt.right_edge.i + 1
        else:
            break
    if end < len(doc) and doc[end].text == ":":
        end += 1
    return (start, end), governed


def _statement_pobj(prep: Token) -> bool:
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return pobj is not None and pobj.lower_ in _MEDIUM_NOUNS and pobj.right_edge.i == pobj.i


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """A subject from the verb this one depends on ("..., adding that" / "and said")."""
    node = verb
    for _ in range(3):
        if node.dep_ not in _INHERIT_DEPS or node.head is node:
            return None
        if node.dep_ == "relcl":
            # "officials who said": the antecedent noun is the claimant
            return node.head
        node = node.head
        subject = _subject(node)
        if subject is not None:
            return subject
    return None


def _preceding_np(verb: Token, sent: SpacySpan) -> Token | None:
    """The noun phrase ending right before a subjectless cue (", Seoul's spy agency told")."""
    if verb.i == sent.start:
        return None
    prev = verb.doc[verb.i - 1]
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
    if head.right_edge.i != verb.i - 1 or head.left_edge.i == sent.start:
        return None
    return head if verb.doc[head.left_edge.i - 1].text in {",", "--", "—"} else None


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


def _verb_attribution(verb: Token, lemma: str, sent: SpacySpan) -> _Found | None:
    doc = verb.doc
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "declined to say": the infinitive is the content of another cue, not a cue
        return None
    cue, governed = _cue_range(verb, lemma)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    subject = _subject(verb)
    source_token = subject or _agent(verb)
    if source_token is None:
        source_token = _preceding_np(verb, sent) or _inherited_subject(verb)
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
    if passive and source is None and content is None:
        return None
    if content is None:
        content = _colon_quote(doc, cue[1], sent)
    if content is None and source is not None and source[0] > verb.i:
        # "..., said the official": the clause before the cue
        content = _trim_range(doc, sent.start, cue[0])
    if content is None and _is_clause_final(verb, sent, source):
        before = source[0] if source is not None and source[0] < cue[0] else cue[0]
        if before - sent.start >= 3:
            content = _trim_range(doc, sent.start, before)
    if content is None and source is None:
        return None
    return _Found(cue, source, content, recipient, via)


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


def _colon_quote(doc: Doc, cue_end: int, sent: SpacySpan) -> tuple[int, int] | None:
    """`X said: "..."` - what follows the colon, to the end of its line."""
    if doc[cue_end - 1].text != ":" or cue_end >= sent.end:
        return None
    return cue_end, _line_end(doc, cue_end, sent.end)


def _line_end(doc: Doc, start: int, limit: int) -> int:
    for i in range(start, limit):
        if "\n" in doc[i].text_with_ws and i > start:
            return i + 1
    return limit


def _speaker_colon(colon: Token, sent: SpacySpan) -> _Found | None:
    """Transcript and headline speakers: "CLINTON: Honestly, ..." / "Sanders: Brexit's ..."."""
    doc = colon.doc
    start = colon.i
    while start > sent.start and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    names = doc[start : colon.i]
    # the parser often ends the sentence at the colon; the content runs to the line's end
    if not 1 <= len(names) <= 4 or colon.i + 1 >= len(doc) or "\n" in colon.text_with_ws:
        return None
    if not all(t.pos_ == "PROPN" or t.text.isupper() for t in names):
        return None
    content = (colon.i + 1, _line_end(doc, colon.i + 1, len(doc)))
    return _Found((colon.i, colon.i + 1), (start, colon.i), content)


def _put_at(verb: Token) -> _Found | None:
    """ "Zelenskyy put the number of killed ... at 4,000": cue "put", content object + "at N"."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lower_ not in _TOLL_NOUNS:
        return None
    at = next((c for c in obj.subtree if c.lower_ == "at" and c.dep_ == "prep"), None)
    if at is None:
        at = next((c for c in verb.children if c.lower_ == "at" and c.dep_ == "prep"), None)
    if at is None:
        return None
    subject = _subject(verb) or _inherited_subject(verb)
    source = _subtree_range(subject) if subject is not None else None
    content = (obj.left_edge.i, max(obj.right_edge.i, at.right_edge.i) + 1)
    return _Found(_cue_range(verb, "put")[0], source, content)


def _noun_attribution(noun: Token) -> _Found | None:
    """ "U.S. estimates were lower at around 1,200": the report noun as subject."""
    if noun.dep_ != "nsubj" or noun.tag_ not in {"NN", "NNS"}:
        return None
    verb = noun.head
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


def _sentence_attributions(sent: SpacySpan) -> list[_Found]:
    found: list[_Found] = []
    for token in sent:
        lower = token.lower_
        result: _Found | None = None
        if lower == "according":
            result = _according_to(token, sent)
        elif token.pos_ == "VERB" and lower == "put":
            result = _put_at(token)
        elif token.pos_ == "VERB" and lower in _CUE_FORMS:
            result = _verb_attribution(token, _VERB_LEMMA.get(lower, lower), sent)
        elif token.pos_ == "NOUN" and lower in _REPORT_NOUNS:
            result = _noun_attribution(token)
        elif lower == ":":
            result = _speaker_colon(token, sent)
        if result is not None:
            found.append(result)
    return found


def _inside(inner: tuple[int, int], outer: tuple[int, int] | None) -> bool:
    return outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _quoted_tokens(doc: Doc) -> set[int]:
    """Indices of tokens inside quotation marks (curly pairs, or straight marks toggling)."""
    inside: set[int] = set()
    opened: int | None = None
    for token in doc:
        text = token.text
        if opened is None and (text in {"“", "``"} or (text == '"' and token.tag_ == "``")):
            opened = token.i
        elif opened is not None and text in {"”", "''", '"'}:
            inside.update(range(opened + 1, token.i))
            opened = None
        elif opened is not None and "\n\n" in token.text_with_ws:
            # an unclosed quotation ends with its paragraph
            inside.update(range(opened + 1, token.i + 1))
            opened = None
    return inside


def find_attributions(doc: Doc, nested: bool = True) -> list[Attribution]:
    """All attributions in `doc`, in text order of their cues.

    With nested=False an attribution whose cue lies inside another's content is dropped
    (PolNeAR annotates only the outermost).
    """
    found: list[_Found] = []
    for sent in doc.sents:
        found.extend(_sentence_attributions(sent))
    if not nested:
        quoted = _quoted_tokens(doc)
        found = [
            f
            for f in found
            if f.cue[0] not in quoted
            and not any(o is not f and _inside(f.cue, o.content) for o in found)
        ]
    result: list[Attribution] = []
    taken: set[int] = set()
    for f in sorted(found, key=lambda f: f.cue):
        cue = _span(doc, *f.cue, keep_colon=True)
        if cue is None or f.cue[0] in taken:
            continue
        taken.update(range(*f.cue))
        result.append(
            Attribution(
                cue=cue,
                source=_span(doc, *f.source) if f.source else None,
                content=_span(doc, *f.content) if f.content else None,
                recipient=_span(doc, *f.recipient) if f.recipient else None,
                via=_span(doc, *f.via) if f.via else None,
            )
        )
    return result
