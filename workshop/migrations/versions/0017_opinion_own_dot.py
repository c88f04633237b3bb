"""an agree activity may show each phone its own place on the opinion map

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-03 13:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0017"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opinion_own_dot", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("opinion_own_dot")
