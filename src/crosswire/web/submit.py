"""`POST /api/v1/articles`: one article in, through the engine `watch` uses, into the store.

The body is a JSON record with the fields of a JSONL input (`text` or `html`, `url`,
`outlet`, `published`, `title`, `id`), or the article itself as text/plain or
text/html with `url`, `outlet`, `published`, `title` as query parameters. Everything
is checked before anything is written: a bad body is a 4xx naming the problem and
stores nothing.

Idempotent: an article's id is derived from its content, so the body is cleaned first
(with the store's site model, as the run would) and an article already stored with
that id and text is answered as it stands, without a run. A URL already stored with
another text is a revision of that article, as for `crosswire add`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crosswire import pipeline
from crosswire.clean import SiteLines, clean_documents
from crosswire.model import Article, RawDoc, Story
from crosswire.store import Store

MAX_FIELD_CHARS = 4096


class ArticleIn(BaseModel):
    """A submitted article: the fields of a JSONL input record."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str | None = Field(None, description="the article's plain text")
    html: str | None = Field(None, description="the article's HTML page (text or html)")
    url: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    outlet: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    published: str | None = Field(None, max_length=64, description="ISO 8601, with offset")
    title: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    id: str | int | None = Field(None, description="the record's own id, kept as its input")


class Rejected(Exception):
    """A submission refused: STATUS and a message a person can act on."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Outcome:
    article: Article
    story: Story | None
    created: bool
    revised: bool


# one submission at a time per process: each is a micro-batch deciding against the
# stage states, and a second one at once would only be decided again
_LOCK = threading.Lock()


def parse_json(body: bytes) -> ArticleIn:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Rejected(400, f"the body is not JSON ({exc})") from None
    except RecursionError:
        raise Rejected(400, "the JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise Rejected(422, "the body must be one JSON object (a record of the JSONL input)")
    try:
        return ArticleIn.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        raise Rejected(422, problems) from None


def parse_body(body: bytes, content_type: str, fields: dict[str, str | None]) -> ArticleIn:
    """A text/plain or text/html body and its query fields as a record."""
    kind, _, params = content_type.partition(";")
    charset = "utf-8"
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise Rejected(400, f"the body cannot be read as {charset} ({exc})") from None
    field = "html" if kind.strip().lower() == "text/html" else "text"
    try:
        return ArticleIn.model_validate({field: text, **{k: v for k, v in fields.items() if v}})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise Rejected(422, problems) from None


def to_doc(record: ArticleIn) -> RawDoc:
    text = record.text if record.text else None
    html = record.html if record.html else None
    if text is None and html is None:
        raise Rejected(422, "no article: give a non-empty 'text' or 'html'")
    if text is not None and html is not None:
        raise Rejected(422, "give 'text' or 'html', not both")
    if record.published is not None:
        try:
            datetime.fromisoformat(record.published.replace("Z", "+00:00"))
        except ValueError:
            raise Rejected(
                422, f"published: {record.published!r} is not an ISO 8601 time"
            ) from None
    for name in ("url", "outlet", "title", "published"):
        value = getattr(record, name)
        if value is not None and any(ord(ch) < 32 for ch in value):
            raise Rejected(422, f"{name}: holds control characters (a line break?)")
    record_id = None if record.id is None else str(record.id).strip() or None
    # the same record gives the same input name: posting it again changes nothing
    name = "api:" + (record_id or record.url or "article")
    return RawDoc(
        input=name[:300],
        kind="record",
        text=text,
        html=html,
        url=record.url or None,
        outlet=record.outlet or None,
        published=record.published or None,
        title=record.title or None,
        record_id=record_id,
        group="api",
    )


def submit(store: Store, doc: RawDoc) -> Outcome:
    with _LOCK:
        if doc.url:
            doc.revises = store.articles_at([doc.url]).get(doc.url)
        cleaned = _clean(store, doc)
        stored = store.load_articles([cleaned.id])
        if stored and stored[0].text == cleaned.text:
            return Outcome(stored[0], _story_of(store, stored[0]), created=False, revised=False)
        done, _ = pipeline.commit_batch([doc], store, [doc.input], pipeline.Progress(), timings={})
        if not done.articles:
            reasons = "; ".join(e.error for e in done.errors) or "the article could not be analyzed"
            raise Rejected(422, reasons)
    article = store.load_articles([done.articles[0].id])[0]
    return Outcome(article, _story_of(store, article), created=not stored, revised=bool(stored))


def _clean(store: Store, doc: RawDoc) -> Article:
    """The article the run will store, cleaned as the run cleans it; an input that
    cleaning refuses is refused here, before any run is recorded."""
    state = store.load_state(pipeline.SITE_STATE)
    model = SiteLines.from_dict(state) if state else SiteLines()
    found, errors = clean_documents([doc], model)
    if not found:
        raise Rejected(422, "; ".join(e.error for e in errors) or "no article text")
    return found[0]


def _story_of(store: Store, article: Article) -> Story | None:
    if not article.story:
        return None
    story_id = store.resolve_story(article.story)
    found = store.load_stories([story_id]) if story_id else []
    return found[0] if found else None


def outcome_json(outcome: Outcome, story: dict[str, Any] | None) -> dict[str, Any]:
    from crosswire.report.build import article_to_dict

    return {
        "created": outcome.created,
        "revised": outcome.revised,
        "article": article_to_dict(outcome.article),
        "story": story,
    }
