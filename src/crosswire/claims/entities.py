"""Entities of a story: named mentions from every outlet, merged into one entity per thing.

Mentions come from the spaCy NER spans of each original article plus descriptive
noun phrases ("Seoul's spy agency"). They are merged across the whole story, since
that is where the variants meet: one outlet writes "National Intelligence Service",
another "National Intelligence Agency", a third "Seoul's spy agency". The rules, in
the order they apply, each one a reason two names are the same thing:

1. the same normalised name (case, periods, a leading "the" and a possessor dropped:
   "Seoul's National Intelligence Agency" is "National Intelligence Agency");
2. an acronym of the other's initials: "NIS", "U.S." and "AFP" for "National
   Intelligence Service", "United States" and "Agence France-Presse";
3. a person's surname, folded for transliteration ("Zelensky", "Zelenskyy" and
   "Zelenskiy" fold alike), alone or with a title or given name;
4. organisations whose names differ only in one generic word (Service/Agency/...),
   never side by side in one article: an outlet names a body one way throughout,
   so two variants from different outlets are one body, two in one text are two;
5. a demonym for its country ("North Korean" for "North Korea", "American" for the
   United States) and a few country aliases from a small built-in table;
6. a descriptive phrase for the one organisation of the story whose name carries the
   descriptor's keyword ("spy agency" -> a name with "Intelligence").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crosswire.model import Entity
from crosswire.unionfind import UnionFind

# spaCy labels worth an entity; dates, numbers and the like are claims' business
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
_TYPE_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3, "LOC": 4, "FAC": 5, "EVENT": 6, "LAW": 7}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLES = _words(
    """president vice prime minister mr mr. mrs mrs. ms ms. dr dr. gen gen. general
    sen sen. senator rep rep. representative secretary chancellor king queen prince
    pope chairman chairwoman governor gov gov. mayor lt lt. col col. colonel sir
    lord lady judge justice ambassador spokesman spokeswoman spokesperson leader
    former chief supreme foreign defense defence ukrainian russian american"""
)
_GENERIC_ORG_WORDS = _words(
    """service agency bureau office department directorate administration authority
    ministry council commission committee"""
)
_STOP = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "des", "&", "on", "in"})

# Country aliases a text cannot teach: capitals are not merged (Seoul is a city too).
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "United States": ("U.S.", "US", "U.S.A.", "USA", "America", "American", "Americans"),
    "United Kingdom": ("U.K.", "UK", "Britain", "Great Britain", "British"),
    "Russia": ("Russian Federation", "Russian", "Russians"),
    "Ukraine": ("Ukrainian", "Ukrainians"),
    "North Korea": ("DPRK", "North Korean", "North Koreans"),
    "South Korea": ("Republic of Korea", "ROK", "South Korean", "South Koreans"),
    "China": ("People's Republic of China", "PRC", "Chinese"),
    "France": ("French",),
    "Germany": ("German", "Germans"),
    "Japan": ("Japanese",),
    "Israel": ("Israeli", "Israelis"),
    "Iran": ("Iranian", "Iranians"),
    "European Union": ("EU", "E.U."),
    "United Nations": ("UN", "U.N."),
}
_ALIAS_TO_COUNTRY = {
    alias.lower(): country for country, aliases in _COUNTRY_ALIASES.items() for alias in aliases
}
_ALIAS_TO_COUNTRY.update({country.lower(): country for country in _COUNTRY_ALIASES})

# descriptor word -> keywords one of which a matching organisation's name carries
_DESCRIPTORS: dict[str, tuple[str, ...]] = {
    "spy": ("intelligence", "spy"),
    "intelligence": ("intelligence",),
    "military": ("army", "armed", "military", "defense", "defence", "staff"),
    "defense": ("defense", "defence"),
    "defence": ("defense", "defence"),
    "foreign": ("foreign",),
    "health": ("health",),
    "election": ("election", "electoral"),
    "central": ("central",),
}
_DESCRIPTOR_HEADS = frozenset({"agency", "service", "ministry", "bureau", "office", "chief"})
_POSSESSIVE = re.compile(r"^(.+?)['’]s?\s+(?=\S)")
_BRACKETED = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)?\s*$")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class Mention:
    """A name as written in one article; offsets index that article's text."""

    article: str
    start: int
    end: int
    text: str
    label: str
    descriptor: bool = False


