"""ballot entries in the ballot row

A ballot's entries (statement id -> value) move from one ``ballot_entry`` row per
statement into the ballot row itself, as a JSON object (``ballot.entries``). A
ballot is always written and read whole; storing it as one row makes a vote one
row write instead of a delete and several inserts, each touching three indexes.
Existing entries are copied over; the downgrade copies them back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 08:20:00

"""

import json
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ballot = sa.table("ballot", sa.column("id", sa.Integer), sa.column("entries", sa.Text))
ballot_entry = sa.table(
    "ballot_entry",
    sa.column("ballot_id", sa.Integer),
    sa.column("statement_id", sa.Integer),
    sa.column("value", sa.Integer),
)


def _encode(entries: dict[int, int]) -> str:
    # The format of workshop.models.ballots.encode_entries, kept here as it was when
    # this migration was written.
    return json.dumps(entries, separators=(",", ":"), sort_keys=True)


def upgrade():
    # Read first: should the column change rebuild the ballot table (SQLite), the foreign
    # key's ON DELETE CASCADE would empty ballot_entry.
    connection = op.get_bind()
    entries: dict[int, dict[int, int]] = defaultdict(dict)
    for ballot_id, statement_id, value in connection.execute(
        sa.select(ballot_entry.c.ballot_id, ballot_entry.c.statement_id, ballot_entry.c.value)
    ):
        entries[ballot_id][statement_id] = value

    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entries", sa.Text(), server_default="{}", nullable=False))
    if entries:
        connection.execute(
            ballot.update().where(ballot.c.id == sa.bindparam("b_id")),
            [{"b_id": ident, "entries": _encode(found)} for ident, found in entries.items()],
        )

    with op.batch_alter_table("ballot_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_ballot_entry_statement")
    op.drop_table("ballot_entry")


def downgrade():
    connection = op.get_bind()
    rows = [
        {"ballot_id": ident, "statement_id": int(key), "value": value}
        for ident, text in connection.execute(sa.select(ballot.c.id, ballot.c.entries))
        for key, value in json.loads(text or "{}").items()
    ]
    # The column goes first: on SQLite, dropping it rebuilds the ballot table, and with
    # foreign keys on, dropping the old copy would cascade to ballot_entry rows.
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_column("entries")

    op.create_table(
        "ballot_entry",
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ballot_id"], ["ballot.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"]),
        sa.PrimaryKeyConstraint("ballot_id", "statement_id"),
    )
    with op.batch_alter_table("ballot_entry", schema=None) as batch_op:
        batch_op.create_index("ix_ballot_entry_statement", ["statement_id"], unique=False)
    if rows:
        connection.execute(ballot_entry.insert(), rows)
