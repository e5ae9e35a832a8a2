"""Article revisions: the earlier texts of an article whose source changed it in place.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article", sa.String(40), nullable=False, index=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("previous_text", sa.Text, nullable=False),
        sa.Column("previous_published", sa.String(40)),
        sa.Column("diff", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_revisions")
