"""Write a folder of odd and hostile inputs beside real articles, and say what each must give.

    python tests/hostile_corpus.py DIR

The good articles are real: ECB+ news texts and pages of the extraction benchmark,
read from ../shared/data. Every other input is one way a folder of saved pages goes
wrong: binary, bad encodings, bombs, deep nesting, absurd dates and numbers, markup
in every field, odd file names, links and FIFOs. `build` returns which inputs must
come out as articles and which must be reported in `errors` (some may be both: an
article with a warning).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ECB = SHARED / "stories_raw" / "ecbplus" / "ecbplus_docs.jsonl"
PAGES = SHARED / "extraction" / "html"

HOSTILE_MARKUP = (
    '<script>window.__pwned = "script"; alert("x")</script>'
    "<img src=x onerror=\"window.__pwned = 'onerror'\">"
    '<a href="javascript:alert(2)">click</a><svg onload="window.__pwned = \'svg\'">'
)


@dataclass
class Expected:
    # input names (as the report's `input` field ends) that must be articles
    articles: set[str] = field(default_factory=set)
    # input names that must be in `errors`, each with a reason
    errors: set[str] = field(default_factory=set)
    # inputs that may be either (read with a warning, or refused with a reason)
    either: set[str] = field(default_factory=set)


def real_texts(n: int) -> list[str]:
    """N real news texts of six sentences or more, one per ECB+ topic."""
    texts: list[str] = []
    topics: set[str] = set()
    with ECB.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["n_sentences"] >= 6 and doc["topic"] not in topics:
                topics.add(doc["topic"])
                texts.append(doc["text"])
            if len(texts) == n:
                break
    return texts


def build(root: Path) -> Expected:
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    expected = Expected()
    texts = real_texts(24)

    def good(name: str, data: bytes | str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected.articles.add(name)

    def bad(name: str, data: bytes | str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected.errors.add(name)

    # twenty good articles: plain text, and real pages of the extraction benchmark
    for n, text in enumerate(texts[:17]):
        good(f"good/ecb-{n:02d}.txt", text)
    for page in sorted(PAGES.glob("*.html.gz"))[:3]:
        good(f"good/{page.name}", page.read_bytes())

    # files that hold no article
    bad("bad/binary.txt", bytes(rng.randrange(256) for _ in range(4096)))
    bad("bad/pdf-named.html", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(512)))
    bad("bad/empty.txt", b"")
    bad("bad/blank.txt", b" \n\t\n  \r\n")
    bad("bad/emoji-only.txt", "🔥🔥🔥 😀 🎉🎉\n👍👍👍👍\n".encode())
    bad("bad/digits-only.txt", "12 34 56 -- 78.9 %% !!\n")
    bad("bad/truncated.html.gz", gzip.compress(texts[17].encode())[:60])
    # a gzip bomb: 64 MB of zeros in 64 kB, past the 20 MB default limit
    bad("bad/bomb.txt.gz", gzip.compress(b"\0" * (64 * 2**20), compresslevel=9))
    bad("bad/nested.json", "[" * 100_000 + "]" * 100_000)
    bad("bad/malformed.json", '{"text": "cut off')
    bad("bad/empty-list.json", "[]")
    bad("bad/cut-record.jsonl", '{"text": "A record that stops' + "\n")
    expected.either.add("bad/huge-number.json")
    (root / "bad/huge-number.json").write_text(
        json.dumps({"text": texts[18], "count": 0}).replace('"count": 0', '"count": ' + "7" * 5000)
    )
    bad("bad/deep.html", "<div>" * 20_000 + "deep" + "</div>" * 20_000)

    # encodings: each must read as the words it holds
    good("enc/utf16-le-bom.txt", "\ufeff".encode("utf-16-le") + texts[19].encode("utf-16-le"))
    good("enc/utf16-be-bom.txt", "\ufeff".encode("utf-16-be") + texts[20].encode("utf-16-be"))
    stray = texts[21].encode()
    expected.either.add("enc/stray-byte.txt")
    (root / "enc").mkdir(exist_ok=True)
    (root / "enc/stray-byte.txt").write_bytes(stray[:200] + b"\xff" + stray[200:])
    cyrillic = (
        "Правительство объявило о новых мерах поддержки. Министр финансов сказал, что "
        "бюджет вырастет на 5 процентов в следующем году. Эксперты ожидают роста цен."
    )
    good(
        "enc/windows-1251.html",
        (
            '<html><head><meta charset="windows-1251"><title>Новости</title></head>'
            f"<body><article><p>{cyrillic}</p><p>{cyrillic}</p></article></body></html>"
        ).encode("cp1251"),
    )
    good("enc/nul-bytes.txt", texts[22].replace(" ", " \0", 5) + "\x07\x1b[2J")

    # records whose fields are odd: each stays an article, the odd field dropped
    records = []
    for n, published in enumerate(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", float("nan"), [1], "yesterday"]
    ):
        records.append(
            {
                "id": f"odd-{n}",
                "published": published,
                "title": HOSTILE_MARKUP,
                "outlet": f"Outlet {n} {HOSTILE_MARKUP}",
                "url": "javascript:alert(document.cookie)",
                "text": (
                    f"On Tuesday the council met, and next week it votes. {texts[n]}\n"
                    f"{HOSTILE_MARKUP}"
                ),
            }
        )
    lines = [json.dumps(r, allow_nan=True) for r in records]
    lines.insert(2, '{"text": "broken line')
    lines.insert(4, json.dumps({"text": 42}))
    (root / "records").mkdir(exist_ok=True)
    (root / "records/odd-fields.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected.articles.update(f"records/odd-fields.jsonl#odd-{n}" for n in range(len(records)))
    expected.errors.add("records/odd-fields.jsonl")

    # a sentence with hundreds of figures, and one with no full stop for 50,000 chars
    figures = ", ".join(f"{n * 3} people in district {n}" for n in range(600))
    good("text/many-figures.txt", f"{texts[23]}\nOfficials said {figures} were evacuated.\n")
    good("text/run-on.txt", texts[0] + "\n" + " and ".join(["the water rose"] * 3500) + "\n")

    # odd names: markup and escapes in a path, bytes that are not UTF-8
    marked = root / "names/[/] [bold red]x \x1b[2J.txt"  # "[/]" makes a folder "[" too
    marked.parent.mkdir(parents=True, exist_ok=True)
    marked.write_text(texts[1], encoding="utf-8")
    # shown with its escape spelled out (\\x1b): the report holds no control characters
    expected.articles.add("names/[/] [bold red]x ")
    odd = os.fsencode(root / "names") + b"/caf\xe9-\xff.txt"
    with open(odd, "wb") as handle:
        handle.write(texts[2].encode())
    expected.articles.add("names/caf")  # its name is shown with replacement characters

    # links and special files a folder of saved pages may hold
    links = root / "links"
    links.mkdir(exist_ok=True)
    os.symlink("loop-b", links / "loop-a.txt")
    os.symlink("loop-a.txt", links / "loop-b")
    os.symlink("missing.txt", links / "dangling.txt")
    os.mkfifo(links / "pipe.txt")
    expected.errors.update({"links/loop-a.txt", "links/dangling.txt", "links/pipe.txt"})
    return expected


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} DIR")
    found = build(Path(sys.argv[1]))
    print(json.dumps({k: sorted(v) for k, v in vars(found).items()}, indent=2))
