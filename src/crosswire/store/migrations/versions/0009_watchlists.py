"""Watch lists and the alerts they raised (`crosswire alerts`).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("entities", sa.JSON, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("webhook", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("last_checked", sa.String(40), nullable=False),
    )
    op.create_table(
        "watch_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watchlist", sa.String(64), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("story", sa.String(40), nullable=False),
        sa.Column("facet", sa.String(80)),
        sa.Column("raised_at", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("email_status", sa.String(16), nullable=False),
        sa.Column("webhook_status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("watchlist", "key", name="uq_watch_alerts_watchlist_key"),
    )
    op.create_index("ix_watch_alerts_watchlist_raised", "watch_alerts", ["watchlist", "raised_at"])


def downgrade() -> None:
    op.drop_index("ix_watch_alerts_watchlist_raised", "watch_alerts")
    op.drop_table("watch_alerts")
    op.drop_table("watchlists")
