"""Search: a row per story for the story list, its outlets and entity names for the
filters, and a full-text document (SQLite FTS5, PostgreSQL tsvector + GIN) of its
headline, claims and entities. Stories already stored are indexed here.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from crosswire.store.query import rebuild_index

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_index",
        sa.Column("key", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("story", sa.String(40), nullable=False, unique=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("first_published", sa.String(40)),
        sa.Column("last_published", sa.String(40)),
        sa.Column("first_ts", sa.Float, index=True),
        sa.Column("last_ts", sa.Float, index=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("outlets", sa.Text, nullable=False),
        sa.Column("origins", sa.Integer, nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False, index=True),
        sa.Column("facets", sa.Integer, nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
    )
    op.create_table(
        "story_outlets",
        sa.Column("story", sa.String(40), primary_key=True),
        sa.Column("outlet", sa.Text, primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_outlets_outlet", "story_outlets", ["outlet"])
    op.create_table(
        "story_entities",
        sa.Column("story", sa.String(40), primary_key=True),
        sa.Column("entity", sa.String(80), primary_key=True),
        sa.Column("norm", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("alias", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_entities_norm", "story_entities", ["norm"])
    op.create_index("ix_story_entities_entity", "story_entities", ["entity"])
    # the outlet page lists an outlet's claims newest first
    op.create_index("ix_claims_outlet_ts", "claims", ["outlet", "published_ts"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE story_search (key integer PRIMARY KEY, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_story_search_document ON story_search USING gin (document)")
    else:
        # porter: "floods" finds "flood"; diacritics folded: "Sao" finds "São"
        op.execute(
            "CREATE VIRTUAL TABLE story_search USING fts5("
            "body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    rebuild_index(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TABLE story_search")
    op.drop_index("ix_claims_outlet_ts", "claims")
    op.drop_table("story_entities")
    op.drop_table("story_outlets")
    op.drop_table("story_index")
