"""tracked projects keep their place in the plan tree (goal and strategy)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:50:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tracked_project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("strategy", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("goal_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("strategy_item_id", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("tracked_project", schema=None) as batch_op:
        batch_op.drop_column("strategy_item_id")
        batch_op.drop_column("goal_item_id")
        batch_op.drop_column("strategy")
