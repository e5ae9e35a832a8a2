"""Crawl archives as input: real article pages written into WARCs the way a crawler does.

The pages are the article-extraction benchmark's (91 real pages with their URLs and
gold article bodies); around them go what a crawl also holds: warcinfo, requests,
metadata, an image, a JSON API response, a redirect, a 404 page and a revisit.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from shared_data import require
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.clean import clean_documents
from crosswire.eval.extraction import recall_score, shingle_matching
from crosswire.ingest import DEFAULT_MAX_BYTES, discover, read_inputs
from crosswire.ingest.reader import decode, kind_of
from crosswire.ingest.warc import WarcDoc, read_warc_path
from crosswire.model import InputError, RawDoc

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction"
CROSSWIRE = Path(sys.executable).with_name("crosswire")
FETCHED = "2024-05-01T12:00:00Z"
# a PNG's signature and header: what a crawl of an article page fetches next to it
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + bytes(64)


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    raw: bytes
    gold: str


def _need_pages() -> None:
    require(DATA / "ground-truth.json", "the article-extraction benchmark")


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    _need_pages()
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(page_id, gold["url"], gzip.decompress(path.read_bytes()), gold["articleBody"])
        for page_id, gold in sorted(truth.items())
        for path in [DATA / "html" / f"{page_id}.html.gz"]
    ]


# --- writing archives --------------------------------------------------------------


BUILD = RecordBuilder()


def _http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def response(
    url: str,
    body: bytes,
    content_type: str | None = "text/html; charset=utf-8",
    status: str = "200 OK",
    extra: tuple[tuple[str, str], ...] = (),
) -> Any:
    headers = [("Content-Type", content_type)] if content_type else []
    headers += [*extra, ("Content-Length", str(len(body)))]
    return BUILD.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),  # with a length, the digest is computed here, not again on write
        http_headers=_http(status, headers),
        warc_headers_dict={"WARC-Date": FETCHED},
    )


def request(url: str) -> Any:
    parts = urlsplit(url)
    http = StatusAndHeaders(
        f"GET {parts.path or '/'} HTTP/1.1",
        [("Host", parts.netloc), ("User-Agent", "crosswire-test/1.0")],
        is_http_request=True,
    )
    empty = io.BytesIO(b"")
    return BUILD.create_warc_record(url, "request", payload=empty, http_headers=http)


def crawl(pages: list[Page]) -> list[tuple[str, Any]]:
    """A crawl's records in order, each with what it is: "page 0", "request 0", ..."""
    out: list[tuple[str, Any]] = [
        ("warcinfo", BUILD.create_warcinfo_record("crawl.warc", {"software": "crosswire-test"}))
    ]
    for i, page in enumerate(pages):
        out += [(f"request {i}", request(page.url)), (f"page {i}", response(page.url, page.raw))]
        if i == 0:
            out += _page_assets(page)
    return out


def _page_assets(page: Page) -> list[tuple[str, Any]]:
    """What a crawler saves next to an article page, none of it an article."""
    site = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    not_found = b"<html><body><p>Sorry, this page does not exist.</p></body></html>"
    outlinks = io.BytesIO(b"outlink: " + site.encode() + b"/logo.png E =EMBED_MISC\r\n")
    revisit_http = _http("200 OK", [("Content-Type", "text/html")])
    return [
        ("image", response(f"{site}/logo.png", PNG, "image/png")),
        ("json", response(f"{site}/api/comments?id=1", b'{"comments": []}', "application/json")),
        (
            "redirect",
            response(f"{site}/old", b"", None, "301 Moved Permanently", (("Location", page.url),)),
        ),
        ("404", response(f"{site}/gone", not_found, status="404 Not Found")),
        (
            "metadata",
            BUILD.create_warc_record(
                page.url, "metadata", payload=outlinks, warc_content_type="application/warc-fields"
            ),
        ),
        (
            "revisit",
            BUILD.create_revisit_record(
                page.url,
                "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A",
                page.url,
                FETCHED,
                http_headers=revisit_http,
            ),
        ),
    ]


@dataclass(frozen=True)
class Written:
    """Where each record went: its number in the file (1-based) and its bytes."""

    number: dict[str, int]
    start: dict[str, int]
    end: dict[str, int]


def write_warc(path: Path, records: list[tuple[str, Any]], *, compress: bool) -> Written:
    """Write the records with warcio's WARCWriter (one gzip member each when compressed)."""
    number: dict[str, int] = {}
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        for n, (what, record) in enumerate(records, start=1):
            number[what], start[what] = n, fh.tell()
            writer.write_record(record)
            end[what] = fh.tell()
    return Written(number, start, end)


