"""Score facets figure by figure against gold mentions (the facets_basil_dev format).

A folder holds `articles.jsonl` (records: `id`, `title`, `text`, `published`, `outlet`)
and `gold.json` (`events`, each with `facets`, each with `mentions`: `article`,
`outlet`, `text`, `start`, `end` as offsets into the record's text, `claimant`; facet
`status`, optional `revision`). The records are analyzed as one run, as a user would
analyze them, and each system figure (a quantity of a claim) is placed back into its
record's text through its claim sentence (cleaning may drop lines, so article offsets
are not record offsets).

Metric (the folder's README):
(a) mention recall: a gold mention is matched by a system figure of the same article
    whose span overlaps it (largest overlap first; a figure matches one mention);
(b) pairwise over pairs of gold mentions in an event: gold-positive = same gold facet,
    system-positive = both matched and in one system facet; precision, recall, F1;
(c) status accuracy over gold facets with mentions from two or more outlets: the
    system facet holding most of the facet's matched mentions (tie: the one holding its
    first mention) must have the gold status (a system facet with revisions counts as
    right on a gold revision facet); none matched is wrong.
Added here: conflict precision (system facets shown as conflicting whose mentions'
gold facet is conflicting; a conflicting facet holding no gold mention is a false
conflict shown to a reader) and conflict recall (gold conflicting facets scored in (c)
whose system facet is conflicting); claimant accuracy over matched mentions (same
person or body: one name contains the other or they share their last word; a figure
credited to no one is the outlet's, and so is a gold claimant that names the outlet).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.model import Article, Claim, Facet, Story

_WORST_SHOWN = 5
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "s", "and", "for", "in", "on", "to"}


@dataclass(frozen=True, slots=True)
class Mention:
    event: str
    facet: int  # index into the gold facets
    article: str
    outlet: str
    start: int
    end: int
    claimant: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A system quantity placed in its record's text, with the facets that hold it."""

    article: str
    start: int
    end: int
    claim: Claim
    facets: frozenset[str]


def is_figure_gold(path: Path) -> bool:
    return path.is_dir() and (path / "gold.json").is_file() and (path / "articles.jsonl").is_file()


