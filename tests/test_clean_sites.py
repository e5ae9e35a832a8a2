"""The site-boilerplate model carried between micro-batches (`SiteLines`): batch
equivalence where it must hold, furniture learned in one batch removed in a later one,
copies across batches, the state as JSON, and the caps on its memory."""

from __future__ import annotations

import importlib.util
import json
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from shared_data import require

from crosswire.clean import SiteLimits, SiteLines, clean_documents, learn_sites
from crosswire.clean.boilerplate import MAX_BOILERPLATE_CHARS, MIN_ARTICLES
from crosswire.ingest import read_inputs
from crosswire.model import Article, RawDoc

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
PACIFIC = CORPUS / "feeds" / "pacific-digest.jsonl"
NORTHGATE = CORPUS / "northgate-post"
PROMO = "Stay informed: follow Pacific Digest on your favourite news app for the latest updates."


def _texts(articles: Sequence[Article]) -> dict[str, tuple[str, str]]:
    return {a.input: (a.id, a.text) for a in articles}


def _slices(docs: Sequence[RawDoc], n: int) -> list[list[RawDoc]]:
    size = -(-len(docs) // n)
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


def _round_trip(model: SiteLines) -> SiteLines:
    """The model as the store gives it back: through JSON text."""
    return SiteLines.from_dict(json.loads(json.dumps(model.to_dict())))


def _in_batches(
    batches: Sequence[Sequence[RawDoc]], model: SiteLines | None = None
) -> tuple[list[Article], SiteLines]:
    """Clean batch after batch, the model saved and loaded again between two."""
    model = model or SiteLines()
    articles: list[Article] = []
    for batch in batches:
        model = _round_trip(model)
        cleaned, _ = clean_documents(batch, model)
        articles.extend(cleaned)
    return articles, model


@pytest.fixture(scope="module")
def corpus() -> list[RawDoc]:
    require(CORPUS)
    docs, _ = read_inputs([CORPUS])
    return docs


@pytest.fixture(scope="module")
def bench_docs(tmp_path_factory: pytest.TempPathFactory) -> list[RawDoc]:
    """800 pages as `bench/throughput.py` writes them from real news sentences: 40
    outlets, half the pages republished copies with the outlet's three promo lines."""
    spec = importlib.util.spec_from_file_location("throughput", REPO / "bench" / "throughput.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    require(bench.DATA)
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    folder.mkdir()
    bench.generate(folder, 800, seed=13)
    docs, _ = read_inputs([folder])
    return docs


@pytest.fixture(params=["corpus", "bench_docs"])
def real(request: pytest.FixtureRequest) -> list[RawDoc]:
    docs: list[RawDoc] = request.getfixturevalue(request.param)
    return docs


def _shuffled(docs: Sequence[RawDoc], seed: int = 7) -> list[RawDoc]:
    order = list(docs)
    random.Random(seed).shuffle(order)
    return order


# --- batch equivalence ----------------------------------------------------------------


def test_an_empty_model_cleans_the_example_corpus_as_without_one(corpus: list[RawDoc]) -> None:
    without, errors = clean_documents(corpus)
    model = SiteLines()
    with_model, model_errors = clean_documents(corpus, model)
    assert _texts(with_model) == _texts(without)
    assert model_errors == errors
    # and the model learned what the batch learned: the promo lines are its furniture
    assert model.seen_on("outlet:pacific digest", PROMO) == MIN_ARTICLES


def test_an_empty_model_never_removes_a_line_the_batch_learner_keeps(
    real: list[RawDoc],
) -> None:
    # The one difference allowed: pages with identical content lines count as one
    # article, so the model may keep a line the batch learner removes, never the reverse.
    without = _texts(clean_documents(real)[0])
    with_model = _texts(clean_documents(real, SiteLines())[0])
    assert with_model.keys() == without.keys()
    for name, (_, text) in without.items():
        assert set(text.split("\n")) <= set(with_model[name][1].split("\n")), name
    same = sum(with_model[name] == without[name] for name in without)
    assert same >= 0.99 * len(without)


def test_a_primed_model_cleans_shuffled_micro_batches_as_one_batch(real: list[RawDoc]) -> None:
    # `learn_sites` over the whole input first: every micro-batch then sees what one
    # batch sees, and pages it already counted count as the articles they were
    one_batch = _texts(clean_documents(real, SiteLines())[0])
    primed = SiteLines()
    learn_sites(real, primed)
    state = primed.to_dict()
    articles, model = _in_batches(_slices(_shuffled(real), 10), primed)
    assert _texts(articles) == one_batch
    # feeding the same pages again added nothing to count
    assert model.to_dict()["sites"].keys() == state["sites"].keys()
    for site, columns in model.to_dict()["sites"].items():
        assert sorted(columns["furniture"]) == sorted(state["sites"][site]["furniture"])


def test_micro_batches_only_keep_furniture_a_site_had_not_shown_three_times(
    real: list[RawDoc],
) -> None:
    # Unprimed, a line becomes furniture on its third article: pages before that keep
    # it. That is the only difference from one batch, and it is small.
    one_batch = _texts(clean_documents(real, SiteLines())[0])
    articles, _ = _in_batches(_slices(_shuffled(real), 10))
    micro = _texts(articles)
    assert micro.keys() == one_batch.keys()
    differing = [name for name in one_batch if micro[name] != one_batch[name]]
    for name in differing:
        assert set(one_batch[name][1].split("\n")) < set(micro[name][1].split("\n")), name
    assert len(differing) <= 0.1 * len(one_batch)
    # without the model, the same slicing loses far more
    alone = _texts([a for batch in _slices(_shuffled(real), 10) for a in clean_documents(batch)[0]])
    assert sum(alone[n] != one_batch[n] for n in one_batch) > len(differing)


def test_cleaning_the_same_batch_again_changes_nothing(corpus: list[RawDoc]) -> None:
    model = SiteLines()
    first, _ = clean_documents(corpus, model)
    state = model.to_dict()
    again, _ = clean_documents(corpus, model)
    assert _texts(again) == _texts(first)
    assert model.to_dict() == state


# --- what the carried model adds ----------------------------------------------------


def _pacific() -> dict[str, RawDoc]:
    """Pacific Digest's records by id: each ends with the outlet's promo paragraph."""
    require(PACIFIC)
    docs, _ = read_inputs([PACIFIC])
    assert all(PROMO in (doc.text or "") for doc in docs)
    return {doc.input.rsplit("#", 1)[1]: doc for doc in docs}


def test_carried_model_removes_a_promo_line_a_one_page_batch_cannot_learn() -> None:
    docs = _pacific()
    model = SiteLines()
    clean_documents([docs["pd-88412"], docs["pd-88590"], docs["pd-89120"]], model)
    model = _round_trip(model)
    late = docs["pd-89377"]
    [alone], _ = clean_documents([late])
    assert PROMO in alone.text
    [carried], _ = clean_documents([late], model)
    assert PROMO not in carried.text
    assert PROMO in carried.removed
    assert carried.text == "\n".join(line for line in alone.text.split("\n") if line != PROMO)


def test_a_line_becomes_furniture_on_its_third_article_across_batches() -> None:
    # one page per batch: the first two keep the promo (nothing could yet tell it from
    # their own text), the third loses it
    docs = _pacific()
    model = SiteLines()
    kept: list[bool] = []
    counted: list[int] = []
    for name in ["pd-88412", "pd-88590", "pd-89120", "pd-89377"]:
        model = _round_trip(model)
        [article], _ = clean_documents([docs[name]], model)
        kept.append(PROMO in article.text)
        counted.append(model.seen_on("outlet:pacific digest", PROMO))
    assert kept == [True, True, False, False]
    assert counted == [1, 2, MIN_ARTICLES, MIN_ARTICLES]


def _northgate(name: str) -> str:
    path = NORTHGATE / name
    require(path)
    return path.read_text(encoding="utf-8")


PORTO = "2026-03-03-portugal-floods-porto.txt"
RAIL = (
    "Rail services on the Douro line between Porto and Regua were suspended after a "
    "landslide near Valongo, the national rail infrastructure manager said."
)


def _page(name: str, text: str) -> RawDoc:
    return RawDoc(kind="text", input=f"northgate-post/{name}", text=text, group="northgate-post")


def test_copies_in_different_batches_do_not_make_a_paragraph_furniture() -> None:
    # The Porto story saved three times, one save per batch: as written, trimmed of its
    # last paragraph, and revised. Its paragraphs are short enough to be furniture, so
    # counting the saves as three articles would strip them from the third.
    original = _northgate(PORTO)
    assert RAIL in original and len(RAIL) <= MAX_BOILERPLATE_CHARS
    lines = original.split("\n")
    last = next(i for i, line in enumerate(lines) if line.startswith("Porto's airport"))
    trimmed = "\n".join(lines[:last] + lines[last + 1 :])
    revised = original.replace("At least four people have died", "At least five people have died")
    saves = [original, trimmed, revised]
    articles, model = _in_batches([[_page(f"save-{i}.txt", t)] for i, t in enumerate(saves)])
    assert all(RAIL in article.text for article in articles)
    assert articles[2].text == articles[0].text.replace("four people", "five people")
    assert model.seen_on("group:northgate-post", RAIL) == 1


def test_the_same_paragraph_on_three_different_articles_is_furniture() -> None:
    # The control for the test above: the count that copies must not advance does
    # advance for distinct articles, one per batch.
    names = [
        PORTO,
        "2026-03-11-kochi-ferry-capsizes.txt",
        "2026-03-13-mo-i-rana-battery-housing.txt",
    ]
    pages = [_page(name, f"{_northgate(name)}\n{RAIL}") for name in names]
    articles, model = _in_batches([[page] for page in pages])
    assert RAIL in articles[0].text and RAIL in articles[1].text
    assert RAIL not in articles[2].text
    assert model.seen_on("group:northgate-post", RAIL) == MIN_ARTICLES


# --- state ---------------------------------------------------------------------------


def test_state_round_trips_through_json_and_decides_alike(corpus: list[RawDoc]) -> None:
    first, rest = _slices(_shuffled(corpus), 2)
    model = SiteLines()
    clean_documents(first, model)
    data = model.to_dict()
    text = json.dumps(data)
    assert json.loads(text) == data
    loaded = SiteLines.from_dict(json.loads(text))
    assert loaded.to_dict() == data
    kept, _ = clean_documents(rest, model)
    reloaded, _ = clean_documents(rest, loaded)
    assert _texts(reloaded) == _texts(kept)
    assert loaded.to_dict() == model.to_dict()
    # compact: no line text is stored, only hashes
    assert PROMO.casefold() not in text.casefold()
    assert len(text) < 400 * len(first)


def test_state_of_another_version_is_refused() -> None:
    data = SiteLines().to_dict()
    data["version"] = 0
    with pytest.raises(ValueError, match="version"):
        SiteLines.from_dict(data)


def test_memory_is_capped_and_the_cap_keeps_what_is_nearest_to_being_learned(
    corpus: list[RawDoc],
) -> None:
    # every page of the corpus as one site, one page per batch, under small caps
    pages = [
        RawDoc(kind="text", input=doc.input, text=doc.text, group="one-site")
        for doc in corpus
        if doc.text
    ]
    assert len(pages) >= 30
    limits = SiteLimits(max_lines=60, max_furniture=4, max_articles=5, max_entries=10_000)
    twice = "Tip us off: write to the newsdesk any time, day or night."
    once = "The newsdesk is closed on public holidays."
    pages[0].text = f"{pages[0].text}\n{twice}\n{once}"
    pages[1].text = f"{pages[1].text}\n{twice}"
    model = SiteLines(limits)
    for index, page in enumerate(pages):
        model = _round_trip(model)
        clean_documents([page], model)
        if index == 1:  # two different articles
            assert model.seen_on("group:one-site", twice) == 2
        counts = model.counts("group:one-site")
        assert counts["lines"] <= limits.max_lines
        assert counts["furniture"] <= limits.max_furniture
        assert counts["articles"] <= limits.max_articles
    # the old singleton was dropped, the line seen on two articles kept: a third
    # article still makes it furniture, as one batch would have
    assert model.seen_on("group:one-site", once) == 0
    assert model.seen_on("group:one-site", twice) == 2
    late = RawDoc(
        kind="text",
        input="late.txt",
        text=f"{_northgate(PORTO)}\n{twice}",
        group="one-site",
    )
    [article], _ = clean_documents([late], model)
    assert twice not in article.text


def test_the_least_recently_seen_sites_are_forgotten_past_the_budget(
    corpus: list[RawDoc],
) -> None:
    docs = [doc for doc in corpus if doc.text][:12]
    limits = SiteLimits(max_entries=60)
    model = SiteLines(limits)
    for index, doc in enumerate(docs):
        page = RawDoc(kind="text", input=doc.input, text=doc.text, group=f"site-{index}")
        clean_documents([page], model)
        entries = sum(sum(model.counts(f"group:site-{i}").values()) for i in range(index + 1))
        assert entries <= limits.max_entries or model.sites == 1
    assert model.sites < len(docs)
    assert sum(model.counts(f"group:site-{len(docs) - 1}").values()) > 0
    assert sum(model.counts("group:site-0").values()) == 0