Read = tuple[list[RawDoc], list[InputError], Counter[str]]


def read(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Read:
    """The archive's documents, errors and counts, as `read_warc_path` gives them."""
    counts: Counter[str] = Counter()
    docs: list[RawDoc] = []
    errors: list[InputError] = []
    for item in read_warc_path(path, max_bytes, counts):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            docs.append(item)
    return docs, errors, counts


def recall(gold: str, text: str) -> float:
    return recall_score(*shingle_matching(gold, text))


# --- the tests ---------------------------------------------------------------------


def test_crawl_archives_are_an_input_kind(tmp_path: Path) -> None:
    for name in ("a.warc", "a.warc.gz", "CRAWL-2024.01.WARC.GZ"):
        assert kind_of(Path(name)) == "warc"
    assert kind_of(Path("a.arc.gz")) is None  # the older ARC format is not read
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "crawl.warc.gz").write_bytes(b"")
    files, errors = discover([tmp_path])
    assert errors == []
    assert [(f.path.name, f.kind) for f in files] == [("crawl.warc.gz", "warc")]


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_every_html_response_is_one_document_and_nothing_else_is(
    tmp_path: Path, pages: list[Page], compress: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    written = write_warc(path, crawl(pages), compress=compress)
    docs, errors, counts = read(path)
    assert errors == []
    assert len(docs) == len(pages)
    for i, (doc, page) in enumerate(zip(docs, pages, strict=True)):
        assert isinstance(doc, WarcDoc)
        assert doc.kind == "html"
        assert doc.url == page.url
        assert doc.input == f"{path}#{written.number[f'page {i}']}"
        assert doc.group == urlsplit(page.url).hostname
        assert doc.html == decode(page.raw, "html")[0]
        assert doc.record_id is not None and doc.record_id.startswith("<urn:uuid:")
        assert doc.published is None  # the page's own metadata decides, in clean
        assert doc.fetched == FETCHED
    assert counts["records"] == len(written.number)
    assert counts["pages"] == len(pages)
    assert counts["skipped request"] == len(pages)
    for kind in ("warcinfo", "metadata", "revisit", "redirect", "HTTP error"):
        assert counts[f"skipped {kind}"] == 1, kind
    assert counts["skipped not HTML"] == 2  # the image and the JSON
    # the way `analyze` reads it: discovered by its name, read, no errors
    docs_again, errors_again = read_inputs([path])
    assert errors_again == []
    assert [d.url for d in docs_again] == [p.url for p in pages]


def test_an_archive_gzipped_whole_reads_like_one_gzipped_by_record(
    tmp_path: Path, pages: list[Page]
) -> None:
    # `gzip crawl.warc` makes one member, not one per record (warcio alone refuses it)
    plain = tmp_path / "crawl.warc"
    write_warc(plain, crawl(pages[:5]), compress=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    docs, errors, _ = read(whole)
    assert errors == []
    assert [d.url for d in docs] == [p.url for p in pages[:5]]


def test_cleaned_pages_hold_their_ground_truth(tmp_path: Path, pages: list[Page]) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, crawl(pages), compress=True)
    docs, errors, _ = read(path)
    articles, clean_errors = clean_documents(docs)
    assert errors == [] and clean_errors == []
    by_url = {page.url: page for page in pages}
    assert sorted(a.url or "" for a in articles) == sorted(by_url)
    recalls = [recall(by_url[a.url or ""].gold, a.text) for a in articles]
    # extraction is not perfect (F1 0.976 on these pages), but no page loses its body
    assert min(recalls) > 0.6
    assert statistics.fmean(recalls) > 0.95
    for article in articles:
        published = article.provenance.get("published")
        assert published is None or published.source != "record"  # never the crawl date


_META_CHARSET_RE = re.compile(r"<meta[^>]*charset[^>]*>", re.IGNORECASE)


def test_the_http_charset_decides_for_a_page_that_declares_none(
    tmp_path: Path, pages: list[Page]
) -> None:
    # what a legacy Russian server sends: Windows-1251 bytes, the charset only in the
    # HTTP header (without it, the bytes would pass for Windows-1252)
    page = next(p for p in pages if sum("а" <= c <= "я" for c in p.gold) > 100)
    legacy = _META_CHARSET_RE.sub("", decode(page.raw, "html")[0])
    legacy_bytes = legacy.encode("cp1251", "xmlcharrefreplace")
    assert decode(legacy_bytes, "html")[0] != legacy_bytes.decode("cp1251")
    other, untyped = [p for p in pages if p is not page][:2]
    records = [
        ("legacy", response(page.url, legacy_bytes, "text/html; charset=windows-1251")),
        # a server's default charset announced for a page written in UTF-8
        ("utf-8", response(other.url, other.raw, "text/html; charset=ISO-8859-1")),
        # no Content-Type at all: the payload shows it is a page
        ("untyped", response(untyped.url, untyped.raw, None)),
    ]
    path = tmp_path / "legacy.warc"
    write_warc(path, records, compress=False)
    docs, errors, _ = read(path)
    assert errors == []
    assert [d.html for d in docs] == [
        legacy_bytes.decode("cp1251"),
        decode(other.raw, "html")[0],
        decode(untyped.raw, "html")[0],
    ]
    [article], _ = clean_documents(docs[:1])
    assert recall(page.gold, article.text) > 0.9
    assert page.gold.split()[0] in article.text


def _chunked(body: bytes, size: int = 8192) -> bytes:
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def test_a_gzip_encoded_chunked_response_is_read_whichever_way_its_digest_was_made(
    tmp_path: Path, pages: list[Page]
) -> None:
    # Crawlers keep the HTTP body as sent; they disagree on whether the payload digest
    # covers the chunk framing (warcio #74): both kinds of archive must read
    page = pages[0]
    entity = gzip.compress(page.raw)
    wire = _chunked(entity)
    spec_digest = "sha1:" + base64.b32encode(hashlib.sha1(entity).digest()).decode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
    ]
    records = [
        (
            what,
            BUILD.create_warc_record(
                page.url,
                "response",
                payload=io.BytesIO(wire),
                length=len(wire),
                http_headers=_http("200 OK", list(headers)),
                warc_headers_dict=digest,
            ),
        )
        for what, digest in [
            ("over the wire bytes", {}),
            ("over the entity", {"WARC-Payload-Digest": spec_digest}),
        ]
    ]
    path = tmp_path / "chunked.warc.gz"
    write_warc(path, records, compress=True)
    docs, errors, _ = read(path)
    assert errors == []
    assert [d.html for d in docs] == [decode(page.raw, "html")[0]] * 2


