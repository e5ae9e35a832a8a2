"""The incremental story index: scores on real gold streams, state that survives a
restart, re-feeding, retirement, merges, copies and stable ids."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from port_stories import FIRE, port_articles

from crosswire.clean import clean_documents
from crosswire.dedup import find_duplicates
from crosswire.eval.stories import (
    allsides_records,
    ecbplus_records,
    evaluate_stories,
    write_jsonl,
)
from crosswire.ingest import read_inputs
from crosswire.model import Article
from crosswire.pipeline import unique_articles
from crosswire.stories import (
    Assignment,
    StoryIndex,
    StreamConfig,
    publication_order,
    story_id,
)

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
GOLD: dict[str, Any] = json.loads((REPO / "examples" / "corpus-gold.json").read_text("utf-8"))
STORIES_RAW = REPO.parent / "shared" / "data" / "stories_raw"
ECBPLUS = STORIES_RAW / "ecbplus" / "ecbplus_docs.jsonl"
ALLSIDES = STORIES_RAW / "allsides_neus" / "raw_crawled"


def key(article: Article) -> str:
    return str(Path(article.input).relative_to(CORPUS))


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    """The example corpus as the dedup stage leaves it (copies carry `duplicate_of`)."""
    docs, _ = read_inputs([CORPUS])
    articles, _ = clean_documents(docs)
    articles = unique_articles(articles)
    find_duplicates(articles)
    return articles


def by_key(articles: list[Article], name: str) -> Article:
    return next(a for a in articles if key(a) == name)


def stream(index: StoryIndex, articles: list[Article]) -> list[Assignment]:
    return [index.assign(articles[i]) for i in publication_order(articles)]


def final_labels(decisions: list[Assignment]) -> dict[str, str]:
    """Article id -> story, with merges and moves applied as a caller applies them."""
    aliases = {m.replaced: m.survivor for d in decisions for m in d.merges}

    def resolve(story: str) -> str:
        while story in aliases:
            story = aliases[story]
        return story

    placed: dict[str, str] = {}
    for d in decisions:
        placed[d.article] = d.story
        for move in d.moves:
            placed.update(dict.fromkeys(move.articles, move.target))
    return {article: resolve(story) for article, story in placed.items()}


# ---------------------------------------------------------------- gold streams


def _gold_file(tmp_path: Path, name: str) -> Path:
    found = ECBPLUS.is_file() if name == "ecbplus" else any(ALLSIDES.glob("*.jsonl"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"gold data for {name} missing under {STORIES_RAW} (CI is set)")
        pytest.skip(f"gold data for {name} not found under {STORIES_RAW}")
    records = (
        ecbplus_records(ECBPLUS)
        if name == "ecbplus"
        else allsides_records(ALLSIDES.glob("*.jsonl"))
    )
    path = tmp_path / f"{name}.jsonl"
    write_jsonl(records, path)
    return path


# measured at this commit: ECB+ 0.9136 (batch 0.918), AllSides 0.8739 (batch 0.871); ECB+
# was 0.8789 before members moved (early joins could not be undone)
@pytest.mark.parametrize(("name", "floor"), [("ecbplus", 0.86), ("allsides", 0.86)])
def test_a_stream_over_a_gold_set_reaches_its_floor(
    tmp_path: Path, name: str, floor: float
) -> None:
    path = _gold_file(tmp_path, name)
    lines: list[str] = []
    result = evaluate_stories(path, echo=lines.append, stream=True)
    assert result["bcubed_f1"] >= floor
    assert result["pairwise_f1"] > 0.7
    assert any(line.startswith("streamed into") for line in lines)
    batch = evaluate_stories(path, echo=lambda _: None)
    assert abs(result["bcubed_f1"] - batch["bcubed_f1"]) <= 0.01


# ---------------------------------------------------------------- state and order


@pytest.mark.parametrize("idle", [20_000, 6])
def test_state_round_trip_mid_stream_decides_as_an_uninterrupted_stream(
    corpus: list[Article], idle: int
) -> None:
    # a short idle limit makes stories retire inside the corpus, so retirement state
    # crosses the restart too; the default keeps cross-story links to the end
    config = StreamConfig(idle_originals=idle)
    ordered = [corpus[i] for i in publication_order(corpus)]
    whole = StoryIndex(config)
    expected: list[Assignment] = []
    states: list[str] = []
    for article in ordered:
        expected.append(whole.assign(article))
        states.append(json.dumps(whole.to_dict()))
    assert any(d.retired for d in expected) == (idle < len(ordered))
    cuts = range(1, len(ordered), 4)
    # some restart must carry links between stories, else dropping them goes unseen
    assert any(story["links"] for cut in cuts for story in json.loads(states[cut - 1])["stories"])
    for cut in cuts:
        first = StoryIndex(config)
        decisions = [first.assign(a) for a in ordered[:cut]]
        resumed = StoryIndex.from_dict(json.loads(json.dumps(first.to_dict())))
        for step, article in enumerate(ordered[cut:], start=cut):
            decisions.append(resumed.assign(article))
            assert json.dumps(resumed.to_dict()) == states[step], (cut, step)
        assert decisions == expected


def test_refeeding_the_same_articles_changes_nothing(corpus: list[Article]) -> None:
    index = StoryIndex()
    first = stream(index, corpus)
    before = json.dumps(index.to_dict())
    again = index.assign_many(corpus)
    assert all(d.repeated for d in again)
    assert json.dumps(index.to_dict()) == before
    labels = final_labels(first)
    assert all(labels[d.article] == index.resolve(d.story) for d in again)
    # a micro-batch in any order is taken in publication order: same decisions
    forward = StoryIndex().assign_many(corpus)
    shuffled = StoryIndex().assign_many(list(reversed(corpus)))
    assert sorted(shuffled, key=lambda d: d.article) == sorted(forward, key=lambda d: d.article)


def test_a_copy_follows_its_original_and_story_ids_stay_stable(corpus: list[Article]) -> None:
    index = StoryIndex()
    decisions = {d.article: d for d in stream(index, corpus)}
    labels = final_labels(list(decisions.values()))
    for article in corpus:
        if article.duplicate_of:
            assert decisions[article.id].copy_of == article.duplicate_of
            assert labels[article.id] == labels[article.duplicate_of]
    founders = [d.article for d in decisions.values() if d.new]
    assert {story_id(f) for f in founders} >= set(labels.values())

    # an article published before the founder arrives late: it joins, the id stays
    first = by_key(corpus, "feeds/cpa-wire.jsonl#cpa-20260303-porto-floods")
    late = by_key(corpus, "feeds/eps-wire.jsonl#eps-20260303-portugal-douro")
    fresh = StoryIndex()
    started = fresh.assign(first)
    joined = fresh.assign(replace(late, published="2026-03-02T08:00:00+00:00"))
    assert started.new and not joined.new
    assert joined.story == started.story == story_id(first.id)


def test_the_stream_never_mixes_two_events_of_the_corpus(corpus: list[Article]) -> None:
    labels = final_labels(stream(StoryIndex(), corpus))
    gold = {a.id: GOLD["articles"][key(a)]["story"] for a in corpus}
    for story in set(labels.values()):
        assert len({gold[a] for a, s in labels.items() if s == story}) == 1
    by_name = {key(a): labels[a.id] for a in corpus}
    peru = {by_name[m] for m in GOLD["stories"]["arequipa-earthquake"]["members"][:6]}
    chile = {by_name[m] for m in GOLD["stories"]["antofagasta-earthquake"]["members"]}
    assert len(peru) == 1 and len(chile) == 1 and peru != chile


# ---------------------------------------------------------------- window


def test_retired_stories_leave_the_index_so_memory_follows_the_window(
    corpus: list[Article],
) -> None:
    """The corpus re-issued every 40 days (new ids): each round starts stories of its
    own, and the active set never holds more than one round."""
    originals = [a for a in corpus if a.duplicate_of is None]
    index = StoryIndex()
    peak = 0
    retired: set[str] = set()
    rounds = 5
    for round_ in range(rounds):
        batch = []
        for article in originals:
            moment = datetime.fromisoformat(article.published or "") + timedelta(days=40 * round_)
            batch.append(
                replace(article, id=f"r{round_}-{article.id}", published=moment.isoformat())
            )
        for decision in index.assign_many(batch):
            retired.update(decision.retired)
            peak = max(peak, index.active_originals)
            if round_:
                # a story never joins one of an earlier round: those are retired
                assert decision.story not in retired
    assert peak <= len(originals)
    assert index.active_originals <= len(originals)
    assert index.story_of(f"r0-{originals[0].id}") is None
    assert len(retired) >= (rounds - 1) * 5

    # a retired story reloaded from its stored members takes its follow-ups again
    first_round = [a for a in originals if "porto" in key(a) or "portugal" in key(a)]
    day_one = [a for a in first_round if "2026-03-03" in (a.published or "")]
    old_story = story_id(min(day_one, key=lambda a: (a.published or "", a.id)).id)
    index.reload(old_story, [replace(a, id=f"r0-{a.id}") for a in day_one])
    assert index.story_of(f"r0-{day_one[0].id}") == old_story
    # an article of those days that reaches the stream months late
    late = replace(day_one[0], id="late-repeat", published="2026-03-04T12:00:00+00:00")
    assert index.assign(late).story == old_story

    # undated articles have no clock: stories idle for `idle_originals` originals retire
    undated = StoryIndex(StreamConfig(idle_originals=5))
    for i, article in enumerate(originals):
        undated.assign(replace(article, id=f"u{i}", published=None))
        assert undated.active_stories <= 6


# ---------------------------------------------------------------- merges


def test_an_article_that_links_two_stories_strongly_merges_them(corpus: list[Article]) -> None:
    """Day-one flood report and the traders' follow-up share no wording, so they start
    two stories; a roundup quoting both links them (measured mean 0.28 >= 0.25)."""
    flood = by_key(corpus, "feeds/cpa-wire.jsonl#cpa-20260303-porto-floods")
    traders = by_key(corpus, "northgate-post/2026-03-06-porto-traders-flood-losses.txt")
    others = [
        a
        for a in corpus
        if a.duplicate_of is None and not any(w in key(a) for w in ("porto", "portugal"))
    ]

    def index_with_two_stories() -> StoryIndex:
        index = StoryIndex()
        index.assign_many([flood, traders, *others])
        assert index.story_of(flood.id) != index.story_of(traders.id)
        return index

    index = index_with_two_stories()
    older, newer = index.story_of(flood.id), index.story_of(traders.id)
    assert older is not None and newer is not None
    roundup = Article(
        id="roundup",
        input="roundup",
        text=flood.text[: len(flood.text) // 2] + "\n\n" + traders.text,
    )
    decision = index.assign(roundup)
    assert [(m.survivor, m.replaced) for m in decision.merges] == [(older, newer)]
    assert decision.story == older
    assert index.story_of(traders.id) == older and index.resolve(newer) == older
    assert decision.merges[0].score >= StreamConfig().merge_threshold

    # one sentence of the follow-up is not a strong link: no merge
    index = index_with_two_stories()
    weak = Article(
        id="weak", input="weak", text=flood.text + "\n\n" + traders.text.split(".")[0] + "."
    )
    assert index.assign(weak).merges == ()


def test_a_lone_article_joins_a_story_once_the_story_has_grown_toward_it(
    corpus: list[Article],
) -> None:
    """A story of one article is one join decision made late: it merges by the join
    threshold, not the (higher) bar two grown stories need. With that bar set out of
    reach, the roundup still brings the traders' follow-up, alone in its story, in."""
    flood = by_key(corpus, "feeds/cpa-wire.jsonl#cpa-20260303-porto-floods")
    traders = by_key(corpus, "northgate-post/2026-03-06-porto-traders-flood-losses.txt")
    config = StreamConfig(merge_threshold=0.99)
    index = StoryIndex(config)
    index.assign_many([flood, traders])
    older, newer = index.story_of(flood.id), index.story_of(traders.id)
    assert older is not None and newer is not None and older != newer
    roundup = Article(
        id="roundup",
        input="roundup",
        text=flood.text[: len(flood.text) // 2] + "\n\n" + traders.text,
    )
    decision = index.assign(roundup)
    assert [(m.survivor, m.replaced) for m in decision.merges] == [(older, newer)]
    assert config.threshold <= decision.merges[0].score < config.merge_threshold


# ---------------------------------------------------------------- moves


def test_a_member_nearer_another_story_moves_there_with_its_copies() -> None:
    articles = port_articles()
    copy = Article(
        id="both-copy",
        input="both-copy",
        text=articles[2].text,
        published="2026-03-04T12:00:00+00:00",
        duplicate_of="both",
    )
    index = StoryIndex()
    decisions = [index.assign(a) for a in [*articles[:3], copy, *articles[3:]]]
    strike, fire = decisions[0].story, decisions[4].story
    assert strike != fire
    # early, the mixed report joined the strike's story, and its copy followed it
    assert decisions[2].story == strike and decisions[3].story == strike
    last = decisions[-1]
    assert last.story == strike
    assert [(m.articles, m.source, m.target) for m in last.moves] == [
        (("both", "both-copy"), strike, fire)
    ]
    move = last.moves[0]
    assert move.score > move.left and move.score >= index.config.threshold
    assert index.story_of("both") == fire and index.story_of("both-copy") == fire
    assert index.members(strike) == ["strike-1", "strike-2", "strike-3"]
    assert index.members(fire) == ["fire-1", "fire-2", "both", "both-copy"]
    assert final_labels(decisions)["both"] == fire
    # the moved state survives a round trip: the next arrival is decided alike
    again = StoryIndex.from_dict(json.loads(json.dumps(index.to_dict())))
    late = Article(id="fire-3", input="fire-3", text=" ".join(FIRE[2:5]))
    assert again.assign(late) == index.assign(late)


def test_a_story_past_refine_max_does_not_check_its_members() -> None:
    index = StoryIndex(StreamConfig(refine_max=2))
    decisions = [index.assign(a) for a in port_articles()]
    assert all(d.moves == () for d in decisions)
    assert index.story_of("both") == decisions[0].story


def test_a_member_does_not_move_to_a_story_of_one_original() -> None:
    """With the fire's second report left out, the fire's story is one article: the mixed
    report, nearer it than the strike's story, stays (a lone article comes to a grown
    story by the merge rule). Moving it there took a follow-up out of the example
    corpus's flood story in a two-run analysis."""
    index = StoryIndex()
    decisions = [index.assign(a) for a in port_articles() if a.id != "fire-2"]
    assert all(d.moves == () for d in decisions)
    assert index.story_of("both") == index.story_of("strike-1") != index.story_of("fire-1")
