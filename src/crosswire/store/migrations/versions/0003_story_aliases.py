"""Story aliases: a story id that was merged into another resolves to it.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_aliases",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("story", sa.String(40), nullable=False, index=True),
        sa.Column("merged_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_aliases")
