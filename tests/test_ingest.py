"""Stage 1: every supported format is read; every broken input is reported, none stops the run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crosswire.ingest import read_inputs

ARTICLE = (
    "LISBON, Portugal -- The harbour authority said on Tuesday that the new quay would open "
    "in May, after two years of works.\nThe project cost 40 million euros, officials said.\n"
    "Fishing crews, who lost their moorings during the works, will get the first berths, "
    "the authority's chairman told a news conference at the port."
)


def write_good(folder: Path) -> None:
    """Six readable articles in every format: one wire text as six sites ran it."""

    def body(site: str) -> str:
        return f"{ARTICLE}\nThis copy ran on {site}."

    (folder / "a.txt").write_text(body("a"), encoding="utf-8")
    (folder / "b.html").write_text(
        f"<html><head><title>Quay</title></head><body><p>{body('b')}</p></body></html>",
        encoding="utf-8",
    )
    with gzip.open(folder / "c.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(f"<html><body><article><p>{body('c')}</p></article></body></html>")
    records = [
        {"id": "r1", "text": body("r1"), "outlet": "Harbor Ledger", "url": "https://hl.example/1"},
        {"id": "r2", "html": f"<p>{body('r2')}</p>", "published": "2026-03-02T10:00:00+01:00"},
    ]
    (folder / "d.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (folder / "e.json").write_text(json.dumps({"id": "j1", "text": body("e")}), encoding="utf-8")


def write_broken(folder: Path) -> dict[str, str]:
    """One file of each broken kind; returns the expected substring of each reason."""
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)  # not UTF-8, not cp1252
    full = gzip.compress(f"<html><body><p>{ARTICLE}</p></body></html>".encode())
    (folder / "truncated.html.gz").write_bytes(full[: len(full) // 2])
    (folder / "malformed.json").write_text('{"text": "unterminated', encoding="utf-8")
    (folder / "big.txt").write_text("word " * 50_000, encoding="utf-8")
    return {
        "binary.txt": "binary",
        "image.html": "PNG",
        "empty.txt": "empty",
        "latin.txt": "decode",
        "truncated.html.gz": "gzip",
        "malformed.json": "malformed JSON",
        "big.txt": "limit",
    }


def test_good_inputs_of_every_format_are_read(tmp_path: Path) -> None:
    write_good(tmp_path)
    docs, errors = read_inputs([tmp_path])
    assert errors == []
    names = sorted(d.input.split("/")[-1] for d in docs)
    assert names == ["a.txt", "b.html", "c.html.gz", "d.jsonl#r1", "d.jsonl#r2", "e.json#j1"]
    r1 = next(d for d in docs if d.input.endswith("#r1"))
    assert (r1.kind, r1.outlet, r1.url) == ("record", "Harbor Ledger", "https://hl.example/1")
    r2 = next(d for d in docs if d.input.endswith("#r2"))
    assert r2.html is not None and r2.published == "2026-03-02T10:00:00+01:00"
    gz = next(d for d in docs if d.input.endswith("c.html.gz"))
    assert gz.kind == "html" and gz.html is not None and "harbour authority" in gz.html


def test_each_broken_kind_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    write_good(tmp_path)
    expected = write_broken(tmp_path)
    docs, errors = read_inputs([tmp_path], max_bytes=100_000)
    assert len(docs) == 6
    reasons = {Path(e.input).name: e.error for e in errors}
    assert set(reasons) == set(expected)
    for name, needle in expected.items():
        assert needle.lower() in reasons[name].lower(), (name, reasons[name])


def test_one_bad_jsonl_line_loses_only_that_record(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": ARTICLE}),
        "{not json",
        json.dumps({"id": "notext", "title": "no body"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok2", "text": ARTICLE}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert [d.record_id for d in docs] == ["ok1", "ok2"]
    assert [e.input.rsplit("/", 1)[-1] for e in errors] == [
        "feed.jsonl:2",
        "feed.jsonl#notext",
        "feed.jsonl:line 4",
    ]
    assert "text" in errors[1].error and "object" in errors[2].error


def test_folders_are_walked_recursively_in_sorted_order_skipping_other_files(
    tmp_path: Path,
) -> None:
    (tmp_path / "z").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "z" / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "deep" / "2.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert errors == []
    assert [Path(d.input).name for d in docs] == ["2.txt", "1.txt"]
    assert docs[0].group is not None and docs[0].group.endswith("a/deep")


@pytest.mark.parametrize("name", ["missing.txt", "notes.docx"])
def test_a_named_file_that_cannot_be_used_is_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".docx"):
        path.write_text("x", encoding="utf-8")
    docs, errors = read_inputs([path])
    assert docs == [] and len(errors) == 1 and errors[0].input == str(path)


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes("Caf\xe9 owners said \x93no\x94.".encode("latin-1"))
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and docs[0].text == "Café owners said “no”."
