"""Read files and folders into `RawDoc`s; every unreadable input becomes an `InputError`.

Supported: `.txt`, `.html`/`.htm`, `.json` (one record or a list of records) and
`.jsonl` (one record per line), each optionally gzip-compressed (`.gz`). A record
carries `text` or `html` and optionally `url`, `outlet`, `published`, `title`, `id`.
Crawl archives (`.warc`, `.warc.gz`) are read by `warc.py`, one document per HTML page.

Nothing an input holds may stop the run: every problem becomes an `InputError` worded
for a person, and a problem that loses only part of an input (a stray byte, a field of
the wrong type) is reported the same way next to the document that was still read.
The size limit bounds memory: a file is never read past it, except JSONL, which is
streamed record by record with the limit applying to each record.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from crosswire.model import InputError, RawDoc, RawKind

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}

# Magic numbers of formats people drop into article folders by mistake; naming the
# format makes the error actionable.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_GZIP_MAGIC = b"\x1f\x8b"
# A .gz holding another gzip stream is read (some exporters compress twice); deeper
# nesting is not something a person does on purpose.
MAX_GZIP_LAYERS = 2
# A JSONL stream may decompress past the size limit (the limit is per record), but not
# by more than this factor over its compressed size: real text compresses 3 to 10
# times, a decompression bomb about a thousand times.
MAX_EXPANSION = 100
_CHUNK = 1 << 20
_SNIFF_BYTES = 8192

_RECORD_FIELDS = ("url", "outlet", "published", "title")
# a record id longer than this would make an unreadable input name; the record is
# named by its position instead
_MAX_ID_CHARS = 200


class InputProblem(Exception):
    """A reason an input cannot be used, worded for a person."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    kind: str  # text | html | json | jsonl | warc
    group: str  # folder relative to the root the user named

    @property
    def name(self) -> str:
        """The path as errors and documents name it (safe to print)."""
        return shown(self.path)


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _KINDS.get(suffixes[-1]) if suffixes else None


_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown(path: Path | str) -> str:
    """A path as text a person (and a UTF-8 report) can take.

    File names are bytes: a name that is not UTF-8 shows its bad bytes as "\\xff", and
    control characters (a newline, a terminal escape) show as escapes too; every other
    name, brackets and all, is kept exactly as it is.
    """
    text = str(path)
    if _UNPRINTABLE_RE.search(text) is None:
        return text
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # a surrogate that did not come from a file name
        raw = text.encode("utf-8", "surrogatepass")
    decoded = raw.decode("utf-8", "backslashreplace")
    return _UNPRINTABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", decoded)


# --- finding the files -----------------------------------------------------------------


def discover(paths: Sequence[Path]) -> tuple[list[SourceFile], list[InputError]]:
    """Expand files and folders (recursively, sorted) into the files crosswire can read.

    Files of other types inside a folder are skipped (a folder of saved pages holds
    images and notes too); a file named explicitly with an unknown type is an error.
    What cannot be read at all (a broken or looping link, a FIFO, a folder without
    permission) is an error wherever it is; a FIFO is never opened.
    """
    files: list[SourceFile] = []
    errors: list[InputError] = []
    for root in paths:
        root = Path(root)
        try:
            info = os.stat(root)
        except OSError as exc:
            errors.append(InputError(shown(root), _stat_problem(root, exc)))
            continue
        except ValueError:  # the operating system cannot even be asked about it
            errors.append(InputError(shown(root), "not a usable path (it holds a NUL character)"))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(root, info, files, errors)
        elif stat.S_ISREG(info.st_mode):
            kind = kind_of(root)
            if kind is None:
                errors.append(
                    InputError(
                        shown(root),
                        "unsupported file type (expected .txt, .html, .htm, .json, .jsonl, "
                        ".warc, optionally .gz)",
                    )
                )
            else:
                files.append(SourceFile(root, kind, shown(root.parent.name or ".")))
        else:
            errors.append(InputError(shown(root), _not_regular(info.st_mode)))
    return files, errors