def read_gold_folder(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """`gold.json` and the records of `articles.jsonl` by id."""
    gold = json.loads((path / "gold.json").read_text(encoding="utf-8"))
    with (path / "articles.jsonl").open(encoding="utf-8") as lines:
        records = {str(r["id"]): r for r in map(json.loads, lines)}
    return gold, records


def evaluate_figures(
    path: Path, echo: Callable[[str], None] = print, folds: int = 0
) -> dict[str, Any]:
    """Analyze `path/articles.jsonl` and score its facets against `path/gold.json`.

    With `folds`, figures are regrouped by weights fitted on the other folds' events
    (cross-validation by event), the score to quote for the set the weights were fitted on.
    """
    from crosswire.pipeline import analyze

    gold, records = read_gold_folder(path)
    run = analyze([path / "articles.jsonl"])
    if folds:
        from crosswire.eval.pair_training import cross_validate

        cross_validate(gold["events"], records, run.articles, run.stories, folds)
        echo(f"figures grouped by weights fitted on the other {folds - 1} of {folds} event folds")
    result = score_figures(gold["events"], records, run.articles, run.stories)
    for line in result.pop("worst"):
        echo(f"  {line}")
    echo(
        f"{result['gold_mentions']} gold mentions in {result['gold_facets']} facets:"
        f" recall={result['mention_recall']:.3f} pair F1={result['pair_f1']:.3f}"
        f" (P {result['pair_precision']:.3f} R {result['pair_recall']:.3f})"
        f" status={result['status_accuracy']:.3f}"
        f" conflict P={result['conflict_precision']:.3f} R={result['conflict_recall']:.3f}"
        f" claimant={result['claimant_accuracy']:.3f}"
    )
    return result


def score_figures(
    events: Sequence[Mapping[str, Any]],
    records: Mapping[str, Mapping[str, Any]],
    articles: Sequence[Article],
    stories: Sequence[Story],
) -> dict[str, Any]:
    facets_by_id = {f.id: f for s in stories for f in s.facets}
    figures = _place_figures(stories, records, record_ids(articles))
    gold_facets = [facet for event in events for facet in event["facets"]]
    mentions = gold_mentions(events)
    match = match_figures(mentions, figures)
    worst: list[str] = []  # status errors first, then false conflicts

    # (b) pairs within an event
    tp = fp = fn = 0
    by_event: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_event.setdefault(m.event, []).append(i)
    for indices in by_event.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1 :]:
                same_gold = mentions[i].facet == mentions[j].facet
                fi, fj = match.get(i), match.get(j)
                same_system = fi is not None and fj is not None and bool(fi.facets & fj.facets)
                tp += same_gold and same_system
                fp += same_system and not same_gold
                fn += same_gold and not same_system
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    # (c) status, and conflict recall on the same facets
    scored = correct = gold_conflicts = found_conflicts = 0
    for g, facet in enumerate(gold_facets):
        held = [i for i, m in enumerate(mentions) if m.facet == g]
        if len({mentions[i].outlet for i in held}) < 2:
            continue
        scored += 1
        system = _system_facet(held, match, facets_by_id)
        gold_status = str(facet["status"])
        ok = system is not None and (
            system.status == gold_status or bool(facet.get("revision") and system.revisions)
        )
        correct += ok
        if gold_status == "conflicting":
            gold_conflicts += 1
            found_conflicts += system is not None and system.status == "conflicting"
        if not ok:
            shown = "no facet" if system is None else f"{system.status} ({system.label})"
            worst.append(f"status {shown} != gold {gold_status}: {facet['label']}")

    # conflict precision over every conflicting facet of the analyzed stories
    gold_of_facet: dict[str, Counter[int]] = {}
    for i, figure in match.items():
        for facet_id in figure.facets:
            gold_of_facet.setdefault(facet_id, Counter())[mentions[i].facet] += 1
    shown_conflicts = [f for f in facets_by_id.values() if f.status == "conflicting"]
    false_conflicts: list[str] = []
    true_conflicts = 0
    for facet in shown_conflicts:
        votes = gold_of_facet.get(facet.id)
        truth: str | None = None
        if votes:
            best = min(votes, key=lambda g: (-votes[g], g))
            truth = str(gold_facets[best]["status"])
        true_conflicts += truth == "conflicting"
        if truth != "conflicting":
            false_conflicts.append(f"false conflict ({truth or 'no gold figure'}): {facet.label}")

    # claimants of matched mentions
    outlet_names = _outlet_names(mentions)
    right_claimant = 0
    for i, figure in match.items():
        m = mentions[i]
        said = _system_claimant(figure.claim)
        right_claimant += _same_claimant(m.claimant, said, outlet_names.get(m.outlet, ""))

    matched = len(match)
    return {
        "mention_recall": round(matched / len(mentions), 4) if mentions else 1.0,
        "pair_precision": round(precision, 4),
        "pair_recall": round(recall, 4),
        "pair_f1": round(f1, 4),
        "status_accuracy": round(correct / scored, 4) if scored else 1.0,
        "conflict_precision": round(true_conflicts / len(shown_conflicts), 4)
        if shown_conflicts
        else 1.0,
        "conflict_recall": round(found_conflicts / gold_conflicts, 4) if gold_conflicts else 1.0,
        "claimant_accuracy": round(right_claimant / matched, 4) if matched else 1.0,
        "gold_mentions": len(mentions),
        "gold_facets": len(gold_facets),
        "status_scored": scored,
        "conflicts_shown": len(shown_conflicts),
        "gold_conflicts": gold_conflicts,
        "worst": worst[:_WORST_SHOWN] + false_conflicts[:_WORST_SHOWN],
    }


def gold_mentions(events: Sequence[Mapping[str, Any]]) -> list[Mention]:
    """Every gold mention, its facet numbered across events in order."""
    mentions: list[Mention] = []
    n = 0
    for event in events:
        for facet in event["facets"]:
            mentions.extend(
                Mention(
                    event=str(event["label"]),
                    facet=n,
                    article=str(m["article"]),
                    outlet=str(m["outlet"]),
                    start=int(m["start"]),
                    end=int(m["end"]),
                    claimant=str(m.get("claimant") or ""),
                )
                for m in facet["mentions"]
            )
            n += 1
    return mentions


