"""priority vote kinds: matrix axis labels, points, budget and statement costs

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 13:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("x_label", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("y_label", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("x_label_en", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("y_label_en", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("points", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("budget", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_column("cost")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("budget")
        batch_op.drop_column("points")
        batch_op.drop_column("y_label_en")
        batch_op.drop_column("x_label_en")
        batch_op.drop_column("y_label")
        batch_op.drop_column("x_label")
