"""The store: the only code that speaks SQL (SQLAlchemy 2 Core; SQLite by default).

Articles are keyed by their content-derived id, so ingesting the same article twice
stores it once; what later stages decide about it (copy of, story) is updated in place
while `first_seen` keeps the time it first arrived.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    Text,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from crosswire.dedup import content_hash
from crosswire.model import (
    Article,
    ArticleRevision,
    Claim,
    Entity,
    Facet,
    InputError,
    Provenance,
    Quantity,
    Revision,
    Story,
    from_dict,
    published_instant,
    to_plain,
)
from crosswire.store.query import index_stories
from crosswire.store.schema import (
    article_revisions,
    articles,
    claims,
    entities,
    facets,
    input_errors,
    quantities,
    runs,
    stage_state,
    stories,
    story_aliases,
)

T = TypeVar("T")
_MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 300.0
# The PostgreSQL advisory lock every writer takes (see `_write`): one key for all processes.
PG_WRITE_LOCK = 0x63727373  # "crss"


class StateConflict(RuntimeError):
    """Another writer saved these stage states after this run loaded them."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(f"stage states saved by another run meanwhile: {', '.join(names)}")
        self.names = list(names)


def default_url() -> str:
    """`$CROSSWIRE_DB`, else the per-user data folder (XDG), as DESIGN.md sets."""
    if env := os.environ.get("CROSSWIRE_DB"):
        return env
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'crosswire' / 'crosswire.db'}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine: Engine = _make_engine(self.url)
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to head. Holding the write lock throughout makes two runs
        that start at once on a fresh store take turns: the second finds it migrated."""
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self._write() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction, one writer at a time on either backend. On SQLite it
        takes the write lock when it starts (BEGIN IMMEDIATE), so a second writer waits
        for it (busy timeout) instead of failing when a read lock cannot be upgraded.
        On PostgreSQL a transaction-scoped advisory lock does the same: two runs
        migrating a fresh database would both create the tables, and a run's merge of
        stored stories must not interleave with another run's."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
                yield conn

    def begin_run(self, inputs: Sequence[str]) -> int:
        with self._write() as conn:
            result = conn.execute(insert(runs).values(started_at=_now(), inputs=list(inputs)))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self._write() as conn:
            conn.execute(
                update(runs).where(runs.c.id == run_id).values(finished_at=_now(), summary=summary)
            )

    def save_run(
        self,
        run_id: int,
        items: Sequence[Article],
        story_items: Sequence[Story],
        errors: Iterable[InputError],
        replaced: Mapping[str, str] | None = None,
        states: Mapping[str, dict[str, Any]] | None = None,
        versions: Mapping[str, int] | None = None,
    ) -> int:
        """Save what one run decided in one transaction, so that a run killed half way
        leaves the store as it was: articles, stories (`replaced`: stored story ids
        merged into a story of this run), errors, and the state each incremental stage
        keeps (`states`: stage name -> its state). Return how many articles were new.

        `versions` are the state versions the run started from (`load_state_version`):
        when another writer saved a state since, nothing is written and `StateConflict`
        is raised, so that the run decides again on what the other one left instead
        of replacing it."""
        with self._write() as conn:
            if versions:
                self._check_versions(conn, versions)
            new = self._save_articles(conn, items, run_id)
            self._save_stories(conn, story_items, replaced or {})
            self._save_errors(conn, run_id, errors)
            self._save_states(conn, states or {})
        return new

    def save_state(self, name: str, state: dict[str, Any]) -> None:
        """Keep STATE for stage NAME outside a run (what a run learns before its first
        micro-batch); `save_run` writes the states a run ends with."""
        with self._write() as conn:
            self._save_states(conn, {name: state})

    def load_state(self, name: str) -> dict[str, Any] | None:
        """The state stage NAME saved with the last run, None before its first."""
        return self.load_state_version(name)[0]

    def load_state_version(self, name: str) -> tuple[dict[str, Any] | None, int]:
        """The state of stage NAME and its version (0 before its first save), read
        together so that the version is the one of that state."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(stage_state.c.state, stage_state.c.version).where(stage_state.c.name == name)
            ).first()
        return (None, 0) if row is None else (dict(row.state), int(row.version))

    def state_version(self, name: str) -> int:
        """The version of stage NAME's state (0 before its first save), without the
        state: what a writer holding that state in memory needs to know it still may."""
        with self.engine.connect() as conn:
            version = conn.execute(
                select(stage_state.c.version).where(stage_state.c.name == name)
            ).scalar()
        return 0 if version is None else int(version)

    def _check_versions(self, conn: Connection, versions: Mapping[str, int]) -> None:
        stored = dict(
            conn.execute(
                select(stage_state.c.name, stage_state.c.version).where(
                    stage_state.c.name.in_(list(versions))
                )
            ).all()
        )
        moved = sorted(n for n, v in versions.items() if int(stored.get(n, 0)) != v)
        if moved:
            raise StateConflict(moved)

    def _save_states(self, conn: Connection, states: Mapping[str, dict[str, Any]]) -> None:
        if not states:
            return
        stmt = self._upsert(stage_state)
        stmt = stmt.on_conflict_do_update(
            index_elements=[stage_state.c.name],
            set_={
                "state": stmt.excluded.state,
                "updated_at": stmt.excluded.updated_at,
                "version": stage_state.c.version + 1,
            },
        )
        now = _now()
        rows = [
            {"name": n, "state": st, "updated_at": now, "version": 1}
            for n, st in sorted(states.items())
        ]
        conn.execute(stmt, rows)

    def save_articles(self, items: Sequence[Article], run_id: int | None = None) -> int:
        """Upsert articles; return how many were new to the store."""
        with self._write() as conn:
            return self._save_articles(conn, items, run_id)

    def save_stories(
        self, items: Sequence[Story], replaced: Mapping[str, str] | None = None
    ) -> None:
        """Upsert stories; their entities, claims and facets are replaced as a whole,
        since a later run may regroup them. `replaced` maps stored story ids merged
        into one of ITEMS to its id: those stories go, and their ids resolve to it."""
        with self._write() as conn:
            self._save_stories(conn, items, replaced or {})

    def save_errors(self, run_id: int, errors: Iterable[InputError]) -> None:
        with self._write() as conn:
            self._save_errors(conn, run_id, errors)

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The stored story of each of ARTICLE_IDS that is stored in one."""
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(article_ids, 500):
                query = select(articles.c.id, articles.c.story).where(
                    articles.c.id.in_(chunk), articles.c.story.is_not(None)
                )
                found.update({row.id: row.story for row in conn.execute(query)})
        return found

    def story_members(self, story_ids: Sequence[str], known: Collection[str] = ()) -> list[Article]:
        """The stored articles of the given stories, but for the ids in KNOWN (a run
        already holds those: re-analyzing a folder reads no stored text again)."""
        ids: list[str] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(story_ids)), 500):
                query = select(articles.c.id).where(articles.c.story.in_(chunk))
                ids.extend(i for i in conn.execute(query).scalars() if i not in known)
        # in one order on every backend (rows come back in whatever order the server
        # scanned them), so the chunks below hold the same articles
        ids.sort()
        found: list[Article] = []
        for id_chunk in _chunks(ids, 500):
            found.extend(self.load_articles(id_chunk))
        return found

    def stories_between(self, start: float, end: float) -> list[str]:
        """The stories holding an article published between START and END (UTC epoch
        seconds): what an article that arrives late could belong to."""
        query = (
            select(articles.c.story)
            .where(
                articles.c.published_ts >= start,
                articles.c.published_ts <= end,
                articles.c.story.is_not(None),
            )
            .distinct()
        )
        with self.engine.connect() as conn:
            return sorted(s for s in conn.execute(query).scalars() if s is not None)

    def articles_at(self, urls: Sequence[str]) -> dict[str, str]:
        """The stored article at each of URLS (the latest seen when several were), by URL:
        a page fetched again at its URL is a new version of that article."""
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(urls), 500):
                query = (
                    select(articles.c.url, articles.c.id)
                    .where(articles.c.url.in_(chunk))
                    .order_by(articles.c.first_seen)
                )
                found.update((row.url, row.id) for row in conn.execute(query))
        return found

    def claims_before(self, ids: Sequence[str]) -> dict[str, tuple[list[Claim], str | None]]:
        """The stored claims of each article of IDS, and since when its stored text has
        stood (its last revision, else when it was first seen): what a revision of it
        replaces."""
        found: dict[str, tuple[list[Claim], str | None]] = {}
        story_of = self.stories_of(ids)
        if not story_of:
            return found
        with self.engine.connect() as conn:
            since = dict(
                conn.execute(
                    select(articles.c.id, articles.c.first_seen).where(
                        articles.c.id.in_(list(story_of))
                    )
                ).all()
            )
            for article, revisions in self._revisions(conn, list(story_of)).items():
                since[article] = revisions[-1].at
        for story in self.load_stories(sorted(set(story_of.values()))):
            for claim in story.claims:
                if claim.article in story_of:
                    found.setdefault(claim.article, ([], since.get(claim.article)))[0].append(claim)
        return found

    def stored_revisions(self, story_ids: Sequence[str]) -> list[Revision]:
        """The revisions the stored facets of STORY_IDS show (a story about to be
        compared again: what its articles' edits revised must outlive the rebuild)."""
        found: list[Revision] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(story_ids)), 500):
                # only facets that show a revision are decoded: most show none
                query = select(facets.c.detail).where(
                    facets.c.story.in_(chunk), cast(facets.c.detail, Text).contains('"old_claim"')
                )
                for (detail,) in conn.execute(query):
                    found.extend(Revision(**r) for r in detail.get("revisions") or ())
        return found

    def resolve_story(self, story_id: str) -> str | None:
        """The id a story is known by now (following merges), None if never stored."""
        with self.engine.connect() as conn:
            seen = {story_id}
            while True:
                if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first():
                    return story_id
                target = conn.execute(
                    select(story_aliases.c.story).where(story_aliases.c.id == story_id)
                ).scalar_one_or_none()
                if target is None or target in seen:
                    return None
                seen.add(target)
                story_id = target

    def _save_articles(self, conn: Connection, items: Sequence[Article], run_id: int | None) -> int:
        if not items:
            return 0
        now = _now()
        self._save_revisions(conn, [a for a in items if a.revised], now)
        rows = [_article_row(a, now, run_id) for a in items]
        mutable = ("duplicate_of", "similarity", "story", "input")
        before = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        stmt = self._upsert(articles)
        # Only what later stages decide may change; first_seen/first_run stay.
        stmt = stmt.on_conflict_do_update(
            index_elements=[articles.c.id],
            set_={name: getattr(stmt.excluded, name) for name in mutable},
        )
        for chunk in _chunks(rows, 500):
            conn.execute(stmt, chunk)
        after = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        return int(after - before)

    def _save_revisions(self, conn: Connection, items: Sequence[Article], now: str) -> None:
        """A revised article's stored text, kept with its diff to the new one, before the
        new text (and what the page now says about it) takes its row. A revision whose
        text is what is stored already changes nothing."""
        if not items:
            return
        by_id = {a.id: a for a in items}
        stored = conn.execute(
            select(articles.c.id, articles.c.text, articles.c.published).where(
                articles.c.id.in_(list(by_id))
            )
        ).all()
        changed = [(row, by_id[row.id]) for row in stored if row.text != by_id[row.id].text]
        if not changed:
            return
        conn.execute(
            insert(article_revisions),
            [
                {
                    "article": new.id,
                    "at": now,
                    "previous_text": row.text,
                    "previous_published": row.published,
                    "diff": text_diff(row.text, new.text),
                }
                for row, new in changed
            ],
        )
        for _, new in changed:
            values = _article_row(new, now, None)
            conn.execute(
                update(articles)
                .where(articles.c.id == new.id)
                .values({name: values[name] for name in _CONTENT})
            )
        kept = self._revisions(conn, [new.id for _, new in changed])
        for _, new in changed:
            new.revisions = kept.get(new.id, [])

    def _revisions(self, conn: Connection, ids: Sequence[str]) -> dict[str, list[ArticleRevision]]:
        found: dict[str, list[ArticleRevision]] = {}
        for chunk in _chunks(list(ids), 500):
            rows = conn.execute(
                select(article_revisions)
                .where(article_revisions.c.article.in_(chunk))
                .order_by(article_revisions.c.id)
            )
            for row in rows:
                found.setdefault(row.article, []).append(ArticleRevision(row.at, row.diff))
        return found

    def _save_stories(
        self, conn: Connection, items: Sequence[Story], replaced: Mapping[str, str]
    ) -> None:
        if not items and not replaced:
            return
        now = _now()
        rows = [
            {
                "id": s.id,
                "headline": s.headline,
                "first_published": s.first_published,
                "last_published": s.last_published,
                "detail": _story_detail(s),
                "updated_at": now,
            }
            for s in items
        ]
        stmt = self._upsert(stories)
        stmt = stmt.on_conflict_do_update(
            index_elements=[stories.c.id],
            set_={
                name: getattr(stmt.excluded, name)
                for name in (
                    "headline",
                    "first_published",
                    "last_published",
                    "detail",
                    "updated_at",
                )
            },
        )
        for chunk in _chunks(rows, 500):
            conn.execute(stmt, chunk)
        gone = sorted(set(replaced) - {s.id for s in items})
        for id_chunk in _chunks(gone, 500):
            conn.execute(delete(stories).where(stories.c.id.in_(id_chunk)))
        if replaced:
            alias = self._upsert(story_aliases)
            alias = alias.on_conflict_do_update(
                index_elements=[story_aliases.c.id],
                set_={"story": alias.excluded.story, "merged_at": alias.excluded.merged_at},
            )
            alias_rows = [
                {"id": old, "story": new, "merged_at": now} for old, new in sorted(replaced.items())
            ]
            for alias_chunk in _chunks(alias_rows, 500):
                conn.execute(alias, alias_chunk)
            # earlier aliases of a merged story follow it to its new id
            for old, new in sorted(replaced.items()):
                conn.execute(
                    update(story_aliases).where(story_aliases.c.story == old).values(story=new)
                )
        # A story that reappears under its own id is no alias of another any more.
        for id_chunk in _chunks([s.id for s in items], 500):
            conn.execute(delete(story_aliases).where(story_aliases.c.id.in_(id_chunk)))
        # Child rows go by story (this run's and the merged ones) and by article: a
        # claim id is its article's, so a claim whose article moved to another story
        # must leave its old story's rows before it can be written under the new one.
        owners = [s.id for s in items] + gone
        members = [a for s in items for a in s.articles]
        for table in (entities, claims, quantities, facets):
            for id_chunk in _chunks(owners, 500):
                conn.execute(delete(table).where(table.c.story.in_(id_chunk)))
        for id_chunk in _chunks(members, 500):
            moved = select(claims.c.id).where(claims.c.article.in_(id_chunk))
            conn.execute(delete(quantities).where(quantities.c.claim.in_(moved)))
            conn.execute(delete(claims).where(claims.c.article.in_(id_chunk)))
        for table, child_rows in (
            (entities, [_entity_row(s.id, e) for s in items for e in s.entities]),
            (claims, [_claim_row(s.id, c) for s in items for c in s.claims]),
            (
                quantities,
                [
                    _quantity_row(s.id, c.id, n, q)
                    for s in items
                    for c in s.claims
                    for n, q in enumerate(c.quantities)
                ],
            ),
            (facets, [_facet_row(s.id, f) for s in items for f in s.facets]),
        ):
            for chunk in _chunks(child_rows, 500):
                conn.execute(insert(table), chunk)
        # the web's story list and search read this index; it changes with the stories
        index_stories(conn, items, gone)

    def _save_errors(self, conn: Connection, run_id: int, errors: Iterable[InputError]) -> None:
        rows = [{"run_id": run_id, "input": e.input, "error": e.error} for e in errors]
        for chunk in _chunks(rows, 500):
            conn.execute(insert(input_errors), chunk)

    def load_stories(self, ids: Sequence[str] | None = None) -> list[Story]:
        """Stories as saved, with entities, claims, facets and brief."""
        query = select(stories).order_by(*self._order(stories.c.first_published, stories.c.id))
        if ids is not None:
            query = query.where(stories.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [_row_story(row._mapping) for row in conn.execute(query)]

    def count(self, table: str) -> int:
        t = {
            "articles": articles,
            "stories": stories,
            "runs": runs,
            "errors": input_errors,
            "entities": entities,
            "claims": claims,
            "quantities": quantities,
            "facets": facets,
            "story_aliases": story_aliases,
            "article_revisions": article_revisions,
        }[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())

    def last_run_errors(self) -> list[InputError]:
        """The inputs the most recent run reported (what its report listed)."""
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(runs.c.id))).scalar_one_or_none()
            if last is None:
                return []
            query = (
                select(input_errors.c.input, input_errors.c.error)
                .where(input_errors.c.run_id == last)
                .order_by(input_errors.c.id)
            )
            return [InputError(row.input, row.error) for row in conn.execute(query)]

    def load_articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        query = select(articles).order_by(*self._order(articles.c.published_ts, articles.c.id))
        if ids is not None:
            query = query.where(articles.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            loaded = [_row_article(row._mapping) for row in conn.execute(query)]
            if conn.execute(select(func.count()).select_from(article_revisions)).scalar_one():
                revisions = self._revisions(conn, [a.id for a in loaded])
                for article in loaded:
                    article.revisions = revisions.get(article.id, [])
        return loaded

    def _order(self, *columns: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        """ORDER BY terms that give SQLite's order on every backend: NULL first, text by
        code point. A PostgreSQL server sorts NULL last and text by its collation
        (en_US or ICU put "-05:00" before "+00:00"), so loads would come back in
        another order than on SQLite."""
        postgres = self.engine.dialect.name == "postgresql"
        return [
            (c.collate("C") if postgres and isinstance(c.type, String) else c).nulls_first()
            for c in columns
        ]

    def _upsert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        parsed = make_url(url)
        # SQLAlchemy's default driver for postgresql:// is psycopg2; psycopg 3 is the one
        # crosswire depends on
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # A writer waits this long for another's lock (SQLite retries in its busy handler)
    # before giving up: a second run waits for the first to commit.
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would BEGIN lazily and never IMMEDIATE;
        # transactions are begun below instead (SQLAlchemy's documented recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # WAL lets the web app read while a run writes; NORMAL sync is safe under WAL.
        _set_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _set_wal(cur: sqlite3.Cursor) -> None:
    """Switch to WAL, waiting as a writer waits for a lock. Two processes opening a fresh
    store at once can both ask: SQLite answers one "database is locked" at once instead
    of calling its busy handler, so the switch is tried again until the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


WAL_RETRY_S = 0.05


# what a revision replaces in an article's row (the text and what was read with it)
_CONTENT = (
    *("url", "outlet", "original_source", "title", "byline", "published", "published_ts"),
    *("dateline", "language", "text", "content_hash", "removed", "provenance"),
)


def text_diff(old: str, new: str) -> str:
    """Unified diff, line by line, from OLD to NEW (what a reader of the revision sees)."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=1
    )
    return "\n".join(lines)


def _chunks(rows: Sequence[T], size: int) -> Iterable[list[T]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


def _article_row(a: Article, now: str, run_id: int | None) -> dict[str, Any]:
    moment = published_instant(a.published)
    return {
        "id": a.id,
        "input": a.input,
        "url": a.url,
        "outlet": a.outlet,
        "original_source": a.original_source,
        "title": a.title,
        "byline": a.byline,
        "published": a.published,
        "published_ts": None if moment is None else moment.timestamp(),
        "dateline": a.dateline,
        "language": a.language,
        "text": a.text,
        "content_hash": content_hash(a.text),
        "removed": list(a.removed),
        "provenance": {k: v.to_dict() for k, v in sorted(a.provenance.items())},
        "duplicate_of": a.duplicate_of,
        "similarity": a.similarity,
        "story": a.story,
        "first_seen": now,
        "first_run": run_id,
    }


def _row_article(row: Any) -> Article:
    return Article(
        id=row["id"],
        input=row["input"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        original_source=row["original_source"],
        title=row["title"],
        byline=row["byline"],
        published=row["published"],
        dateline=row["dateline"],
        language=row["language"],
        removed=list(row["removed"]),
        provenance={k: Provenance(**v) for k, v in row["provenance"].items()},
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        story=row["story"],
    )


def _story_detail(story: Story) -> dict[str, Any]:
    detail: dict[str, Any] = to_plain(story)
    for name in ("id", "headline", "first_published", "last_published"):
        detail.pop(name)
    return detail


def _row_story(row: Any) -> Story:
    data = dict(row["detail"])
    data.update(
        id=row["id"],
        headline=row["headline"],
        first_published=row["first_published"],
        last_published=row["last_published"],
    )
    return from_dict(Story, data)


def _entity_row(story: str, e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "story": story,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "articles": list(e.articles),
    }


def _claim_row(story: str, c: Claim) -> dict[str, Any]:
    moment = published_instant(c.published)
    # the rest of the claim; quantities have their own table
    detail = {
        "via": list(c.via),
        "hedge": c.hedge,
        "entities": list(c.entities),
        "time": None if c.time is None else to_plain(c.time),
    }
    return {
        "id": c.id,
        "story": story,
        "article": c.article,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "claimant": c.claimant,
        "claimant_name": c.claimant_name,
        "cue": c.cue,
        "hedged": int(c.hedged),
        "origin": c.origin,
        "copy_of": c.copy_of,
        "outlet": c.outlet,
        "published": c.published,
        "published_ts": None if moment is None else moment.timestamp(),
        "time_start": c.time.start if c.time else None,
        "time_end": c.time.end if c.time else None,
        "detail": detail,
    }


def _quantity_row(story: str, claim: str, n: int, q: Quantity) -> dict[str, Any]:
    return {
        "claim": claim,
        "n": n,
        "story": story,
        "text": q.text,
        "low": q.low,
        "high": q.high,
        "approximate": int(q.approximate),
        "unit": q.unit,
        "kind": q.kind,
        "subject": q.subject,
    }


def _facet_row(story: str, f: Facet) -> dict[str, Any]:
    return {
        "id": f.id,
        "story": story,
        "label": f.label,
        "status": f.status,
        "independent_origins": f.independent_origins,
        "claims": list(f.claims),
        "detail": to_plain(f),
    }
