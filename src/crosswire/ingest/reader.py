"""Read files and folders into `RawDoc`s; every unreadable input becomes an `InputError`.

Supported: `.txt`, `.html`/`.htm`, `.json` (one record or a list of records) and
`.jsonl` (one record per line), each optionally gzip-compressed (`.gz`). A record
carries `text` or `html` and optionally `url`, `outlet`, `published`, `title`, `id`.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
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
)

_RECORD_FIELDS = ("text", "html", "url", "outlet", "published", "title", "id")


class InputProblem(Exception):
    """A reason an input cannot be used, worded for a person."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    kind: str  # text | html | json | jsonl
    group: str  # folder relative to the root the user named


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _KINDS.get(suffixes[-1]) if suffixes else None


def discover(paths: Sequence[Path]) -> tuple[list[SourceFile], list[InputError]]:
    """Expand files and folders (recursively, sorted) into the files crosswire can read.

    Files of other types inside a folder are skipped (a folder of saved pages holds
    images and notes too); a file named explicitly with an unknown type is an error.
    """
    files: list[SourceFile] = []
    errors: list[InputError] = []
    for root in paths:
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in path.relative_to(root).parts):
                    continue
                kind = kind_of(path)
                if kind is not None:
                    group = str(path.parent.relative_to(root)) if path.parent != root else "."
                    files.append(SourceFile(path, kind, f"{root.name}/{group}"))
        elif root.is_file():
            kind = kind_of(root)
            if kind is None:
                errors.append(
                    InputError(
                        str(root),
                        "unsupported file type (expected .txt, .html, .htm, .json, .jsonl, "
                        "optionally .gz)",
                    )
                )
            else:
                files.append(SourceFile(root, kind, root.parent.name or "."))
        else:
            errors.append(InputError(str(root), "no such file or folder"))
    return files, errors


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise InputProblem("empty file")
    if size > max_bytes:
        raise InputProblem(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = _gunzip(data, max_bytes)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputProblem(f"corrupt or truncated gzip data ({exc})") from exc
        if not data:
            raise InputProblem("empty file (after decompression)")
    return data


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    # Decompress in bounded steps so a gzip bomb hits the size limit instead of memory.
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        chunks: list[bytes] = []
        total = 0
        while chunk := gz.read(1 << 20):
            total += len(chunk)
            if total > max_bytes:
                raise InputProblem(f"decompresses to over the {max_bytes:,}-byte limit")
            chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes) -> str:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise InputProblem(f"binary file ({name}), not an article")
    if b"\x00" in data[:8192]:
        raise InputProblem("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Legacy pages are often cp1252; accept it only when every byte maps, so that
        # random binary data is still rejected.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputProblem(
                f"cannot decode as UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from exc
    if not text.strip():
        raise InputProblem("file holds only whitespace")
    return text


def _record_to_doc(rec: Any, input_name: str, group: str) -> RawDoc:
    if not isinstance(rec, dict):
        raise InputProblem(f"record is a JSON {type(rec).__name__}, expected an object")
    text, html = rec.get("text"), rec.get("html")
    for name in _RECORD_FIELDS:
        value = rec.get(name)
        if value is not None and not isinstance(value, str | int):
            raise InputProblem(f"field {name!r} must be a string, got {type(value).__name__}")
    if not (isinstance(text, str) and text.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        raise InputProblem("record has no non-empty 'text' or 'html' field")
    kind: RawKind = "record"
    rec_id = rec.get("id")
    return RawDoc(
        input=input_name,
        kind=kind,
        text=text if isinstance(text, str) and text.strip() else None,
        html=html if isinstance(html, str) and html.strip() else None,
        url=_opt_str(rec.get("url")),
        outlet=_opt_str(rec.get("outlet")),
        published=_opt_str(rec.get("published")),
        title=_opt_str(rec.get("title")),
        record_id=None if rec_id is None else str(rec_id),
        group=group,
    )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _record_name(path: Path, rec: Any, position: str) -> str:
    rec_id = rec.get("id") if isinstance(rec, dict) else None
    return f"{path}#{rec_id}" if rec_id is not None else f"{path}:{position}"


def read_file(src: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDoc | InputError]:
    """Yield the documents of one file, or errors; one bad record never hides the others."""
    path = src.path
    try:
        text = decode(read_bytes(path, max_bytes))
    except InputProblem as exc:
        yield InputError(str(path), str(exc))
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    if src.kind in ("text", "html"):
        kind: RawKind = "text" if src.kind == "text" else "html"
        yield RawDoc(
            input=str(path),
            kind=kind,
            text=text if kind == "text" else None,
            html=text if kind == "html" else None,
            group=src.group,
        )
    elif src.kind == "json":
        yield from _read_json(path, text, src.group)
    else:
        yield from _read_jsonl(path, text, src.group)


def _read_json(path: Path, text: str, group: str) -> Iterator[RawDoc | InputError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(
            str(path), f"malformed JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        )
        return
    records = data if isinstance(data, list) else [data]
    for i, rec in enumerate(records):
        name = _record_name(path, rec, f"record {i}")
        try:
            yield _record_to_doc(rec, name, group)
        except InputProblem as exc:
            yield InputError(name, str(exc))


def _read_jsonl(path: Path, text: str, group: str) -> Iterator[RawDoc | InputError]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(
                f"{path}:{lineno}", f"malformed JSON line ({exc.msg}, column {exc.colno})"
            )
            continue
        name = _record_name(path, rec, f"line {lineno}")
        try:
            yield _record_to_doc(rec, name, group)
        except InputProblem as exc:
            yield InputError(name, str(exc))


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