def clean_name(text: str) -> str:
    """The name without a leading determiner, possessor or lower-case words spaCy let in
    ("meet United States"), a bracketed acronym ("(INM)", even cut off: "(INM") or a
    trailing possessive; abbreviation periods stay."""
    name = _BRACKETED.sub("", _DETERMINER.sub("", text.strip()))
    name = re.sub(r"['’]s?$", "", name).strip()
    match = _POSSESSIVE.match(name)
    if match and not name.lower().startswith(("people's", "people’s")):
        rest = name[match.end() :]
        if rest[:1].isupper():
            name = rest
    words = name.split()
    while len(words) > 1 and words[0][:1].islower():
        words = words[1:]
    name = " ".join(words).strip(' ,;:-–—"“”')
    # "U.S." keeps its last period; a sentence's full stop does not belong to a name
    if name.endswith(".") and not re.search(r"(?:^|[.\s])[A-Za-z]\.$", name):
        name = name[:-1]
    return name


def fold(text: str) -> str:
    """Lower-case ASCII letters only, doubled letters collapsed: a transliteration key."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z]", "", ascii_text.lower())
    letters = re.sub(r"(.)\1+", r"\1", letters)
    return re.sub(r"(?:iy|yi|ij|ii)$", "y", letters)


def acronyms(name: str) -> set[str]:
    """The acronyms a multi-word name may go by: with and without its small words."""
    words = [w for w in re.split(r"[\s\-–]+", name) if w]
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words if w[0].isalpha()).upper()
    content = "".join(w[0] for w in words if w.lower() not in _STOP and w[0].isalpha()).upper()
    return {a for a in (every, content) if len(a) >= 2}


def acronym_key(name: str) -> str | None:
    letters = name.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters
    return None


def _person_parts(name: str) -> list[str]:
    words = [w for w in re.split(r"\s+", name) if w]
    while words and words[0].lower().strip(".") in _TITLES | {"mr", "mrs", "ms", "dr"}:
        words = words[1:]
    return words


@dataclass(slots=True)
class _Name:
    """One distinct cleaned name of the story with every mention of it."""

    text: str
    label: str
    mentions: list[Mention]
    descriptor: bool
    forms: set[str]  # every spelling met: "U.S." and "US" share one key


_ACRONYM_TEXT = re.compile(r"^[A-Z][A-Z.]{1,7}$")


def _split_brackets(mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    """(name key, acronym) where NER cut "the Peruvian Seismological Institute (ISP)" in
    two: an acronym mention starting two characters (" (") after a longer name's end."""
    by_end = {(m.article, m.end): m for m in mentions if " " in m.text.strip()}
    out = []
    for m in mentions:
        name = by_end.get((m.article, m.start - 2))
        if name is not None and _ACRONYM_TEXT.match(m.text):
            out.append((clean_name(name.text).lower().replace(".", ""), m.text))
    return out


def resolve_entities(
    mentions: Sequence[Mention], story_id: str
) -> tuple[list[Entity], dict[tuple[str, int, int], str]]:
    """Merge mentions into entities; return them and a map (article, start, end) -> entity id."""
    by_name: dict[str, _Name] = {}
    stated: list[tuple[str, str]] = []  # (name key, the acronym it gives in brackets)
    for mention in mentions:
        bracket = _BRACKETED.search(mention.text)
        name = clean_name(mention.text)
        if mention.label == "PERSON":
            name = " ".join(_person_parts(name)) or name
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            continue
        key = name.lower().replace(".", "")
        country = _ALIAS_TO_COUNTRY.get(name.lower())
        if country is not None and mention.label in {"GPE", "NORP", "ORG", "LOC"}:
            key = country.lower()
        entry = by_name.get(key)
        if entry is None:
            by_name[key] = _Name(name, mention.label, [mention], mention.descriptor, {name})
        else:
            entry.mentions.append(mention)
            entry.forms.add(name)
            entry.descriptor = entry.descriptor and mention.descriptor
            # a dateline's "SEOUL" names the city as well as "Seoul" does, but reads worse
            if entry.text.isupper() and not name.isupper():
                entry.text = name
        if bracket is not None:
            stated.append((key, bracket.group(1)))
    stated += _split_brackets(mentions)
    names = list(by_name.values())
    for entry in names:
        entry.label = _majority_label(m.label for m in entry.mentions)
    uf = UnionFind(len(names))
    _merge_acronyms(names, uf)
    _merge_people(names, uf)
    _merge_generic_variants(names, uf)
    _merge_countries(names, uf)
    _merge_descriptors(names, uf)
    # "National Meteorological Institute (INM)" says itself what "INM" stands for
    position = {key: i for i, key in enumerate(by_name)}
    for key, acronym in stated:
        if acronym.lower() in position:
            uf.union(position[key], position[acronym.lower()])
        by_name[key].forms.add(acronym)

    groups: dict[int, list[_Name]] = defaultdict(list)
    for i, entry in enumerate(names):
        groups[uf.find(i)].append(entry)
    ordered = sorted(
        groups.values(),
        key=lambda g: min((m.article, m.start) for e in g for m in e.mentions),
    )
    entities: list[Entity] = []
    index: dict[tuple[str, int, int], str] = {}
    for n, group in enumerate(ordered, start=1):
        entity_id = f"{story_id}-e{n}"
        entity = Entity(
            id=entity_id,
            name=_canonical_name(group),
            type=_majority_label(m.label for e in group for m in e.mentions if not e.descriptor),
            aliases=sorted({form for e in group for form in e.forms} - {_canonical_name(group)}),
            articles=sorted({m.article for e in group for m in e.mentions}),
        )
        entities.append(entity)
        for entry in group:
            for mention in entry.mentions:
                index[(mention.article, mention.start, mention.end)] = entity_id
    return entities, index


