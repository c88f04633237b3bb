"""word cloud, Q&A and map activities: their settings, words and pins

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:10:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_words", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_pins", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("categories", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("map_image", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("georef", sa.JSON(), nullable=True))
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qa_state", sa.String(length=10), nullable=True))
    op.create_table(
        "cloud_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.String(length=80), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "key", name="uq_cloud_word_key"),
    )
    with op.batch_alter_table("cloud_word", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cloud_word_activity_id"), ["activity_id"], unique=False)
    op.create_table(
        "map_pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("x", sa.Double(), nullable=False),
        sa.Column("y", sa.Double(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "participant_id", "slot", name="uq_map_pin_slot"),
    )
    with op.batch_alter_table("map_pin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_map_pin_activity_id"), ["activity_id"], unique=False)


def downgrade():
    with op.batch_alter_table("map_pin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_map_pin_activity_id"))
    op.drop_table("map_pin")
    with op.batch_alter_table("cloud_word", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cloud_word_activity_id"))
    op.drop_table("cloud_word")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_column("qa_state")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("georef")
        batch_op.drop_column("map_image")
        batch_op.drop_column("categories")
        batch_op.drop_column("max_pins")
        batch_op.drop_column("max_words")
