"""Stage 1: every supported format is read; every broken input is reported, none stops the run."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import signal
import tempfile
from pathlib import Path

import pytest

from crosswire.clean import clean_documents
from crosswire.ingest import read_inputs
from crosswire.model import InputError

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
        "feed.jsonl:4",
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


# --- hostile and odd inputs: each is reported, none stops the run ------------------------

OTHER = (
    "PORTO, Portugal -- Floodwaters forced more than 10,000 people from their homes in the "
    "north of the country on Tuesday, the civil protection service said."
)


def by_name(errors: list[InputError]) -> dict[str, str]:
    return {Path(e.input).name: e.error for e in errors}


def test_json_nested_100000_deep_is_an_error_naming_the_depth(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text(
        json.dumps({"id": "ok", "text": ARTICLE}) + "\n" + '{"a":' * 100_000 + "1" + "}" * 100_000,
        encoding="utf-8",
    )
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert [Path(d.input).name for d in docs] == ["deep.jsonl#ok", "good.txt"]
    reasons = by_name(errors)
    assert "nested 100,000 levels deep" in reasons["deep.json"]
    assert "nested 100,000 levels deep" in reasons["deep.jsonl:2"]


def test_a_number_too_long_for_python_loses_only_that_field(tmp_path: Path) -> None:
    digits = "9" * 5_000
    (tmp_path / "views.json").write_text(
        f'{{"id": "v", "text": {json.dumps(ARTICLE)}, "views": {digits}}}', encoding="utf-8"
    )
    (tmp_path / "id.jsonl").write_text(
        f'{{"id": {digits}, "text": {json.dumps(OTHER)}}}\n', encoding="utf-8"
    )
    docs, errors = read_inputs([tmp_path])
    assert sorted(Path(d.input).name for d in docs) == ["id.jsonl:1", "views.json#v"]
    assert [(Path(e.input).name, e.error) for e in errors] == [
        ("id.jsonl:1", "field 'id' is a number of 5,000 digits, too long for an id; left out")
    ]


def test_a_file_name_that_is_not_utf8_is_read_and_shown_with_escapes(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"\xff\xfe.txt")
    try:
        with open(raw, "wb") as fh:
            fh.write(ARTICLE.encode())
    except OSError as exc:  # filesystems that insist on UTF-8 names (macOS)
        pytest.skip(f"cannot create a non-UTF-8 file name here: {exc}")
    docs, errors = read_inputs([tmp_path])
    assert errors == []
    assert docs[0].input == str(tmp_path / "\\xff\\xfe.txt")
    assert docs[0].text == ARTICLE
    docs.clear()
    # named directly, as a shell passes it
    docs, errors = read_inputs([Path(os.fsdecode(raw))])
    assert errors == [] and docs[0].input.endswith("\\xff\\xfe.txt")


def test_paths_holding_console_markup_keep_their_real_text(tmp_path: Path) -> None:
    folder = tmp_path / "[red]a["  # with the file below, the path reads "[red]a[/]b.txt"
    folder.mkdir()
    (folder / "]b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "[bold]broken.json").write_text("{", encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert [d.input for d in docs] == [str(folder / "]b.txt")]
    assert "[red]a[/]b.txt" in docs[0].input
    assert [e.input for e in errors] == [str(folder / "[bold]broken.json")]


@pytest.mark.parametrize(
    ("published", "described"),
    [
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("1709280000", "a number"),
        ('["2025-02-27"]', "a list"),
        ('{"date": "2025-02-27"}', "an object"),
        ("true", "JSON true"),
    ],
)
def test_a_published_field_that_is_not_text_is_left_out_and_the_record_kept(
    tmp_path: Path, published: str, described: str
) -> None:
    record = f'{{"id": "r", "text": {json.dumps(ARTICLE)}, "published": {published}}}'
    (tmp_path / "feed.jsonl").write_text(record + "\n", encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert len(docs) == 1 and docs[0].text == ARTICLE and docs[0].published is None
    assert [e.error for e in errors] == [f"field 'published' is {described}, not text; left out"]


def test_other_fields_of_the_wrong_type_are_left_out_and_the_record_kept(tmp_path: Path) -> None:
    record = {"id": 7, "text": ARTICLE, "title": ["Quay", "opens"], "url": 42, "outlet": "Ledger"}
    (tmp_path / "one.json").write_text(json.dumps(record), encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert len(docs) == 1
    doc = docs[0]
    assert (doc.record_id, doc.title, doc.url, doc.outlet) == ("7", None, None, "Ledger")
    assert sorted(e.error for e in errors) == [
        "field 'title' is a list, not text; left out",
        "field 'url' is a number, not text; left out",
    ]
    assert all(e.input.endswith("one.json#7") for e in errors)


def test_one_stray_byte_in_utf8_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    head = "Café owners in São Paulo said “no” to the plan — twice. ".encode()
    (tmp_path / "stray.txt").write_bytes(head + b"\xff" + ARTICLE.encode())
    docs, errors = read_inputs([tmp_path])
    assert len(docs) == 1
    text = docs[0].text or ""
    assert text.startswith("Café owners in São Paulo said “no”")  # not "CafÃ©"
    assert text.count("\ufffd") == 1 and text.endswith(ARTICLE)
    assert [e.error for e in errors] == [
        f"not valid UTF-8 at byte {len(head):,}; read with replacement characters"
    ]


def test_a_stray_byte_warning_does_not_stop_the_article_from_being_analyzed(
    tmp_path: Path,
) -> None:
    (tmp_path / "stray.txt").write_bytes("Café “owners” said: ".encode() + b"\x81" + OTHER.encode())
    docs, errors = read_inputs([tmp_path])
    articles, clean_errors = clean_documents(docs)
    assert len(errors) == 1 and clean_errors == []
    assert articles[0].input == errors[0].input
    assert "Floodwaters forced" in articles[0].text


CYRILLIC = "Правительство заявило во вторник, что новый порт откроется в мае."


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1251">',
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>",
    ],
)
def test_the_charset_a_page_declares_is_honoured(tmp_path: Path, head: str) -> None:
    page = f"<html><head>{head}<title>Порт</title></head><body><p>{CYRILLIC}</p></body></html>"
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and docs[0].html is not None and CYRILLIC in docs[0].html


def test_the_encoding_an_xml_declaration_names_is_honoured(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="windows-1251"?>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{CYRILLIC}</p></body></html>'
    )
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and docs[0].html is not None and CYRILLIC in docs[0].html


def test_a_page_resaved_as_utf8_with_its_old_charset_declaration_reads_as_utf8(
    tmp_path: Path,
) -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{CYRILLIC}</p></body></html>'
    (tmp_path / "ru.html").write_bytes(page.encode("utf-8"))
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and docs[0].html is not None and CYRILLIC in docs[0].html


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    (tmp_path / "a.txt").write_bytes(bom + ARTICLE.encode(codec))
    record = json.dumps({"id": "u", "text": OTHER}, ensure_ascii=False)
    (tmp_path / "b.jsonl").write_bytes(bom + record.encode(codec))
    docs, errors = read_inputs([tmp_path])
    assert errors == []
    assert [d.text for d in docs] == [ARTICLE, OTHER]


def test_gzip_inside_gzip_is_read_and_deeper_nesting_is_reported(tmp_path: Path) -> None:
    (tmp_path / "twice.txt.gz").write_bytes(gzip.compress(gzip.compress(ARTICLE.encode())))
    thrice = gzip.compress(gzip.compress(gzip.compress(OTHER.encode())))
    (tmp_path / "thrice.txt.gz").write_bytes(thrice)
    docs, errors = read_inputs([tmp_path])
    assert [d.text for d in docs] == [ARTICLE]
    assert "gzip inside gzip" in by_name(errors)["thrice.txt.gz"]


def test_an_empty_json_list_is_reported_as_no_records(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n  \n\n", encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert docs == []
    assert all("no records" in reason for reason in by_name(errors).values())
    assert set(by_name(errors)) == {"empty.json", "blank.jsonl"}


class _Hung(Exception):
    pass


def _fail_after(seconds: int) -> None:
    def alarm(signum: int, frame: object) -> None:
        raise _Hung(f"reading did not finish within {seconds} s")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and symlinks")
def test_links_loops_and_fifos_in_a_folder_are_reported_and_never_hang(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink("loop-b.txt", tmp_path / "loop-a.txt")
    os.symlink("loop-a.txt", tmp_path / "loop-b.txt")
    os.symlink("nowhere.txt", tmp_path / "dangling.txt")
    (tmp_path / "inner").mkdir()
    os.symlink("..", tmp_path / "inner" / "up")  # a folder link back above itself
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    _fail_after(20)
    try:
        docs, errors = read_inputs([tmp_path])
        named_docs, named_errors = read_inputs([tmp_path / "pipe.txt", tmp_path / "dangling.txt"])
    finally:
        signal.alarm(0)
    assert [Path(d.input).name for d in docs] == ["good.txt"]
    reasons = {str(Path(e.input).relative_to(tmp_path)): e.error for e in errors}
    assert set(reasons) == {"dangling.txt", "inner/up", "loop-a.txt", "loop-b.txt", "pipe.txt"}
    assert "broken symbolic link" in reasons["dangling.txt"]
    assert "nowhere.txt" in reasons["dangling.txt"]
    assert "loop" in reasons["loop-a.txt"] and "loop" in reasons["inner/up"]
    assert "FIFO" in reasons["pipe.txt"]
    assert named_docs == [] and ["FIFO" in e.error for e in named_errors] == [True, False]
    assert "broken symbolic link" in named_errors[1].error


def test_a_linked_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "corpus" / "linked")
    docs, errors = read_inputs([tmp_path / "corpus"])
    assert errors == [] and [d.text for d in docs] == [ARTICLE]


def _read_as_nobody(folder: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """`read_inputs` in a child process that has dropped root's right to read anything."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(rfd)
        try:
            os.setgid(65534)
            os.setuid(65534)
            docs, errors = read_inputs([folder])
            out = {"docs": [d.input for d in docs], "errors": [[e.input, e.error] for e in errors]}
        except BaseException as exc:
            out = {"failed": repr(exc)}
        os.write(wfd, json.dumps(out).encode())
        os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as pipe:
        result = json.loads(pipe.read())
    os.waitpid(pid, 0)
    if "failed" in result:
        pytest.skip(f"cannot drop root's privileges to test permissions: {result['failed']}")
    return result["docs"], [(name, error) for name, error in result["errors"]]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX permissions")
