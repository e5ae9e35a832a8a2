"""Claims, quantities, entities and facets (stages 5 and 6) as their own tables.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("story", sa.String(40), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("articles", sa.JSON, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("story", sa.String(40), nullable=False, index=True),
        sa.Column("article", sa.String(40), nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("claimant", sa.Text),
        sa.Column("claimant_name", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("hedged", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text, index=True),
        sa.Column("copy_of", sa.String(80)),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("published_ts", sa.Float, index=True),
        sa.Column("time_start", sa.String(40)),
        sa.Column("time_end", sa.String(40)),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_table(
        "quantities",
        sa.Column("claim", sa.String(80), primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True),
        sa.Column("story", sa.String(40), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("approximate", sa.Integer, nullable=False),
        sa.Column("unit", sa.String(16)),
        sa.Column("kind", sa.Text, index=True),
        sa.Column("subject", sa.Text),
    )
    op.create_table(
        "facets",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("story", sa.String(40), nullable=False, index=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("independent_origins", sa.Integer, nullable=False),
        sa.Column("claims", sa.JSON, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("facets", "quantities", "claims", "entities"):
        op.drop_table(table)