def _majority_label(labels: Iterable[str]) -> str:
    """The most frequent label; a demonym (NORP) yields to any other, so "North Korean"
    mentions do not make North Korea a nationality."""
    counts = Counter(labels)
    if len(counts) > 1:
        counts.pop("NORP", None)
    if not counts:
        return "ORG"
    return min(counts, key=lambda label: (-counts[label], _TYPE_RANK.get(label, 99)))


def _canonical_name(group: Sequence[_Name]) -> str:
    """The fullest proper name: a country's own name, else the name an acronym of the
    group abbreviates, else the longest non-descriptive form; all-caps datelines last."""
    for entry in group:
        country = _ALIAS_TO_COUNTRY.get(entry.text.lower())
        if country is not None:
            return country
    keys = {key for e in group if (key := acronym_key(e.text)) is not None}
    proper = [e for e in group if not e.descriptor and acronym_key(e.text) is None]
    pool = proper or [e for e in group if not e.descriptor] or list(group)
    return max(
        pool,
        key=lambda e: (
            bool(acronyms(e.text) & keys),
            not (e.text.isupper() and len(e.text) > 3),
            len(e.text.split()),
            len(e.mentions),
            -len(e.text),
        ),
    ).text


def _merge_acronyms(names: Sequence[_Name], uf: UnionFind) -> None:
    by_acronym: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(names):
        if entry.label in {"ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"}:
            for acronym in acronyms(entry.text):
                by_acronym[acronym].append(i)
    for i, entry in enumerate(names):
        key = acronym_key(entry.text)
        if key is None:
            continue
        for j in by_acronym.get(key, ()):
            uf.union(i, j)


def _merge_people(names: Sequence[_Name], uf: UnionFind) -> None:
    """Same folded surname and compatible given names; lone surnames join the person."""
    people: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(names):
        if entry.label == "PERSON":
            parts = _person_parts(entry.text)
            if parts:
                people[fold(parts[-1])].append(i)
    for members in people.values():
        full = [i for i in members if len(_person_parts(names[i].text)) > 1]
        given = {fold(_person_parts(names[i].text)[0]) for i in full}
        # two different people sharing a surname stay apart; the lone surname is ambiguous then
        if len(given) > 1:
            by_given: dict[str, list[int]] = defaultdict(list)
            for i in full:
                by_given[fold(_person_parts(names[i].text)[0])].append(i)
            for same in by_given.values():
                for i in same[1:]:
                    uf.union(same[0], i)
            continue
        for i in members[1:]:
            uf.union(members[0], i)
    # a surname spaCy mislabelled (ORG "Trump") joins the only person of that surname
    for i, entry in enumerate(names):
        if entry.label != "PERSON" and " " not in entry.text:
            members = people.get(fold(entry.text), [])
            given_names = {
                fold(parts[0])
                for parts in (_person_parts(names[j].text) for j in members)
                if len(parts) > 1
            }
            if members and len(given_names) <= 1 and acronym_key(entry.text) is None:
                uf.union(i, members[0])


def _merge_generic_variants(names: Sequence[_Name], uf: UnionFind) -> None:
    by_frame: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, entry in enumerate(names):
        if entry.label != "ORG" or entry.descriptor:
            continue
        words = entry.text.lower().split()
        for k, word in enumerate(words):
            if word in _GENERIC_ORG_WORDS and len(words) >= 2:
                by_frame[(*words[:k], "*", *words[k + 1 :])].append(i)
    for members in by_frame.values():
        for a in members:
            for b in members:
                if a < b and not _share_article(names[a], names[b]):
                    uf.union(a, b)


def _share_article(a: _Name, b: _Name) -> bool:
    return bool({m.article for m in a.mentions} & {m.article for m in b.mentions})


