"""Score story grouping against gold story labels, and convert the gold sets to JSONL.

One JSONL record per article: `id`, `title`, `text`, `published` (ISO or null),
`outlet`, `label` (the gold story). `evaluate_stories` clusters the records with
`cluster_stories` (or, with `stream=True`, feeds them one at a time in publication order
through `StoryIndex.assign`, the stage a live path runs) and scores the grouping with
B-cubed precision/recall/F1 (per item, as in Bagga & Baldwin 1998 and Amigo et al.
2009), pairwise precision/recall/F1 (over pairs of items, the metric of Miranda et al.
2018, "Multilingual Clustering of Streaming News") and the adjusted Rand index.

The converters turn the raw gold sets under `shared/data/stories_raw/` into that form:
ECB+ (label = event cluster), AllSides/NeuS (label = roundup; the roundup's date
stands in for the articles' own publication dates) and WikiRef (label = topic).
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from crosswire.model import Article
from crosswire.stories import StoryIndex, cluster_stories, publication_order

Record = dict[str, Any]

_REQUIRED = ("id", "text", "label")


# ---------------------------------------------------------------- scoring


def bcubed(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `predicted` against `gold` (parallel labels)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must label the same items")
    if not gold:
        return 1.0, 1.0, 1.0
    pair_counts = Counter(zip(gold, predicted, strict=True))
    gold_sizes = Counter(gold)
    pred_sizes = Counter(predicted)
    # every item in the (gold, predicted) cell shares `n` correct items with itself
    precision = sum(n * n / pred_sizes[p] for (_, p), n in pair_counts.items()) / len(gold)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in pair_counts.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1: over unordered pairs of items, a pair is
    positive when both items share a label (Miranda et al. 2018's scorer)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must label the same items")

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(gold, predicted, strict=True)))
    found = pairs(Counter(predicted))
    true = pairs(Counter(gold))
    # no predicted (or gold) pair at all: nothing was claimed wrongly (or missed)
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_labels(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """B-cubed and pairwise F1/precision/recall and ARI, as `evaluate_stories` returns."""
    precision, recall, f1 = bcubed(gold, predicted)
    pair_precision, pair_recall, pair_f1 = pairwise(gold, predicted)
    ari = float(adjusted_rand_score(list(gold), list(predicted))) if gold else 1.0
    return {
        "bcubed_f1": round(f1, 4),
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "pairwise_f1": round(pair_f1, 4),
        "pairwise_precision": round(pair_precision, 4),
        "pairwise_recall": round(pair_recall, 4),
        "ari": round(ari, 4),
    }


# ---------------------------------------------------------------- evaluation


def record_to_article(record: Record) -> Article:
    """An Article from one JSONL record; raises ValueError when a required field is bad."""
    for key in _REQUIRED:
        if not isinstance(record.get(key), str | int) or record.get(key) in ("", None):
            raise ValueError(f"missing or empty field {key!r}")
    if not isinstance(record["text"], str):
        raise ValueError("field 'text' must be a string")
    return Article(
        id=str(record["id"]),
        input=str(record["id"]),
        text=record["text"],
        title=_optional_str(record, "title"),
        published=_optional_str(record, "published"),
        outlet=_optional_str(record, "outlet"),
        language=_optional_str(record, "language") or "en",
    )


def _optional_str(record: Record, key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string or null")
    return value


def read_gold(path: Path, echo: Callable[[str], None]) -> tuple[list[Article], list[str]]:
    """Articles and their gold labels from PATH; malformed lines are echoed and skipped."""
    articles: list[Article] = []
    labels: list[str] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("a record must be a JSON object")
                article = record_to_article(record)
                if article.id in seen:
                    raise ValueError(f"duplicate id {article.id!r}")
            except ValueError as error:  # json.JSONDecodeError is a ValueError
                echo(f"error: {path.name}:{number}: {error}")
                continue
            seen.add(article.id)
            articles.append(article)
            labels.append(str(record["label"]))
    return articles, labels


def evaluate_stories(
    path: Path, echo: Callable[[str], None] = print, stream: bool = False
) -> dict[str, float]:
    """Group the gold JSONL at PATH into stories and score them against the gold labels.

    STREAM feeds the records one at a time in publication order through a fresh
    `StoryIndex` (decisions applied as a caller applies them, merges and moves included) instead
    of clustering the whole file at once.
    """
    articles, gold = read_gold(path, echo)
    started = time.perf_counter()
    if stream:
        predicted, note = _stream_labels(articles)
    else:
        stories = cluster_stories(articles)
        story_of = {article_id: story.id for story in stories for article_id in story.articles}
        predicted = [story_of[article.id] for article in articles]
        note = f"predicted {len(stories)} stories"
    elapsed = time.perf_counter() - started
    result = score_labels(gold, predicted)
    rate = len(articles) / elapsed if elapsed > 0 else float("inf")
    echo(f"{path.name}: {len(articles)} articles, {len(set(gold))} gold stories")
    echo(f"{note} in {elapsed:.2f} s ({rate:.0f} articles/s)")
    echo(
        f"B-cubed F1 {result['bcubed_f1']:.4f} (P {result['bcubed_precision']:.4f}, "
        f"R {result['bcubed_recall']:.4f}), ARI {result['ari']:.4f}"
    )
    echo(
        f"pairwise F1 {result['pairwise_f1']:.4f} (P {result['pairwise_precision']:.4f}, "
        f"R {result['pairwise_recall']:.4f})"
    )
    return result


def _stream_labels(articles: Sequence[Article]) -> tuple[list[str], str]:
    """Story label per article after streaming ARTICLES, and a line on what happened."""
    index = StoryIndex()
    story_of: dict[str, str] = {}
    # every merged-away id -> the id that took it over, as the store keeps them
    aliases: dict[str, str] = {}
    merges = moves = peak_stories = peak_originals = 0
    for position in publication_order(articles):
        decision = index.assign(articles[position])
        story_of[decision.article] = decision.story
        for merge in decision.merges:
            aliases[merge.replaced] = merge.survivor
        for move in decision.moves:
            story_of.update(dict.fromkeys(move.articles, move.target))
        merges += len(decision.merges)
        moves += len(decision.moves)
        peak_stories = max(peak_stories, index.active_stories)
        peak_originals = max(peak_originals, index.active_originals)

    def resolve(story: str) -> str:
        while story in aliases:
            story = aliases[story]
        return story

    predicted = [resolve(story_of[article.id]) for article in articles]
    note = (
        f"streamed into {len(set(predicted))} stories ({merges} merges, {moves} moves; at most "
        f"{peak_stories} stories and {peak_originals} originals active)"
    )
    return predicted, note


# ---------------------------------------------------------------- gold converters


def _read_jsonl(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def ecbplus_records(path: Path) -> list[Record]:
    """ECB+ documents; the gold story is the event cluster (two per topic)."""
    return [
        {
            "id": doc["doc_id"],
            "title": None,
            "text": doc["text"],
            "published": None,
            "outlet": None,
            "label": doc["cluster"],
        }
        for doc in _read_jsonl(path)
    ]


def allsides_records(paths: Iterable[Path], with_dates: bool = True) -> list[Record]:
    """AllSides roundup articles; the gold story is the roundup.

    The roundup's `date` is the best date the crawl kept; it approximates the
    articles' own publication dates, so `with_dates=False` lets a score be reported
    that cannot owe anything to it.
    """
    records: list[Record] = []
    for path in sorted(paths):
        for roundup in _read_jsonl(path):
            news = roundup.get("news") or {}
            for stance in sorted(news):
                entry = news[stance]
                records.append(
                    {
                        "id": f"{roundup['id']}-{stance}",
                        "title": entry.get("newsTitle") or None,
                        "text": "\n".join(entry.get("newBody") or []),
                        "published": roundup.get("date") if with_dates else None,
                        "outlet": entry.get("newsSource") or None,
                        "label": str(roundup["id"]),
                    }
                )
    return records


def wikiref_records(path: Path) -> list[Record]:
    """WikiRef articles (no dates, no outlets); the gold story is the topic label."""
    return [
        {
            "id": doc["file"],
            "title": None,
            "text": doc["text"],
            "published": None,
            "outlet": None,
            "label": doc["label"],
        }
        for doc in _read_jsonl(path)
    ]


def basil_records(folder: Path) -> list[Record]:
    """BASIL's development events (facets_basil_dev: three outlets each, dated, the third
    often days after the other two); the gold story is the event."""
    event_of = {
        article: event["label"]
        for event in json.loads((folder / "gold.json").read_text(encoding="utf-8"))["events"]
        for article in event["articles"]
    }
    return [
        {key: doc.get(key) for key in ("id", "title", "text", "published", "outlet")}
        | {"label": event_of[doc["id"]]}
        for doc in _read_jsonl(folder / "articles.jsonl")
        if doc["id"] in event_of
    ]


def gold_sets(stories_raw: Path) -> dict[str, list[Record]]:
    """Every gold set found under STORIES_RAW, by output file stem."""
    sets: dict[str, list[Record]] = {}
    ecb = stories_raw / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.is_file():
        sets["ecbplus"] = ecbplus_records(ecb)
    allsides = sorted((stories_raw / "allsides_neus" / "raw_crawled").glob("*.jsonl"))
    if allsides:
        sets["allsides"] = allsides_records(allsides)
        sets["allsides_nodate"] = allsides_records(allsides, with_dates=False)
    for size in (220, 186, 150):
        wikiref = stories_raw / "wikiref" / f"WikiRef{size}.jsonl"
        if wikiref.is_file():
            sets[f"wikiref{size}"] = wikiref_records(wikiref)
    basil = stories_raw.parent / "facets_basil_dev"
    if (basil / "gold.json").is_file():
        sets["basil"] = basil_records(basil)
    return sets


def write_jsonl(records: Iterable[Record], path: Path) -> int:
    """Write RECORDS to PATH, one JSON object a line; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


