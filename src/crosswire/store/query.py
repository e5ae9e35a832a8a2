"""The read side the web app needs: a story list that searches and filters, outlets,
entities and the claims of an outlet, over a search index kept beside the stories.

The index (migration 0008) is one row per story (`story_index`: what a list row shows,
so a page of the list reads 20 small rows and no story JSON), the outlets and entity
names of each story (`story_outlets`, `story_entities`: the filters and the outlet and
entity pages), and a full-text document of its headline, claims and entity names:
an FTS5 table on SQLite, a `tsvector` with a GIN index on PostgreSQL. `index_stories`
rewrites the rows of the stories a save touches, in the save's own transaction, so the
index never lags behind the stories it describes.

The list is ordered by the latest publication among a story's articles (the news
time, what "updated" means to a reader), then by when it was stored, then id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    desc,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Row
from sqlalchemy.sql.selectable import Subquery

from crosswire.model import Story, published_instant
from crosswire.store.schema import articles, claims, stories

if TYPE_CHECKING:
    from crosswire.store.sql import Store

T = TypeVar("T")

# Tables of migration 0008. Their own MetaData: they are created by that migration's DDL
# (an FTS5 table has no SQLAlchemy form), never by `metadata.create_all`.
index_metadata = MetaData()

story_index = Table(
    "story_index",
    index_metadata,
    # the full-text row's id: FTS5 rows are deleted by rowid, never by a scan
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("story", String(40), nullable=False, unique=True),
    Column("headline", Text, nullable=False),
    Column("first_published", String(40)),
    Column("last_published", String(40)),
    Column("first_ts", Float, index=True),
    Column("last_ts", Float, index=True),
    Column("updated_at", String(40), nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Text, nullable=False),  # outlet names, one a line, sorted
    Column("origins", Integer, nullable=False),
    Column("conflicts", Integer, nullable=False, index=True),
    Column("facets", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
)

story_outlets = Table(
    "story_outlets",
    index_metadata,
    Column("story", String(40), primary_key=True),
    Column("outlet", Text, primary_key=True),
    Column("articles", Integer, nullable=False),
)

story_entities = Table(
    "story_entities",
    index_metadata,
    Column("story", String(40), primary_key=True),
    Column("entity", String(80), primary_key=True),
    Column("norm", Text, primary_key=True),  # a name or alias, casefolded, spaces squeezed
    Column("name", Text, nullable=False),  # the entity's name as the story shows it
    Column("type", String(16), nullable=False),
    Column("alias", Integer, nullable=False),  # 1 when `norm` is an alias, not the name
)

# SQLite: an FTS5 table whose rowid is story_index.key; PostgreSQL: a tsvector per key.
story_search_pg = Table(
    "story_search",
    index_metadata,
    Column("key", Integer, primary_key=True),
    Column("document", TSVECTOR, nullable=False),
)

MAX_QUERY_CHARS = 200
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# A story's search document: its headline, claims and entity names. Capped so one
# story with thousands of claims cannot make every search of it slow.
_MAX_DOCUMENT_CHARS = 200_000


def normalize_name(name: str) -> str:
    """How entity names are matched: case and runs of spaces do not count."""
    return _SPACES.sub(" ", name).strip().casefold()


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the story list is narrowed to; every field is optional."""

    q: str | None = None  # full-text words, all of them must match (the last as a prefix)
    outlet: str | None = None
    entity: str | None = None  # an entity's name or alias, case-insensitive
    since: float | None = None  # UTC epoch seconds: an article published at or after
    until: float | None = None  # ... and one at or before
    has_conflicts: bool = False


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    headline: str
    first_published: str | None
    last_published: str | None
    updated_at: str
    articles: int
    outlets: list[str]
    origins: int  # independent reports: articles not copied from one another, per wire
    conflicts: int
    facets: int
    claims: int


@dataclass(frozen=True, slots=True)
class OutletSummary:
    name: str
    stories: int
    articles: int


@dataclass(frozen=True, slots=True)
class EntitySummary:
    name: str
    type: str
    stories: int


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: str
    story: str
    article: str
    text: str
    claimant_name: str | None
    outlet: str | None
    published: str | None
    hedged: bool


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


@dataclass(slots=True)
class EntityNames:
    """What the stories call one entity: its names, aliases and types across them."""

    norm: str
    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


