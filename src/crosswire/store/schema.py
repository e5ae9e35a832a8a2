"""Table definitions (SQLAlchemy Core). Migrations under `migrations/` create and evolve them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("inputs", JSON, nullable=False),
    Column("summary", JSON),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("input", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("original_source", Text),
    Column("title", Text),
    Column("byline", Text),
    Column("published", String(40)),
    # UTC epoch seconds of `published`, so time windows and --since are index range scans
    Column("published_ts", Float, index=True),
    Column("dateline", Text),
    Column("language", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(16), nullable=False, index=True),
    Column("removed", JSON, nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("duplicate_of", String(40), index=True),
    Column("similarity", Float),
    Column("story", String(40), index=True),
    Column("first_seen", String(40), nullable=False),
    Column("first_run", Integer, ForeignKey("runs.id")),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("first_published", String(40)),
    Column("last_published", String(40)),
    # entities, claims, facets and brief as the report serialises them; stage 5/6
    # tables can normalise these later without changing the report
    Column("detail", JSON, nullable=False),
    Column("updated_at", String(40), nullable=False),
)

# A story id merged into another (a story that gained an earlier member, or two that
# turned out to be one) keeps resolving: links and bookmarks to it stay good.
story_aliases = Table(
    "story_aliases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("story", String(40), nullable=False, index=True),
    Column("merged_at", String(40), nullable=False),
)

input_errors = Table(
    "input_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False, index=True),
    Column("input", Text, nullable=False),
    Column("error", Text, nullable=False),
)

# Stage 5 and 6, one row per thing so they can be queried ("every figure of kind
# 'killed' since Monday"); the story's `detail` keeps the full nested form.
entities = Table(
    "entities",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("story", String(40), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("articles", JSON, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("story", String(40), nullable=False, index=True),
    Column("article", String(40), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("claimant", Text),
    Column("claimant_name", Text),
    Column("cue", Text),
    Column("hedged", Integer, nullable=False),
    Column("origin", Text, index=True),
    Column("copy_of", String(80)),
    Column("outlet", Text),
    Column("published", String(40)),
    Column("published_ts", Float, index=True),
    Column("time_start", String(40)),
    Column("time_end", String(40)),
    Column("detail", JSON, nullable=False),
)

quantities = Table(
    "quantities",
    metadata,
    Column("claim", String(80), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("story", String(40), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("low", Float),
    Column("high", Float),
    Column("approximate", Integer, nullable=False),
    Column("unit", String(16)),
    Column("kind", Text, index=True),
    Column("subject", Text),
)

facets = Table(
    "facets",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("story", String(40), nullable=False, index=True),
    Column("label", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("independent_origins", Integer, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("detail", JSON, nullable=False),
)

# What an incremental stage keeps between runs (the story index: document counts, the
# active stories' members and links), one JSON document per stage, written in the same
# transaction as the run it follows from, so a killed run leaves the last one whole.
stage_state = Table(
    "stage_state",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_at", String(40), nullable=False),
    # bumped by every save: a run saves over the version it loaded, or not at all
    Column("version", Integer, nullable=False, server_default="0"),
)

# Live sources (`crosswire watch`, `crosswire add`): a feed's fetch state and health, so a
# restart carries on where it stopped and `crosswire feeds` can say how each one fares.
# `next_fetch` is UTC epoch seconds; a failing feed keeps its row and backs off, it is
# never dropped.
feeds = Table(
    "feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("outlet", Text),
    Column("title", Text),
    Column("added_at", String(40), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(32)),
    Column("last_fetch", String(40)),
    Column("last_success", String(40)),
    Column("last_error", Text),
    Column("last_error_at", String(40)),
    Column("errors_in_row", Integer, nullable=False, server_default="0"),
    Column("next_fetch", Float, nullable=False, server_default="0"),
    Column("articles", Integer, nullable=False, server_default="0"),
)

# One row per feed entry ever seen (guid, else link, else a hash of title and content):
# an entry seen again with the same text is skipped, with other text it is a revision.
entries = Table(
    "entries",
    metadata,
    Column("feed", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("url", Text),
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("article", String(40)),
)

# Files a watched folder has handed to the engine, with the size and mtime they had:
# a file is read again only when either changes.
seen_files = Table(
    "seen_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("seen_at", String(40), nullable=False),
)

# The texts an article had before a revision replaced them (a feed entry or page edited
# in place keeps its article id), with the unified diff to the text that followed.
article_revisions = Table(
    "article_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article", String(40), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("previous_text", Text, nullable=False),
    Column("previous_published", String(40)),
    Column("diff", Text, nullable=False),
)