def record_ids(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> its JSONL record's id (an input is "<file>#<record id>")."""
    return {a.id: a.input.rsplit("#", 1)[-1] for a in articles}


def _place_figures(
    stories: Sequence[Story],
    records: Mapping[str, Mapping[str, Any]],
    record_of: Mapping[str, str],
) -> list[Figure]:
    figures: list[Figure] = []
    for story in stories:
        held: dict[tuple[str, int], set[str]] = {}
        for facet in story.facets:
            for claim_id in facet.claims:
                for n in facet.figures.get(claim_id, ()):
                    held.setdefault((claim_id, n), set()).add(facet.id)
        for claim in story.claims:
            record = records.get(record_of.get(claim.article, ""))
            if record is None:
                continue
            text = str(record.get("text") or "")
            shift = shift_of(text, claim)
            if shift is None:
                continue
            for n, q in enumerate(claim.quantities):
                figures.append(
                    Figure(
                        article=record_of[claim.article],
                        start=q.start + shift,
                        end=q.end + shift,
                        claim=claim,
                        facets=frozenset(held.get((claim.id, n), ())),
                    )
                )
    return figures


def shift_of(record_text: str, claim: Claim) -> int | None:
    """Offset from the article's text to the record's for this claim's sentence."""
    if record_text[claim.start : claim.end] == claim.text:
        return 0
    found = record_text.find(claim.text)
    return None if found < 0 else found - claim.start


def match_figures(mentions: Sequence[Mention], figures: Sequence[Figure]) -> dict[int, Figure]:
    by_article: dict[str, list[int]] = {}
    for k, figure in enumerate(figures):
        by_article.setdefault(figure.article, []).append(k)
    pairs: list[tuple[int, int, int]] = []
    for i, m in enumerate(mentions):
        for k in by_article.get(m.article, ()):
            f = figures[k]
            overlap = min(m.end, f.end) - max(m.start, f.start)
            if overlap > 0:
                pairs.append((-overlap, i, k))
    pairs.sort()
    taken: set[int] = set()
    match: dict[int, Figure] = {}
    for _, i, k in pairs:
        if i not in match and k not in taken:
            match[i] = figures[k]
            taken.add(k)
    return match


def _system_facet(
    held: Sequence[int], match: Mapping[int, Figure], facets: Mapping[str, Facet]
) -> Facet | None:
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for order, i in enumerate(held):
        figure = match.get(i)
        if figure is None:
            continue
        for facet_id in figure.facets:
            votes[facet_id] += 1
            first.setdefault(facet_id, order)
    if not votes:
        return None
    best = min(votes, key=lambda f: (-votes[f], first[f], f))
    return facets[best]


def _outlet_names(mentions: Iterable[Mention]) -> dict[str, str]:
    """The name gold uses for each outlet itself: the claimant of most of its mentions
    (most figures are an outlet's own reporting), when that name is given to two or
    more of them; an outlet with too few mentions to tell gets none."""
    counts: dict[str, Counter[str]] = {}
    for m in mentions:
        counts.setdefault(m.outlet, Counter())[m.claimant] += 1
    names: dict[str, str] = {}
    for outlet, c in counts.items():
        (name, n), *rest = c.most_common(2)
        if n >= 2 and not (rest and rest[0][1] == n):
            names[outlet] = name
    return names


def _system_claimant(claim: Claim) -> str | None:
    """Who crosswire says gave the figure; None when it is the outlet's own."""
    if claim.claimant is None or (claim.origin or "outlet:").startswith("outlet:"):
        return None
    return claim.claimant_name or claim.claimant


def _words(name: str) -> list[str]:
    """The words of a name without gold's notes on it: "Donald Trump (via NYT)" is Trump,
    "Reince Priebus (RNC chairman)" is Priebus."""
    return [w for w in _WORD.findall(_NOTE.sub(" ", name).lower()) if w not in _STOP]


_NOTE = re.compile(r"\([^()]*\)")


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words)


def _same_claimant(gold: str, system: str | None, outlet_name: str) -> bool:
    gold_is_outlet = not gold or _words(gold) == _words(outlet_name)
    if system is None:
        return gold_is_outlet
    if gold_is_outlet:
        return False
    g, s = _words(gold), _words(system)
    if not g or not s:
        return False
    joined_g, joined_s = " ".join(g), " ".join(s)
    if joined_g in joined_s or joined_s in joined_g or g[-1] == s[-1]:
        return True
    # "TPM" for "Talking Points Memo"
    return (len(s) == 1 and len(g) > 1 and s[0] == _initials(g)) or (
        len(g) == 1 and len(s) > 1 and g[0] == _initials(s)
    )