# --- keeping the index ---------------------------------------------------------------


def index_stories(conn: Connection, items: Sequence[Story], gone: Iterable[str] = ()) -> None:
    """Rewrite the index rows of ITEMS and drop those of GONE (stories merged away),
    inside the caller's transaction. Members must be saved already: outlets and
    copies are read from the articles table."""
    owners = sorted({s.id for s in items} | set(gone))
    if not owners:
        return
    postgres = conn.dialect.name == "postgresql"
    for chunk in _chunks(owners, 500):
        keys = list(
            conn.execute(select(story_index.c.key).where(story_index.c.story.in_(chunk))).scalars()
        )
        if keys:
            _delete_documents(conn, keys, postgres)
        for table in (story_index, story_outlets, story_entities):
            conn.execute(delete(table).where(table.c.story.in_(chunk)))
    if not items:
        return
    updated = dict(
        conn.execute(
            select(stories.c.id, stories.c.updated_at).where(
                stories.c.id.in_([s.id for s in items])
            )
        ).all()
    )
    members = _members(conn, [a for s in items for a in s.articles])
    for batch in _chunks(list(items), 200):
        rows = [_index_row(s, members, str(updated.get(s.id, ""))) for s in batch]
        result = conn.execute(
            insert(story_index).returning(
                story_index.c.key, story_index.c.story, sort_by_parameter_order=True
            ),
            rows,
        )
        key_of = {row.story: row.key for row in result}
        documents = [{"key": key_of[s.id], "document": _document(s)} for s in batch]
        if postgres:
            conn.execute(
                insert(story_search_pg).values(
                    key=bindparam("key"),
                    document=func.to_tsvector("english", bindparam("document", type_=Text)),
                ),
                documents,
            )
        else:
            conn.exec_driver_sql(
                "INSERT INTO story_search (rowid, body) VALUES (?, ?)",
                [(d["key"], d["document"]) for d in documents],
            )
        outlet_rows = [
            {"story": s.id, "outlet": name, "articles": n}
            for s in batch
            for name, n in _outlet_counts(s, members).items()
        ]
        entity_rows = [row for s in batch for row in _entity_rows(s)]
        for table, table_rows in ((story_outlets, outlet_rows), (story_entities, entity_rows)):
            for part in _chunks(table_rows, 500):
                conn.execute(insert(table), part)


def rebuild_index(conn: Connection) -> None:
    """Index every stored story (migration 0008 on a store that already holds some)."""
    from crosswire.store.sql import _row_story

    ids = sorted(conn.execute(select(stories.c.id)).scalars())
    for chunk in _chunks(ids, 200):
        rows = conn.execute(select(stories).where(stories.c.id.in_(chunk)))
        index_stories(conn, [_row_story(row._mapping) for row in rows])


def _delete_documents(conn: Connection, keys: list[int], postgres: bool) -> None:
    if postgres:
        conn.execute(delete(story_search_pg).where(story_search_pg.c.key.in_(keys)))
    else:
        marks = ",".join("?" * len(keys))
        conn.exec_driver_sql(f"DELETE FROM story_search WHERE rowid IN ({marks})", tuple(keys))


@dataclass(frozen=True, slots=True)
class _Member:
    outlet: str
    credited: str | None
    duplicate_of: str | None
    published_ts: float | None


def _members(conn: Connection, ids: Sequence[str]) -> dict[str, _Member]:
    found: dict[str, _Member] = {}
    cols = (
        articles.c.id,
        articles.c.outlet,
        articles.c.original_source,
        articles.c.input,
        articles.c.duplicate_of,
        articles.c.published_ts,
    )
    for chunk in _chunks(sorted(set(ids)), 500):
        for row in conn.execute(select(*cols).where(articles.c.id.in_(chunk))):
            found[row.id] = _Member(
                outlet=row.outlet or row.original_source or row.input,
                credited=row.original_source,
                duplicate_of=row.duplicate_of,
                published_ts=row.published_ts,
            )
    return found


