"""Crawl archives (WARC, ISO 28500; `.warc`, `.warc.gz`): one document per HTML page.

A crawl holds far more than pages: requests, crawler metadata, images, scripts,
redirects, error pages, revisits that point back at an earlier capture. Only a
`response` record with a 2xx HTTP status and an HTML payload is an article; the
others are counted (`counts`) and skipped without a word, since a crawl is mostly
made of them.

The archive is read as a stream through `reader._Input`, so the reader's guards hold
here too: the size limit applies to each page (as to each JSONL record), the whole
stream may not decompress past `MAX_EXPANSION` times its compressed size, and a record
header may not run past the limit. warcio parses the records; it is given the already
decompressed stream, which also reads archives gzipped as a whole rather than record
by record. A damaged record (digest mismatch, page over the limit) loses that record;
a cut-off or unreadable one ends the file there, with the records before it kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from crosswire.ingest.reader import (
    _CHUNK,
    _MAGIC,
    _SNIFF_BYTES,
    DEFAULT_MAX_BYTES,
    InputProblem,
    _gzip_errors,
    _Input,
    _strerror,
    decode_page,
    shown,
)
from crosswire.model import InputError, RawDoc

_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
# a page served without a Content-Type shows itself by its start (a BOM, comments)
_HTML_START_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S
)


@dataclass(slots=True)
class WarcDoc(RawDoc):
    """A page from a crawl archive, with when the crawler fetched it.

    `fetched` is the record's WARC-Date as written. It is not a publication date, so it
    is not `published` (which would outrank the page's own metadata as "record"); the
    clean stage has no crawl-date fallback yet, and this keeps the date for one.
    """

    fetched: str | None = None


class _Cut(InputProblem):
    """The archive cannot be read past this record."""


def read_warc_path(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, counts: Counter[str] | None = None
) -> Iterator[RawDoc | InputError]:
    """`read_file` for one archive, with what it held counted into `counts`."""
    name = shown(path)
    try:
        with _Input(path, max_bytes) as source:
            yield from read_warc(source, name, shown(path.parent.name or "."), counts)
    except InputProblem as exc:
        yield InputError(name, str(exc))
    except OSError as exc:
        yield InputError(name, f"cannot read file: {_strerror(exc)}")


def read_warc(
    source: _Input, name: str, group: str, counts: Counter[str] | None = None
) -> Iterator[RawDoc | InputError]:
    """Every HTML page of the archive; `counts` gets "records", "pages", "skipped ...".

    `group` is only the fallback for a page whose URL names no host: pages are grouped
    by host, so that boilerplate is learned per site and not per archive file.
    """
    counts = Counter[str]() if counts is None else counts
    _check_is_warc(source.head(_SNIFF_BYTES))
    stream = _Stream(source)
    records = ArchiveIterator(stream, check_digests=True)
    current = 1  # the record being read, for naming it when it fails
    try:
        while True:
            stream.ceiling = stream.total + source.max_bytes + _CHUNK
            record = next(records, None)
            stream.ceiling = None
            if record is None:
                break
            counts["records"] += 1
            yield from _read_or_report(record, f"{name}#{current}", source.max_bytes, group, counts)
            current += 1
        if stream.total > records.offset:
            # warcio takes an archive that ends inside a record's HTTP header for its end
            raise _Cut("the file ends inside this record's header")
    except InputProblem as exc:
        yield InputError(f"{name}#{current}", _tail(str(exc), current))
    except Exception as exc:  # warcio's own parse errors: the records after are unreachable
        yield InputError(f"{name}#{current}", _tail(f"unreadable ({_why(exc)})", current))


def _read_or_report(
    record: Any, where: str, max_bytes: int, group: str, counts: Counter[str]
) -> list[RawDoc | InputError]:
    """One record's document or errors; a record that breaks in its own way is skipped."""
    try:
        return list(_read_record(record, where, max_bytes, group, counts))
    except InputProblem:  # the stream itself: nothing after this record can be read
        raise
    except Exception as exc:
        _drain(record)  # the next record's header starts where this record ends
        return [InputError(where, f"unreadable record ({_why(exc)}); skipped")]


def _tail(problem: str, failed: int) -> str:
    before = failed - 1
    if before == 0:
        return f"{problem}; nothing after it is read"
    kept = "the record before it was" if before == 1 else f"the {before:,} records before it were"
    return f"{problem}; nothing after it is read, {kept} read"


def _why(exc: Exception) -> str:
    # warcio quotes the line it could not parse: bytes of the archive, shown escaped
    text = shown(" ".join(str(exc).split()))
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_is_warc(head: bytes) -> None:
    start = head.lstrip(b"\r\n")
    if start.startswith(b"WARC/"):
        return
    if start.startswith(b"filedesc://"):
        raise InputProblem("an ARC file (the format before WARC), which crosswire does not read")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputProblem(f"not a WARC file but {what}")
    first = start[:60].split(b"\n", 1)[0].decode("utf-8", "replace")
    raise InputProblem(
        f"not a WARC file: it does not start with a WARC/1.x record header (it starts {first!r})"
    )


class _Stream:
    """The archive's bytes for warcio, counted and bounded.

    `read1` hands over what is decompressed before a cut in the gzip data instead of
    losing the last block with the error, so every record before the cut is read.
    """

    def __init__(self, source: _Input) -> None:
        self.source = source
        self.total = 0
        self.checked = 0
        # while warcio parses a record header: how far it may read
        self.ceiling: int | None = None
        self._read = getattr(source.stream, "read1", source.stream.read)

    def read(self, size: int = -1) -> bytes:
        data: bytes = _gzip_errors(self._read, size if 0 < size <= _CHUNK else _CHUNK)
        self.total += len(data)
        if self.ceiling is not None and self.total > self.ceiling:
            raise _Cut(f"its header runs past the {self.source.max_bytes:,}-byte limit")
        if self.total - self.checked >= _CHUNK:
            self.checked = self.total
            self.source._check_expansion(self.total)
        return data

    def tell(self) -> int:
        return self.total


def _read_record(
    record: Any, where: str, max_bytes: int, group: str, counts: Counter[str]
) -> Iterator[RawDoc | InputError]:
    if not isinstance(record.raw_stream, LimitReader):
        # without a length the record's end, and so the next record, cannot be found
        raise _Cut("its header is cut off or has no Content-Length")
    kind = record.rec_type
    if kind != "response":
        skipped: str | None = f"skipped {kind or 'untyped'}"
    else:
        skipped = _not_a_page(record.http_headers)
    if skipped is not None:
        _drain(record)
        counts[skipped] += 1
        return
    data = record.content_stream().read(max_bytes + 1)
    _drain(record)
    headers = record.rec_headers
    url = _header(headers, "WARC-Target-URI")
    content_type = record.http_headers.get_header("Content-Type")
    if content_type is None and _HTML_START_RE.match(data[:_SNIFF_BYTES]) is None:
        counts["skipped not HTML"] += 1
        return
    about = f" ({shown(url)})" if url else ""
    if len(data) > max_bytes:
        yield InputError(where, f"page{about} is over the {max_bytes:,}-byte limit; skipped")
        return
    damaged = _digest_problems(record)
    if damaged:
        yield InputError(
            where,
            f"record {_header(headers, 'WARC-Record-ID') or ''}{about}: its content does not "
            f"match its {' and '.join(damaged)} (damaged in storage or transfer); skipped",
        )
        return
    try:
        html, warnings = _page_text(data, content_type)
    except InputProblem as exc:
        yield InputError(where, f"page{about}: {exc}")
        return
    for warning in warnings:
        yield InputError(where, warning)
    if not html.strip():
        yield InputError(where, f"page{about} is empty")
        return
    counts["pages"] += 1
    yield WarcDoc(
        input=where,
        kind="html",
        html=html,
        url=url,
        record_id=_header(headers, "WARC-Record-ID"),
        group=_host(url) or group,
        fetched=_header(headers, "WARC-Date"),
    )


def _not_a_page(http: Any) -> str | None:
    """Why a response is no article page, as a `counts` key; None when it may be one."""
    if http is None:
        return "skipped not HTTP"  # dns:, whois: and the like
    try:
        status = int(http.get_statuscode())
    except ValueError:
        return "skipped no HTTP status"
    if 300 <= status < 400:
        return "skipped redirect"
    if status >= 400:
        return "skipped HTTP error"
    # 204 has no body and 206 is a byte range, a piece of a page
    if not 200 <= status < 300 or status in (204, 206):
        return f"skipped HTTP {status}"
    content_type = http.get_header("Content-Type")
    if content_type is not None:
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in _PAGE_TYPES:
            return "skipped not HTML"
    return None


def _drain(record: Any) -> None:
    """Read the record to its end: digests are computed then, and a cut shows."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    if stream.limit > 0:
        raise _Cut(f"the file ends {stream.limit:,} bytes before this record does")


def _digest_problems(record: Any) -> list[str]:
    problems = record.digest_checker.problems
    found: list[str] = []
    if any(problem.startswith("block") for problem in problems):
        found.append("WARC-Block-Digest")
    # Crawlers disagree on whether a chunked response's payload digest covers the chunk
    # framing (warcio issues #74, #75): only the block digest speaks for those.
    chunked = (record.http_headers.get_header("Transfer-Encoding") or "").lower() == "chunked"
    if not chunked and any(problem.startswith("payload") for problem in problems):
        found.append("WARC-Payload-Digest")
    return found


def _page_text(data: bytes, content_type: str | None) -> tuple[str, list[str]]:
    found = _CHARSET_RE.search(content_type or "")
    return decode_page(data, found.group(1) if found else None)


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:  # a malformed address ("http://[::1") still names its page
        return None


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name)
    return (value.strip() or None) if isinstance(value, str) else None