def test_unreadable_files_and_folders_are_reported_and_the_rest_is_read() -> None:
    # Not under tmp_path: as root, pytest's folders are closed to the unprivileged child.
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o755)
        (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
        (folder / "locked.txt").write_text(OTHER, encoding="utf-8")
        (folder / "locked-folder").mkdir()
        (folder / "locked-folder" / "inside.txt").write_text(OTHER, encoding="utf-8")
        (folder / "locked.txt").chmod(0)
        (folder / "locked-folder").chmod(0)
        try:
            if os.geteuid() == 0:
                docs, errors = _read_as_nobody(folder)
            else:
                read, failed = read_inputs([folder])
                docs, errors = [d.input for d in read], [(e.input, e.error) for e in failed]
        finally:
            (folder / "locked-folder").chmod(0o755)
        assert [Path(d).name for d in docs] == ["good.txt"]
        assert {Path(n).name: e for n, e in errors} == {
            "locked-folder": "cannot open folder: permission denied",
            "locked.txt": "cannot read file: permission denied",
        }


def _records(n: int, words: int = 12) -> list[str]:
    """JSONL lines of distinct text (compressible about as much as real news, not more)."""
    rng = random.Random(n)
    vocabulary = [f"{w}{i}" for i, w in enumerate(ARTICLE.split())]
    return [
        json.dumps({"id": f"r{i}", "text": " ".join(rng.choices(vocabulary, k=words))})
        for i in range(n)
    ]


@pytest.mark.parametrize("name", ["feed.jsonl", "feed.jsonl.gz"])
def test_jsonl_over_the_size_limit_is_read_record_by_record(tmp_path: Path, name: str) -> None:
    lines = _records(200)
    lines[3] = json.dumps({"id": "huge", "text": "word " * 1_000})
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > 20_000
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    docs, errors = read_inputs([tmp_path], max_bytes=2_000)
    assert [d.record_id for d in docs] == [f"r{i}" for i in range(200) if i != 3]
    assert [(Path(e.input).name, e.error) for e in errors] == [
        (f"{name}:4", f"record is {len(lines[3]):,} bytes, over the 2,000-byte limit; skipped")
    ]


def test_a_decompression_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 30_000_000))
    first = json.dumps({"id": "first", "text": ARTICLE}).encode() + b"\n"
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(first + b" " * 30_000_000))
    docs, errors = read_inputs([tmp_path], max_bytes=1_000_000)
    assert [d.record_id for d in docs] == ["first"]
    reasons = by_name(errors)
    assert reasons["bomb.txt.gz"] == "decompresses to over the 1,000,000-byte limit"
    assert "decompression bomb" in reasons["bomb.jsonl.gz"]