def _outlet_counts(story: Story, members: dict[str, _Member]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for article in story.articles:
        member = members.get(article)
        if member is not None:
            counts[member.outlet] = counts.get(member.outlet, 0) + 1
    return counts


def _origins(story: Story, members: dict[str, _Member]) -> int:
    """Independent reports: copies count as their original, and originals crediting one
    wire count as that wire (five outlets running an agency's text are one report)."""
    keys = set()
    for article in story.articles:
        root, seen = article, {article}
        while (
            (m := members.get(root)) is not None and m.duplicate_of and m.duplicate_of not in seen
        ):
            root = m.duplicate_of
            seen.add(root)
        member = members.get(root)
        keys.add(root if member is None else (member.credited or member.outlet))
    return len(keys)


def _index_row(story: Story, members: dict[str, _Member], updated_at: str) -> dict[str, Any]:
    times = [m.published_ts for a in story.articles if (m := members.get(a)) and m.published_ts]
    first = published_instant(story.first_published)
    last = published_instant(story.last_published)
    return {
        "story": story.id,
        "headline": story.headline,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "first_ts": first.timestamp() if first else (min(times) if times else None),
        "last_ts": last.timestamp() if last else (max(times) if times else None),
        "updated_at": updated_at,
        "articles": len(story.articles),
        "outlets": "\n".join(sorted(_outlet_counts(story, members))),
        "origins": _origins(story, members),
        "conflicts": sum(1 for f in story.facets if f.status == "conflicting"),
        "facets": len(story.facets),
        "claims": len(story.claims),
    }


def _document(story: Story) -> str:
    parts = [story.headline]
    for entity in story.entities:
        parts.append(entity.name)
        parts.extend(entity.aliases)
    parts.extend(claim.text for claim in story.claims)
    return "\n".join(parts)[:_MAX_DOCUMENT_CHARS]


def _entity_rows(story: Story) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for entity in story.entities:
        for n, name in enumerate([entity.name, *entity.aliases]):
            norm = normalize_name(name)
            if norm and (entity.id, norm) not in rows:
                rows[(entity.id, norm)] = {
                    "story": story.id,
                    "entity": entity.id,
                    "norm": norm,
                    "name": entity.name,
                    "type": entity.type,
                    "alias": int(n > 0),
                }
    return list(rows.values())


# --- reading -------------------------------------------------------------------------


def fts_tokens(q: str) -> list[str]:
    """The words of a search: letters and digits only, so no query syntax reaches
    either backend's parser ("AND", quotes, a lone '*' are just text or nothing)."""
    return _TOKEN.findall(q[:MAX_QUERY_CHARS])[:16]


def search_stories(
    store: Store, where: StoryFilter, page: int = 1, limit: int = 20
) -> Page[StorySummary]:
    """One page of the story list: filtered, newest news first."""
    conditions: list[Any] = []
    if where.q is not None and where.q.strip():
        tokens = fts_tokens(where.q)
        if not tokens:
            return Page([], 0, page, limit)
        conditions.append(story_index.c.key.in_(_matching_keys(store, tokens)))
    conditions += _named_by(where)
    if where.since is not None:
        conditions.append(story_index.c.last_ts >= where.since)
    if where.until is not None:
        conditions.append(story_index.c.first_ts <= where.until)
    if where.has_conflicts:
        conditions.append(story_index.c.conflicts > 0)
    clause = and_(*conditions) if conditions else None
    count = select(func.count()).select_from(story_index)
    rows = select(story_index).order_by(*_recent_first(store)).limit(limit)
    rows = rows.offset((page - 1) * limit)
    if clause is not None:
        count, rows = count.where(clause), rows.where(clause)
    with store.engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        items = [_summary(row) for row in conn.execute(rows)] if total else []
    return Page(items, total, page, limit)


def _named_by(where: StoryFilter) -> list[Any]:
    """Conditions on the stories an outlet printed or an entity is named in."""
    conditions: list[Any] = []
    if where.outlet:
        conditions.append(
            story_index.c.story.in_(
                select(story_outlets.c.story).where(story_outlets.c.outlet == where.outlet)
            )
        )
    if where.entity:
        conditions.append(
            story_index.c.story.in_(
                select(story_entities.c.story).where(
                    story_entities.c.norm == normalize_name(where.entity)
                )
            )
        )
    return conditions


def _recent_first(store: Store) -> list[Any]:
    last = story_index.c.last_ts
    return [
        desc(last).nulls_last(),
        desc(story_index.c.updated_at),
        story_index.c.story.collate("C") if _postgres(store) else story_index.c.story,
    ]


def _postgres(store: Store) -> bool:
    return store.engine.dialect.name == "postgresql"


def _matching_keys(store: Store, tokens: list[str]) -> Any:
    """The index keys whose document holds every token (the last one as a prefix, so a
    word being typed already matches)."""
    if _postgres(store):
        terms = [f"{t}:*" if i == len(tokens) - 1 else t for i, t in enumerate(tokens)]
        query = func.to_tsquery("english", " & ".join(terms))
        return select(story_search_pg.c.key).where(story_search_pg.c.document.op("@@")(query))
    terms = [f'"{t}"' + ("*" if i == len(tokens) - 1 else "") for i, t in enumerate(tokens)]
    search = Table("story_search", MetaData(), Column("rowid", Integer), Column("body", Text))
    return select(search.c.rowid).where(literal_column("story_search").op("MATCH")(" ".join(terms)))


def _summary(row: Any) -> StorySummary:
    return StorySummary(
        id=row.story,
        headline=row.headline,
        first_published=row.first_published,
        last_published=row.last_published,
        updated_at=row.updated_at,
        articles=row.articles,
        outlets=row.outlets.split("\n") if row.outlets else [],
        origins=row.origins,
        conflicts=row.conflicts,
        facets=row.facets,
        claims=row.claims,
    )


def story_summaries(store: Store, ids: Sequence[str]) -> dict[str, StorySummary]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(story_index).where(story_index.c.story.in_(list(ids))))
        return {row.story: _summary(row) for row in rows}