def _merge_countries(names: Sequence[_Name], uf: UnionFind) -> None:
    """Demonyms join their country: "North Korean" -> "North Korea", "Russian" -> "Russia"."""
    by_text = {e.text.lower(): i for i, e in enumerate(names) if e.label in {"GPE", "LOC"}}
    for i, entry in enumerate(names):
        if entry.label != "NORP":
            continue
        text = entry.text.lower()
        for stem in (text[:-1], text[:-2], text[:-3] + "e", text[:-3] + "a"):
            j = by_text.get(stem)
            if j is not None and text.endswith("n"):
                uf.union(i, j)
                break


def _merge_descriptors(names: Sequence[_Name], uf: UnionFind) -> None:
    # keyword -> organisations whose name holds it, one per group: two names in one group
    # stay in one group, so the others need not be looked at again (a story of thousands
    # of names would otherwise scan them all for every descriptor)
    holding: dict[str, list[int]] = defaultdict(list)
    for j, entry in enumerate(names):
        if entry.label == "ORG" and not entry.descriptor:
            for word in set(re.findall(r"[a-z]+", entry.text.lower())):
                holding[word].append(j)
    for i, entry in enumerate(names):
        if not entry.descriptor:
            continue
        words = re.findall(r"[a-z]+", entry.text.lower())
        keywords = {k for w in words for k in _DESCRIPTORS.get(w, ())}
        roots: set[int] = set()
        for keyword in keywords:
            groups = {uf.find(j): j for j in reversed(holding.get(keyword, []))}
            holding[keyword] = sorted(groups.values())
            roots.update(groups)
        if len(roots) == 1:
            uf.union(i, roots.pop())


# the possessor is at most eight capitalised words: unbounded, every capitalised word of a
# long run of them ("A B C ...") would scan the rest of the run, quadratic in its length
_DESCRIPTOR_RE = re.compile(
    r"\b(?:(?:[A-Z][\w.\-]{0,40}(?:\s{1,4}[A-Z][\w.\-]{0,40}){0,7})['’]s\s+|the\s+)"
    r"((?:" + "|".join(_DESCRIPTORS) + r")\s+(?:" + "|".join(_DESCRIPTOR_HEADS) + r"))\b"
)


def find_descriptors(text: str) -> list[tuple[int, int]]:
    """Spans like "Seoul's spy agency" or "the spy agency" that describe an organisation."""
    return [(m.start(), m.end()) for m in _DESCRIPTOR_RE.finditer(text)]


def lookup(entities: Sequence[Entity], text: str) -> Entity | None:
    """The story entity a bare phrase names, when NER missed it in that sentence."""
    return EntityLookup(entities).find(text)


class EntityLookup:
    """`lookup` over one story's entities, indexed once: the claims stage asks it for
    every source phrase NER missed, and a scan of every entity (and its acronyms) per
    phrase made a long story quadratic."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = list(entities)
        self.by_key: dict[str, int] = {}
        self.by_acronym: dict[str, int] = {}
        self.by_surname: dict[str, int] = {}
        # word -> the (entity, name) pairs whose name holds it, for organisations
        self.org_words: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for e, entity in enumerate(self.entities):
            for k, n in enumerate([entity.name, *entity.aliases]):
                self.by_key.setdefault(n.lower().replace(".", ""), e)
                for acronym in acronyms(n):
                    self.by_acronym.setdefault(acronym, e)
                words = n.split()
                if entity.type == "PERSON" and words:
                    self.by_surname.setdefault(fold(words[-1]), e)
                if entity.type == "ORG":
                    for word in n.lower().split():
                        self.org_words[word].add((e, k))

    def find(self, text: str) -> Entity | None:
        """The entity `text` names: the first whose name or alias is the phrase or whose
        acronym it is, else the only person with its surname (a one-word phrase), else,
        for a definite description ("the rail authority"), the one organisation with a
        name holding all its words."""
        name = clean_name(text)
        key = name.lower().replace(".", "")
        acronym = acronym_key(name)
        found = [self.by_key.get(key)]
        if acronym is not None:
            found.append(self.by_acronym.get(acronym))
        first = min((e for e in found if e is not None), default=None)
        if first is not None:
            return self.entities[first]
        words = name.split()
        if " " not in name and words:
            surname = fold(words[-1])
            if surname and surname in self.by_surname:
                return self.entities[self.by_surname[surname]]
        if not _DETERMINER.match(text.strip()):
            return None
        wanted = set(_DETERMINER.sub("", text.strip()).lower().split())
        if not wanted:
            return None
        pairs: set[tuple[int, int]] | None = None
        for word in sorted(wanted, key=lambda w: len(self.org_words.get(w, ()))):
            holding = self.org_words.get(word, set())
            pairs = set(holding) if pairs is None else pairs & holding
            if not pairs:
                return None
        named = {e for e, _ in pairs or ()}
        return self.entities[named.pop()] if len(named) == 1 else None
