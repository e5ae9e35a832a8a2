"""Character hygiene: what may reach an `Article` and what never does.

Control characters come in through NUL-padded exports, terminal colour codes pasted
into feeds, and Latin-1 decoders applied to Windows-1252 text (which turns curly quotes
into C1 controls); lone surrogates come from JSON escapes like "\\ud800". None of them
is article text, several break later stages (lxml rejects controls, the language
detector and every UTF-8 encoder reject surrogates), and in a terminal some of them
are commands. Every function here is one linear pass with a fast path for clean text.
"""

from __future__ import annotations

import re

# Characters that end a line for `str.splitlines` but not for `split("\n")`: mapped to
# "\n" so every stage sees the same lines (U+0085 is left to the cp1252 rule below:
# as text it is almost always a Windows-1252 ellipsis).
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\u2028\u2029"
# C1 controls in text are almost always Windows-1252 punctuation read as Latin-1
# ("\x93no\x94" was “no”); the five bytes cp1252 leaves undefined are dropped.
_C1_AS_CP1252 = {
    code: bytes([code]).decode("cp1252", errors="ignore") or None for code in range(0x80, 0xA0)
}
_TABLE: dict[int, str | None] = {
    **{code: None for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x7F: None,
    **_C1_AS_CP1252,
    **{ord(char): "\n" for char in _LINE_BREAKS},
    0xFEFF: None,  # a byte-order mark inside text is a leftover of concatenated files
    0xFFFE: None,  # noncharacters: XML parsers reject them
    0xFFFF: None,
    **{code: "\ufffd" for code in range(0xD800, 0xE000)},
}
_UNWANTED_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
# terminal colour and title sequences: the ESC alone would go, leaving "[31m" behind
_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)")
_SPACES_RE = re.compile(r"\s+")
# numeric character references to controls, surrogates or past U+10FFFF: lxml gives up
# on the whole page when it meets one ("&#x1b;")
_CHAR_REF_RE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<dec>[0-9]{1,10}));?")
_LETTER_RE = re.compile(r"[^\W\d_]")


def scrub(text: str) -> str:
    """`text` without control characters or lone surrogates; line breaks become "\\n"."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNWANTED_RE.search(text) is None:
        return text
    if "\x1b" in text:
        text = _ANSI_RE.sub("", text)
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """A scrubbed metadata value on one line, runs of whitespace as one space."""
    return _SPACES_RE.sub(" ", scrub(text)).strip()


def scrub_html(html: str) -> str:
    """`scrub` for markup, which also drops character references to controls."""
    html = scrub(html)
    if "&#" not in html:
        return html
    return _CHAR_REF_RE.sub(_char_ref, html)


def _char_ref(match: re.Match[str]) -> str:
    digits = match.group("hex")
    code = int(digits, 16) if digits is not None else int(match.group("dec"))
    if code > 0x10FFFF or 0xD800 <= code < 0xE000:
        return "\ufffd"
    if code in _TABLE and code not in _C1_AS_CP1252:
        replacement = _TABLE[code]
        return "" if replacement is None else replacement
    return match.group(0)


def has_letters(text: str) -> bool:
    """Whether `text` holds a letter of any script (not only digits, symbols, emoji)."""
    return _LETTER_RE.search(text) is not None