def list_outlets(
    store: Store, page: int = 1, limit: int = 50, q: str | None = None
) -> Page[OutletSummary]:
    """Outlets by how many stories they are in, most first."""
    stories_n = func.count().label("stories")
    grouped = select(
        story_outlets.c.outlet, stories_n, func.sum(story_outlets.c.articles).label("articles")
    ).group_by(story_outlets.c.outlet)
    if q and q.strip():
        grouped = grouped.where(func.lower(story_outlets.c.outlet).contains(q.strip().lower()))
    return _most_stories_first(
        store,
        grouped.subquery(),
        "outlet",
        page,
        limit,
        lambda r: OutletSummary(r.outlet, int(r.stories), int(r.articles or 0)),
    )


def list_entities(
    store: Store, page: int = 1, limit: int = 50, q: str | None = None
) -> Page[EntitySummary]:
    """Entity names (not aliases) by how many stories name them, most first; Q narrows
    to names holding it."""
    grouped = (
        select(
            story_entities.c.norm,
            func.min(story_entities.c.name).label("name"),
            func.min(story_entities.c.type).label("type"),
            func.count(story_entities.c.story.distinct()).label("stories"),
        )
        .where(story_entities.c.alias == 0)
        .group_by(story_entities.c.norm)
    )
    if q and q.strip():
        grouped = grouped.where(story_entities.c.norm.contains(normalize_name(q), autoescape=True))
    return _most_stories_first(
        store,
        grouped.subquery(),
        "norm",
        page,
        limit,
        lambda r: EntitySummary(r.name, r.type, int(r.stories)),
    )


def _most_stories_first(
    store: Store,
    sub: Subquery,
    tie: str,
    page: int,
    limit: int,
    item: Callable[[Row[Any]], T],
) -> Page[T]:
    """One page of SUB's rows (each with a `stories` count), most stories first, ties by
    the column TIE, with the count of all rows."""
    rows = (
        select(sub)
        .order_by(desc(sub.c.stories), sub.c[tie])
        .limit(limit)
        .offset((page - 1) * limit)
    )
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(sub)).scalar_one())
        items = [item(r) for r in conn.execute(rows)]
    return Page(items, total, page, limit)