def _walk(
    root: Path, root_info: os.stat_result, files: list[SourceFile], errors: list[InputError]
) -> None:
    """Depth first in name order, which is the order of the sorted paths.

    Links to folders are followed, except back into a folder being walked (a loop); a
    folder reached twice through links is read once.
    """
    found: list[SourceFile] = []
    seen = {(root_info.st_dev, root_info.st_ino)}
    # (folder, its parts below root, (dev, inode) of it and the folders above it)
    stack: list[tuple[Path, tuple[str, ...], tuple[tuple[int, int], ...]]] = [
        (root, (), ((root_info.st_dev, root_info.st_ino),))
    ]
    while stack:
        folder, parts, ancestors = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            errors.append(InputError(shown(folder), f"cannot open folder: {_strerror(exc)}"))
            continue
        below: list[tuple[Path, tuple[str, ...], tuple[tuple[int, int], ...]]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                info = os.stat(path) if entry.is_symlink() else entry.stat(follow_symlinks=False)
            except OSError as exc:
                errors.append(InputError(shown(path), _stat_problem(path, exc)))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    errors.append(
                        InputError(
                            shown(path), "symbolic link loop: it leads back to a folder above it"
                        )
                    )
                elif key not in seen:
                    seen.add(key)
                    below.append((path, (*parts, entry.name), (*ancestors, key)))
            elif stat.S_ISREG(info.st_mode):
                kind = kind_of(path)
                if kind is not None:
                    group = "/".join(parts) if parts else "."
                    found.append(SourceFile(path, kind, shown(f"{root.name}/{group}")))
            else:
                errors.append(InputError(shown(path), _not_regular(info.st_mode)))
        # pushed in reverse so that the first folder is walked next
        stack.extend(reversed(below))
    # a folder's files were found before its subfolders' files; sorted paths interleave
    # them by name, the order of `sorted(root.rglob("*"))` and of a file manager
    files.extend(sorted(found, key=lambda src: src.path.parts))


def _stat_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno == errno.ENOENT:
        if os.path.lexists(path):
            try:
                target = shown(os.readlink(path))
            except OSError:
                return "broken symbolic link: its target does not exist"
            return f"broken symbolic link: its target {target} does not exist"
        return "no such file or folder"
    return f"cannot read: {_strerror(exc)}"


def _strerror(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "a FIFO (named pipe)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "something other than a file"
    return f"not a regular file but {what}; not read"


# --- bytes -----------------------------------------------------------------------------


class _Input:
    """One input file opened for reading, through up to `MAX_GZIP_LAYERS` of gzip."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        # Checked before opening: opening a FIFO for reading blocks until a writer comes.
        # O_NONBLOCK covers the race where the file is swapped for one in between.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise InputProblem(_not_regular(mode))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InputProblem(_not_regular(info.st_mode))
            self.raw: io.BufferedReader = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        self.size = info.st_size
        self.stream: io.BufferedIOBase = self.raw
        self.layers = 0
        self.lines_read = 0
        try:
            self._unwrap(path)
        except BaseException:
            self.raw.close()
            raise

    def _unwrap(self, path: Path) -> None:
        if self.size == 0:
            raise InputProblem("empty file (0 bytes)")
        if path.suffix.lower() == ".gz" and not self.head(2).startswith(_GZIP_MAGIC):
            raise InputProblem("not gzip data, though the name ends in .gz")
        while self.head(2).startswith(_GZIP_MAGIC):
            if self.layers == MAX_GZIP_LAYERS:
                raise InputProblem(
                    f"gzip inside gzip more than {MAX_GZIP_LAYERS} levels deep; not read"
                )
            self.stream = gzip.GzipFile(fileobj=self.stream, mode="rb")
            self.layers += 1
        if self.layers and not self.head(1):
            raise InputProblem("empty file (after decompression)")

    def head(self, n: int) -> bytes:
        """Up to `n` first bytes still to read, without consuming them."""
        peek = getattr(self.stream, "peek", None)
        data: bytes = _gzip_errors(peek, n) if peek is not None else b""
        return data[:n]

    def read_all(self) -> bytes:
        """The whole (decompressed) content, refusing anything past the size limit."""
        if not self.layers and self.size > self.max_bytes:
            raise InputProblem(
                f"file is {self.size:,} bytes, over the {self.max_bytes:,}-byte limit"
            )
        data: bytes = _gzip_errors(self.stream.read, self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise InputProblem(f"decompresses to over the {self.max_bytes:,}-byte limit")
        return data

    def lines(self) -> Iterator[bytes | int]:
        """Lines of at most `max_bytes`; a longer line is skipped, and only its length given."""
        total = 0
        checked = 0
        while True:
            line: bytes = _gzip_errors(self.stream.readline, self.max_bytes + 1)
            if not line:
                return
            self.lines_read += 1
            total += len(line)
            if len(line) > self.max_bytes and not line.endswith(b"\n"):
                length = len(line)
                while True:  # the rest of the line, in bounded pieces
                    rest: bytes = _gzip_errors(self.stream.readline, _CHUNK)
                    length += len(rest)
                    self._check_expansion(total + length)
                    if not rest or rest.endswith(b"\n"):
                        break
                total += length - len(line)
                yield length - 1 if rest.endswith(b"\n") else length
            else:
                yield line
            if total - checked >= _CHUNK:
                checked = total
                self._check_expansion(total)

    def _check_expansion(self, total: int) -> None:
        if not self.layers or total <= self.max_bytes:
            return
        compressed = max(self.raw.tell(), 1)
        if total > MAX_EXPANSION * compressed:
            raise InputProblem(
                f"decompresses to over the {self.max_bytes:,}-byte limit, more than "
                f"{MAX_EXPANSION} times its compressed size: a decompression bomb; "
                "stopped there"
            )

    def close(self) -> None:
        self.stream.close()
        self.raw.close()

    def __enter__(self) -> _Input:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _gzip_errors(read: Callable[[int], bytes], n: int) -> bytes:
    """`read(n)`, with corrupt compressed data as an `InputProblem`."""
    try:
        return read(n)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputProblem(f"corrupt or truncated gzip data ({exc})") from exc


# --- text ------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# bytes that plain text does not hold (tab, newlines, form feed and ESC aside)
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20))
# more control bytes than this share of the first 8 KiB: binary, not text with a stray NUL
_MAX_CONTROL_SHARE = 0.01
_META_CHARSET_RE = re.compile(
    rb"<meta\s[^>]{0,500}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE
)
_XML_ENCODING_RE = re.compile(
    rb"^\s{0,100}<\?xml\s[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
# What browsers decode these labels as (WHATWG Encoding): pages that say Latin-1 are
# written in Windows-1252, and the older East Asian labels in their supersets.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
}


def decode(data: bytes, kind: str = "text") -> tuple[str, list[str]]:
    """Text of a file and what a person should know about reading it.

    A byte-order mark decides, then for HTML the charset the page declares (unless the
    bytes are valid UTF-8: pages re-saved as UTF-8 keep their old declaration); then
    UTF-8, then Windows-1252 when every byte maps and the text holds no UTF-8 at all.
    UTF-8 text with a few bad bytes stays UTF-8, with U+FFFD for each, and a warning.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, codec, label, start=len(bom))
    if kind != "jsonl":  # a JSONL file's head was checked once for the whole file
        _refuse_binary(data)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    declared = _declared_charset(data) if kind == "html" else None
    if declared is not None:
        return _decode_as(data, declared, declared)
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii - bad > bad:
        return text, [_replaced("UTF-8", first_bad, bad)]
    # Legacy pages are often cp1252; accept it only when every byte maps, so that
    # random binary data is still rejected.
    try:
        return data.decode("cp1252"), []
    except UnicodeDecodeError:
        pass
    if bad <= max(1, len(data) // 100):
        return text, [_replaced("UTF-8", first_bad, bad)]
    raise InputProblem(
        f"cannot decode as UTF-8 or Windows-1252 (byte 0x{data[first_bad]:02x} at offset "
        f"{first_bad:,})"
    )


def decode_page(data: bytes, charset: str | None) -> tuple[str, list[str]]:
    """A page fetched over HTTP as text: a byte-order mark, else the HTTP CHARSET, else
    the page's own (`decode`).

    Bytes that are valid UTF-8 are read as UTF-8 whatever the header says: servers
    announce their default charset (often ISO-8859-1) for pages written in UTF-8, and
    valid UTF-8 in another charset's text is all but impossible.
    """
    codec = _charset_codec(charset) if charset else None
    if codec is not None and not data.startswith(tuple(bom for bom, _, _ in _BOMS)):
        _refuse_binary(data)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_as(data, codec, codec)
    return decode(data, "html")


def _refuse_binary(data: bytes) -> None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise InputProblem(f"binary file ({name}), not an article")
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputProblem("binary file (contains NUL or other control bytes), not text")


def _decode_as(data: bytes, codec: str, label: str, start: int = 0) -> tuple[str, list[str]]:
    body = data[start:] if start else data
    try:
        return body.decode(codec), []
    except UnicodeDecodeError as exc:
        text = body.decode(codec, "replace")
        return text, [_replaced(label, start + exc.start, text.count("\ufffd"))]


def _replaced(label: str, offset: int, count: int) -> str:
    more = f" and {count - 1:,} more places" if count > 1 else ""
    return f"not valid {label} at byte {offset:,}{more}; read with replacement characters"


# text codecs that no page is written in, whose decoding would turn markup into text
_NOT_CHARSETS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
)


def _declared_charset(data: bytes) -> str | None:
    """The codec an HTML or XML document declares in its head, when Python has it."""
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    if match is None:
        return None
    return _charset_codec(match.group(1).decode("ascii"))


def _charset_codec(label: str) -> str | None:
    """The codec a charset label names (a page's or an HTTP header's), when Python has it."""
    label = label.lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"".decode(name)  # "base64", "rot13" and the like are codecs but not charsets
    except LookupError:
        return None
    if name in _NOT_CHARSETS:
        return None
    # a declared UTF-16 or UTF-32 in bytes that are not (no BOM) is a stale declaration
    if name.startswith(("utf-16", "utf-32", "utf-8")):
        return None
    return name


# --- records ---------------------------------------------------------------------------


class _HugeNumber:
    """A JSON integer longer than Python converts (4,300 digits): kept as its length."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _parse_int(text: str) -> int | _HugeNumber:
    try:
        return int(text)
    except ValueError:
        return _HugeNumber(len(text.lstrip("-")))


_JSON_STRING_RE = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_JSON_BRACKETS_RE = re.compile(r"[\[{]+|[\]}]+")


def _nesting_depth(text: str) -> int:
    """How deep the arrays and objects of (possibly broken) JSON text nest."""
    depth = deepest = 0
    for run in _JSON_BRACKETS_RE.finditer(_JSON_STRING_RE.sub("", text)):
        step = len(run.group())
        depth += step if run.group()[0] in "[{" else -step
        deepest = max(deepest, depth)
    return deepest


def _parse_json(text: str, *, line: bool) -> Any:
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if line else f"line {exc.lineno} column {exc.colno}"
        raise InputProblem(f"malformed JSON{' line' if line else ''} ({exc.msg}, {where})") from exc
    except RecursionError as exc:
        raise InputProblem(
            f"JSON nested {_nesting_depth(text):,} levels deep, deeper than the "
            f"{_readable_depth():,} levels that can be read"
        ) from exc
    except ValueError as exc:
        raise InputProblem(f"unreadable JSON ({exc})") from exc


def _readable_depth() -> int:
    # json's C parser counts its nesting against the interpreter's recursion limit
    return sys.getrecursionlimit()


def _describe(value: Any) -> str:
    """A JSON value's type as a person would name it."""
    if isinstance(value, bool):
        return f"JSON {'true' if value else 'false'}"
    if isinstance(value, _HugeNumber):
        return f"a number of {value.digits:,} digits"
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "a string"


def _record_to_doc(rec: Any, input_name: str, group: str) -> tuple[RawDoc, list[str]]:
    """The document of one record, and the fields left out of it (why, for a person)."""
    if not isinstance(rec, dict):
        raise InputProblem(f"record is {_describe(rec)}, expected a JSON object")
    warnings: list[str] = []

    def text_field(name: str) -> str | None:
        value = rec.get(name)
        if value is None or isinstance(value, str):
            return value
        warnings.append(f"field {name!r} is {_describe(value)}, not text; left out")
        return None

    text, html = text_field("text"), text_field("html")
    text = text if text and text.strip() else None
    html = html if html and html.strip() else None
    if text is None and html is None:
        problem = "record has no non-empty 'text' or 'html' field"
        raise InputProblem(f"{problem} ({'; '.join(warnings)})" if warnings else problem)
    fields = {name: _opt_str(text_field(name)) for name in _RECORD_FIELDS}
    doc = RawDoc(
        input=input_name,
        kind="record",
        text=text,
        html=html,
        url=fields["url"],
        outlet=fields["outlet"],
        published=fields["published"],
        title=fields["title"],
        record_id=_record_id(rec, warnings),
        group=group,
    )
    return doc, warnings


def _record_id(rec: dict[str, Any], warnings: list[str] | None = None) -> str | None:
    value = rec.get("id")
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is not None and warnings is not None:
        problem = "too long for an id" if isinstance(value, _HugeNumber) else "not text or a number"
        warnings.append(f"field 'id' is {_describe(value)}, {problem}; left out")
    return None


def _opt_str(value: str | None) -> str | None:
    if value is None:
        return None
    s = value.strip()
    return s or None


def _record_name(name: str, rec: Any, position: str) -> str:
    rec_id = _record_id(rec) if isinstance(rec, dict) else None
    if rec_id is None or len(rec_id) > _MAX_ID_CHARS:
        return f"{name}:{position}"
    return shown(f"{name}#{rec_id}")


def _records(
    name: str, records: Iterable[tuple[str, Any]], group: str
) -> Iterator[RawDoc | InputError]:
    for position, rec in records:
        record_name = _record_name(name, rec, position)
        try:
            doc, warnings = _record_to_doc(rec, record_name, group)
        except InputProblem as exc:
            yield InputError(record_name, str(exc))
            continue
        for warning in warnings:
            yield InputError(record_name, warning)
        yield doc


# --- files -----------------------------------------------------------------------------


def read_file(src: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDoc | InputError]:
    """Yield the documents of one file, or errors; one bad record never hides the others."""
    name = src.name
    try:
        yield from _read_file(src, name, max_bytes)
    except InputProblem as exc:
        yield InputError(name, str(exc))
    except OSError as exc:
        yield InputError(name, f"cannot read file: {_strerror(exc)}")
    except Exception as exc:  # whatever a file holds, the run goes on
        yield InputError(name, f"could not read: {type(exc).__name__}: {exc}")


def _read_file(src: SourceFile, name: str, max_bytes: int) -> Iterator[RawDoc | InputError]:
    with _Input(src.path, max_bytes) as source:
        if src.kind == "warc":
            from crosswire.ingest.warc import read_warc  # warc.py builds on this module

            yield from read_warc(source, name, src.group)
            return
        if src.kind == "jsonl" and not source.head(4).startswith(_WIDE_BOMS):
            yield from _read_jsonl(source, name, src.group)
            return
        text, warnings = decode(source.read_all(), src.kind)
    for warning in warnings:
        yield InputError(name, warning)
    if not text.strip():
        yield InputError(name, "file holds only whitespace")
    elif src.kind in ("text", "html"):
        kind: RawKind = "text" if src.kind == "text" else "html"
        yield RawDoc(
            input=name,
            kind=kind,
            text=text if kind == "text" else None,
            html=text if kind == "html" else None,
            group=src.group,
        )
    elif src.kind == "json":
        yield from _read_json(name, text, src.group)
    else:  # JSONL in UTF-16 or UTF-32, read whole within the limit
        # split at "\n" only: `splitlines` also splits at U+2028, which JSON strings hold
        lines: Iterator[_JsonlLine] = (
            (n, line, []) for n, line in enumerate(text.split("\n"), start=1)
        )
        yield from _jsonl_records(name, lines, src.group)


# UTF-16 and UTF-32 byte-order marks: such JSONL cannot be split at b"\n"
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def _read_json(name: str, text: str, group: str) -> Iterator[RawDoc | InputError]:
    try:
        data = _parse_json(text, line=False)
    except InputProblem as exc:
        yield InputError(name, str(exc))
        return
    if data == []:
        yield InputError(name, "no records: the file holds an empty JSON list")
        return
    records = data if isinstance(data, list) else [data]
    yield from _records(name, ((f"record {i}", rec) for i, rec in enumerate(records)), group)


# a JSONL line: its number, its text (or why it could not be read), decoding warnings
_JsonlLine = tuple[int, str | InputProblem, list[str]]


def _read_jsonl(source: _Input, name: str, group: str) -> Iterator[RawDoc | InputError]:
    """Record by record: the file may be larger than the limit, each record may not."""
    head = source.head(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        source.stream.read(len(codecs.BOM_UTF8))
    else:
        _refuse_binary(head)
    try:
        yield from _jsonl_records(name, _jsonl_lines(source), group)
    except InputProblem as exc:  # the stream broke off: say how far it was read
        if not source.lines_read:
            raise
        raise InputProblem(
            f"{exc} after line {source.lines_read:,}; the lines before it were read"
        ) from exc


def _jsonl_lines(source: _Input) -> Iterator[_JsonlLine]:
    for lineno, raw in enumerate(source.lines(), start=1):
        if isinstance(raw, int):
            limit = f"record is {raw:,} bytes, over the {source.max_bytes:,}-byte limit; skipped"
            yield lineno, InputProblem(limit), []
        elif raw.strip():
            try:
                text, warnings = decode(raw, "jsonl")
            except InputProblem as exc:
                yield lineno, exc, []
            else:
                yield lineno, text, warnings


def _jsonl_records(
    name: str, lines: Iterable[_JsonlLine], group: str
) -> Iterator[RawDoc | InputError]:
    records = 0
    for lineno, line, warnings in lines:
        where = f"{name}:{lineno}"
        if isinstance(line, InputProblem):
            records += 1
            yield InputError(where, str(line))
            continue
        if not line.strip():
            continue
        records += 1
        for warning in warnings:
            yield InputError(where, warning)
        try:
            rec = _parse_json(line, line=True)
        except InputProblem as exc:
            yield InputError(where, str(exc))
            continue
        yield from _records(name, [(str(lineno), rec)], group)
    if records == 0:
        yield InputError(name, "no records: every line is blank")


def read_files(
    files: Iterable[SourceFile],
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[], None] | None = None,
) -> tuple[list[RawDoc], list[InputError]]:
    """Read discovered files in order; `on_file` is called after each (progress)."""
    docs: list[RawDoc] = []
    errors: list[InputError] = []
    for src in files:
        for item in read_file(src, max_bytes):
            if isinstance(item, InputError):
                errors.append(item)
            else:
                docs.append(item)
        if on_file is not None:
            on_file()
    return docs, errors


def read_inputs(
    paths: Iterable[Path | str], max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[RawDoc], list[InputError]]:
    """Read every supported file under `paths`; return documents and errors in input order."""
    files, errors = discover([Path(p) for p in paths])
    docs, read_errors = read_files(files, max_bytes)
    return docs, errors + read_errors