def test_a_stray_nul_does_not_make_an_article_binary(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_text(ARTICLE + "\x00\n" + OTHER, encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and len(docs) == 1
    articles, _ = clean_documents(docs)
    assert "\x00" not in articles[0].text and OTHER in articles[0].text


def test_a_gz_name_on_data_that_is_not_gzip_is_reported(tmp_path: Path) -> None:
    (tmp_path / "plain.txt.gz").write_text(ARTICLE, encoding="utf-8")
    docs, errors = read_inputs([tmp_path])
    assert docs == [] and "not gzip" in errors[0].error


def test_a_truncated_jsonl_gz_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    data = gzip.compress(("\n".join(_records(2_000)) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    docs, errors = read_inputs([tmp_path])
    assert 100 < len(docs) < 2_000
    assert [d.record_id for d in docs] == [f"r{i}" for i in range(len(docs))]
    assert len(errors) == 1 and "truncated gzip data" in errors[0].error
    assert "the lines before it were read" in errors[0].error


def test_a_line_separator_inside_a_jsonl_string_does_not_split_the_record(
    tmp_path: Path,
) -> None:
    record = json.dumps({"id": "ls", "text": f"{ARTICLE}\u2028{OTHER}"}, ensure_ascii=False)
    (tmp_path / "a.jsonl").write_text(record + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(record + "\n", encoding="utf-16")
    docs, errors = read_inputs([tmp_path])
    assert errors == [] and [d.record_id for d in docs] == ["ls", "ls"]