def entity_names(store: Store, name: str) -> EntityNames | None:
    """The names, aliases and types the stories give the entity called NAME."""
    norm = normalize_name(name)
    if not norm:
        return None
    found = EntityNames(norm)
    with store.engine.connect() as conn:
        entity_ids = (
            select(story_entities.c.entity).where(story_entities.c.norm == norm).limit(500)
        ).subquery()
        rows = conn.execute(
            select(
                story_entities.c.norm,
                story_entities.c.name,
                story_entities.c.type,
                story_entities.c.alias,
            )
            .where(story_entities.c.entity.in_(select(entity_ids.c.entity)))
            .limit(5000)
        ).all()
    if not rows:
        return None
    names: dict[str, None] = {}
    aliases: dict[str, None] = {}
    types: dict[str, None] = {}
    for row in rows:
        names[row.name] = None
        types[row.type] = None
        if row.alias:
            aliases[row.norm] = None
    found.names = sorted(names)
    found.aliases = sorted(set(aliases) - {normalize_name(n) for n in names})
    found.types = sorted(types)
    return found


def story_entity_ids(store: Store, story_ids: Sequence[str], name: str) -> dict[str, set[str]]:
    """Per story, the ids of the entities called NAME (or aliased so) there."""
    found: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(story_entities.c.story, story_entities.c.entity).where(
                story_entities.c.norm == normalize_name(name),
                story_entities.c.story.in_(list(story_ids)),
            )
        )
        for row in rows:
            found.setdefault(row.story, set()).add(row.entity)
    return found


def outlet_claims(store: Store, outlet: str, page: int = 1, limit: int = 50) -> Page[ClaimRow]:
    """The claims an outlet printed, newest first."""
    where = claims.c.outlet == outlet
    query = (
        select(
            claims.c.id,
            claims.c.story,
            claims.c.article,
            claims.c.text,
            claims.c.claimant_name,
            claims.c.outlet,
            claims.c.published,
            claims.c.hedged,
        )
        .where(where)
        .order_by(desc(claims.c.published_ts).nulls_last(), claims.c.id)
        .limit(limit)
        .offset((page - 1) * limit)
    )
    with store.engine.connect() as conn:
        total = int(
            conn.execute(select(func.count()).select_from(claims).where(where)).scalar_one()
        )
        items = [
            ClaimRow(
                r.id,
                r.story,
                r.article,
                r.text,
                r.claimant_name,
                r.outlet,
                r.published,
                bool(r.hedged),
            )
            for r in conn.execute(query)
        ]
    return Page(items, total, page, limit)


def story_times(store: Store, where: StoryFilter, cap: int = 5000) -> list[float]:
    """The first publication time of the stories WHERE selects (newest CAP), for a
    chart of them over time."""
    conditions: list[Any] = [story_index.c.first_ts.is_not(None)]
    conditions += _named_by(where)
    query = (
        select(story_index.c.first_ts)
        .where(and_(*conditions))
        .order_by(desc(story_index.c.first_ts))
        .limit(cap)
    )
    with store.engine.connect() as conn:
        return [float(t) for t in conn.execute(query).scalars()]


def outlet_exists(store: Store, outlet: str) -> bool:
    with store.engine.connect() as conn:
        query = select(story_outlets.c.story).where(story_outlets.c.outlet == outlet).limit(1)
        return conn.execute(query).first() is not None


def stories_changed_since(
    store: Store, since: float, page: int = 1, limit: int = 20
) -> Page[StorySummary]:
    """Stories with an article published after SINCE, newest first: the only ones
    whose claims can have changed since then."""
    return search_stories(store, StoryFilter(since=since), page, limit)


def _chunks(rows: Sequence[T], size: int) -> Iterable[list[T]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


_STORY_KEYS = ("entities", "claims", "facets", "brief", "outlets")


def story_dicts(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stories as the report contract gives them (`report.build.story_to_dict`'s
    object), read straight from the stored JSON: the detail column already holds the
    plain form, so no dataclasses are built and taken apart again (for a page view
    that is most of the time a story takes to load). The span is the stored one: the
    pipeline always sets it."""
    found: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(sorted(set(ids)), 500):
            for row in conn.execute(select(stories).where(stories.c.id.in_(chunk))):
                detail = row.detail
                story: dict[str, Any] = {
                    "id": row.id,
                    "headline": row.headline,
                    "articles": list(detail.get("articles", [])),
                    "first_published": row.first_published,
                    "last_published": row.last_published,
                }
                for key in _STORY_KEYS:
                    story[key] = detail.get(key, [])
                if detail.get("merged_from"):
                    story["merged_from"] = list(detail["merged_from"])
                found[row.id] = story
    return found