def _flipped(raw: bytes) -> tuple[bytes, bytes]:
    """A run of a page's bytes found once in it, and the same run with its case flipped."""
    at = raw.index(b"<body")
    while (run := raw[at : at + 16]).swapcase() == run or raw.count(run) > 1:
        at += 16
    return run, run.swapcase()


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_a_record_damaged_after_its_digest_is_one_error_and_the_rest_are_read(
    tmp_path: Path, pages: list[Page], compress: bool
) -> None:
    some = pages[:6]
    damaged = some[3]
    run, changed = _flipped(damaged.raw)
    records = crawl(some)
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    if compress:
        # gzip guards its own bytes (a flip there is a gzip error): here the page changes
        # between the crawler's digest and the write, as on a bad disk or in a bad buffer
        [record] = [record for what, record in records if what == "page 3"]
        record.raw_stream = io.BytesIO(damaged.raw.replace(run, changed, 1))
        written = write_warc(path, records, compress=True)
    else:
        written = write_warc(path, records, compress=False)
        data = path.read_bytes()
        assert data.count(run) == 1
        path.write_bytes(data.replace(run, changed))
    docs, errors, _ = read(path)
    [error] = errors
    assert error.input == f"{path}#{written.number['page 3']}"
    assert "does not match its" in error.error and "WARC-Payload-Digest" in error.error
    assert damaged.url in error.error
    assert [d.url for d in docs] == [p.url for p in some if p is not damaged]


@pytest.mark.parametrize(
    ("compress", "where"),
    [(True, "payload"), (False, "payload"), (False, "warc header"), (False, "http header")],
)
def test_a_cut_off_archive_keeps_every_record_before_the_cut(
    tmp_path: Path, pages: list[Page], compress: bool, where: str
) -> None:
    some = pages[:5]
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    written = write_warc(path, crawl(some), compress=compress)
    data = path.read_bytes()
    start, end = written.start["page 3"], written.end["page 3"]
    http = data.find(b"HTTP/1.1 200", start)  # in the plain file only
    cut = {
        "payload": (start + end) // 2,  # for gzip: in the middle of the record's member
        "warc header": start + 40,
        "http header": http,
    }[where]
    path.write_bytes(data[:cut])
    docs, errors, _ = read(path)
    [error] = errors
    number = written.number["page 3"]
    assert error.input == f"{path}#{number}"
    assert f"nothing after it is read, the {number - 1} records before it were read" in error.error
    assert [d.url for d in docs] == [p.url for p in some[:3]]


