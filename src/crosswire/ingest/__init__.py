"""Stage 1, ingest: files and folders in, `RawDoc`s and `InputError`s out."""

from crosswire.ingest.reader import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    discover,
    read_file,
    read_files,
    read_inputs,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SourceFile",
    "discover",
    "read_file",
    "read_files",
    "read_inputs",
]
