"""Live sources: the feeds followed, the entries they brought, the files a watched
folder has given.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("body_hash", sa.String(32)),
        sa.Column("last_fetch", sa.String(40)),
        sa.Column("last_success", sa.String(40)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.String(40)),
        sa.Column("errors_in_row", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_fetch", sa.Float, nullable=False, server_default="0"),
        sa.Column("articles", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "entries",
        sa.Column("feed", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("first_seen", sa.String(40), nullable=False),
        sa.Column("last_seen", sa.String(40), nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("article", sa.String(40)),
    )
    op.create_table(
        "seen_files",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("seen_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("seen_files")
    op.drop_table("entries")
    op.drop_table("feeds")