def test_a_file_that_is_no_warc_is_one_clear_error(tmp_path: Path, pages: list[Page]) -> None:
    cases = {
        "notes.warc": (b"Crawl notes: rerun the seed list.\n", "not a WARC file"),
        "page.warc": (pages[0].raw, "does not start with a WARC/1.x record header"),
        "text.warc.gz": (gzip.compress(b"just some text\n"), "not a WARC file"),
        "logo.warc": (PNG, "not a WARC file but a PNG image"),
        "plain.warc.gz": (b"WARC/1.0\r\n", "not gzip data"),
        "old.warc": (b"filedesc://crawl.arc 0.0.0.0 20240501120000 text/plain 76\n", "ARC file"),
        "empty.warc": (b"", "empty file"),
    }
    for name, (content, reason) in cases.items():
        (tmp_path / name).write_bytes(content)
        docs, errors, _ = read(tmp_path / name)
        assert docs == [], name
        [error] = errors
        assert error.input == str(tmp_path / name), name
        assert reason in error.error, (name, error.error)


def test_the_size_limit_holds_per_page_and_against_a_decompression_bomb(
    tmp_path: Path, pages: list[Page]
) -> None:
    small, large = min(pages, key=lambda p: len(p.raw)), max(pages, key=lambda p: len(p.raw))
    limit = (len(small.raw) + len(large.raw)) // 2
    path = tmp_path / "sizes.warc.gz"
    records = [
        ("small", response(small.url, small.raw)),
        ("large", response(large.url, large.raw)),
        ("small again", response(small.url + "?again", small.raw)),
    ]
    write_warc(path, records, compress=True)
    docs, errors, _ = read(path, max_bytes=limit)
    [error] = errors
    assert error.input == f"{path}#2"
    assert f"over the {limit:,}-byte limit" in error.error
    assert [d.url for d in docs] == [small.url, small.url + "?again"]
    # a header is no place for megabytes: the reader does not hold one past the limit
    noise = base64.b64encode(random.Random(5).randbytes(3 * 1024 * 1024)).decode()
    cookie = ("Set-Cookie", noise)  # random: a bomb of zeros would be stopped as a bomb
    records = [
        ("small", response(small.url, small.raw)),
        ("header", response(large.url, large.raw, extra=(cookie,))),
        ("large", response(large.url, large.raw)),
    ]
    write_warc(path, records, compress=True)
    docs, errors, _ = read(path, max_bytes=1024 * 1024)
    [error] = errors
    assert error.input == f"{path}#2"
    assert "its header runs past the 1,048,576-byte limit" in error.error
    assert [d.url for d in docs] == [small.url]
    # 64 MB of zeros compress a thousand times: reading stops at the bomb, memory bounded
    bomb = bytes(64 * 1024 * 1024)
    records = [
        ("small", response(small.url, small.raw)),
        ("bomb", response("https://cdn.example/x.png", bomb, "image/png")),
        ("large", response(large.url, large.raw)),
    ]
    write_warc(path, records, compress=True)
    docs, errors, _ = read(path, max_bytes=1024 * 1024)
    [error] = errors
    assert error.input == f"{path}#2"
    assert "decompression bomb" in error.error
    assert [d.url for d in docs] == [small.url]


def test_analyze_turns_a_warc_gz_into_a_report(tmp_path: Path, pages: list[Page]) -> None:
    some = pages[:5]
    path = tmp_path / "crawl.warc.gz"
    written = write_warc(path, crawl(some), compress=True)
    out = tmp_path / "out"
    command = [CROSSWIRE, "analyze", path, "--out", out, "--db", f"sqlite:///{tmp_path}/c.db"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    result = subprocess.run(
        [str(arg) for arg in command], capture_output=True, text=True, timeout=600, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["errors"] == []
    by_url = {a["url"]: a for a in report["articles"]}
    assert sorted(by_url) == sorted(p.url for p in some)
    for i, page in enumerate(some):
        article = by_url[page.url]
        assert article["input"] == f"{path}#{written.number[f'page {i}']}"
        assert recall(page.gold, article["text"]) > 0.6
