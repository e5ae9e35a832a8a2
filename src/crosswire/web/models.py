"""The API's response shapes, for its OpenAPI document (and so for /docs and for
schemathesis). They restate the report contract's objects (`report.schema.json`:
story, article, claim, facet, entity) with its required fields; extra fields are
allowed, as the contract allows them. Handlers return the report's own dicts
(`report.build`), so these models describe, they do not convert."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Quantity(_Open):
    text: str
    low: float | None
    high: float | None
    kind: str | None
    approximate: bool = False
    unit: str | None = None


class Claim(_Open):
    id: str
    article: str
    text: str
    start: int
    end: int
    claimant: str | None
    claimant_name: str | None = None
    via: list[str] = []
    cue: str | None = None
    hedged: bool = False
    quantities: list[Quantity]
    time: dict[str, Any] | None = None


class Entity(_Open):
    id: str
    name: str
    type: str
    aliases: list[str]
    articles: list[str] = []


class Facet(_Open):
    id: str
    label: str
    claims: list[str]
    status: Literal["agreed", "conflicting", "complementary", "single-source"]
    independent_origins: int


class BriefSentence(_Open):
    text: str
    claims: list[str]


class Story(_Open):
    id: str
    headline: str
    articles: list[str]
    first_published: str | None = None
    last_published: str | None = None
    entities: list[Entity]
    claims: list[Claim]
    facets: list[Facet]
    brief: list[BriefSentence] = []


class Article(_Open):
    id: str
    input: str
    url: str | None = None
    outlet: str | None
    original_source: str | None
    title: str | None
    byline: str | None = None
    published: str | None
    dateline: str | None = None
    language: str
    text: str
    removed: list[str]
    provenance: dict[str, Any] = {}
    duplicate_of: str | None
    similarity: float | None = None
    story: str | None


class StorySummary(_Open):
    id: str
    headline: str
    first_published: str | None
    last_published: str | None
    updated_at: str
    article_count: int
    outlets: list[str]
    independent_origins: int
    conflicts: int
    facet_count: int
    claim_count: int
    url: str
    html_url: str


class _Paged(_Open):
    page: int
    limit: int
    total: int
    pages: int


class StoryList(_Paged):
    stories: list[StorySummary | Story]


class StoryClaims(_Open):
    story: str
    claims: list[Claim]


class StoryFacets(_Open):
    story: str
    facets: list[Facet]


class EntitySummary(_Open):
    name: str
    type: str
    stories: int
    html_url: str


class EntityList(_Paged):
    entities: list[EntitySummary]


class OutletSummary(_Open):
    name: str
    stories: int
    articles: int
    html_url: str


class OutletList(_Paged):
    outlets: list[OutletSummary]


class StoryChanges(_Open):
    id: str
    headline: str
    changes: dict[str, Any]


class ChangeList(_Paged):
    since: str
    stories: list[StoryChanges]


class Submitted(_Open):
    created: bool
    revised: bool
    article: Article
    story: Story | None


class Problem(_Open):
    detail: str | list[Any]