# ---------------------------------------------------------------- scale check


def synthetic_corpus(
    records: Sequence[Record], originals: int, copies_per_original: int = 1, seed: int = 7
) -> list[Article]:
    """A corpus of ORIGINALS articles built from gold RECORDS, plus copies of each.

    Each pass over RECORDS shifts every date by 60 days and perturbs the words (drops
    and swaps ~10%), so replicas are new, similar-looking stories rather than exact
    repeats; undated gold stories get a seeded date per gold label, as a stream has.
    Copies carry `duplicate_of`, as the dedup stage would set it.
    """
    rng = random.Random(seed)
    label_day = {label: rng.randrange(180) for label in sorted({str(r["label"]) for r in records})}
    start = datetime(2021, 1, 1, tzinfo=UTC)
    articles: list[Article] = []
    for index in range(originals):
        record = records[index % len(records)]
        replica = index // len(records)
        day = label_day[str(record["label"])] + 60 * replica
        published = (start + timedelta(days=day, minutes=rng.randrange(1440))).isoformat()
        original = Article(
            id=f"syn-{index}",
            input=f"syn-{index}",
            text=_perturb(record["text"], rng) if replica else record["text"],
            title=_perturb(record["title"], rng)
            if replica and record["title"]
            else record["title"],
            published=published,
            outlet=record.get("outlet"),
        )
        articles.append(original)
        for copy in range(copies_per_original):
            articles.append(
                Article(
                    id=f"syn-{index}-copy{copy}",
                    input=f"syn-{index}-copy{copy}",
                    text=original.text + "\nShare this article.",
                    title=original.title,
                    published=published,
                    duplicate_of=original.id,
                )
            )
    return articles


def _perturb(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    kept = [w for w in words if rng.random() > 0.05]
    for _ in range(len(kept) // 20):
        i, j = rng.randrange(len(kept)), rng.randrange(len(kept))
        kept[i], kept[j] = kept[j], kept[i]
    return " ".join(kept)


def time_clustering(
    records: Sequence[Record], originals: int = 10_000, echo: Callable[[str], None] = print
) -> dict[str, float]:
    """Seconds and articles/s to cluster a synthetic corpus of ORIGINALS originals + copies."""
    articles = synthetic_corpus(records, originals)
    started = time.perf_counter()
    stories = cluster_stories(articles)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    echo(
        f"{len(articles)} articles ({originals} originals) -> {len(stories)} stories "
        f"in {elapsed:.1f} s ({len(articles) / elapsed:.0f} articles/s), peak RSS {peak_mb:.0f} MB"
    )
    return {
        "articles": float(len(articles)),
        "originals": float(originals),
        "stories": float(len(stories)),
        "seconds": round(elapsed, 2),
        "articles_per_s": round(len(articles) / elapsed, 1),
        "peak_rss_mb": round(peak_mb, 1),
    }
