"""Ballot rows read and written in bulk with plain SQL, for a batch of vote writes.

The vote hot path: a batch of ballots costs a handful of statements whatever
its size (one read of the ballots it touches, one of the ``client_id``s seen
before, one insert of the writes, one insert of new ballots, one update of the
others), instead of about ten ORM statements per ballot. A ballot's entries are
part of its row (``Ballot.entries_json``), so a vote writes two rows whatever
its size. The caller holds the participants' write lock
(:func:`~workshop.services.participation.lock_participants`) for the whole
transaction, so what is read here is what the writes replace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import DBAPIError

from ..extensions import db
from ..models import Ballot, decode_entries, encode_entries, utcnow

_ballot = Ballot.__table__


@dataclass
class BallotRow:
    """One participant's ballot for one activity, as this transaction sees it."""

    activity_id: int
    participant_id: int
    client_id: str
    updated_at: datetime
    entries: dict[int, int] = field(default_factory=dict)
    id: int | None = None  # None for a ballot this batch creates
    dirty: bool = False  # to store


@dataclass(frozen=True)
class VoteRules:
    """What a vote write needs of its activity, read once per batch with one plain query
    (the state too: a vote closed a moment ago refuses the next batch)."""

    id: int
    workshop_id: int
    kind: str
    state: str
    locked: bool
    source_activity_id: int | None
    dots: int | None
    max_per_item: int | None
    top_k: int | None
    multiple: bool
    points: int | None = None  # points: P to spread
    budget: int | None = None  # budget: B in baht
    # budget: the cost of each statement on the ballot (read with the rules, once a batch)
    costs: dict[int, int | None] = field(default_factory=dict)


def vote_rules(activity_id: int) -> VoteRules | None:
    rows = _Sql().run(
        "SELECT id, workshop_id, kind, state, locked, source_activity_id, dots,"
        " max_per_item, top_k, multiple, points, budget FROM activity WHERE id = ?",
        (activity_id,),
    )
    if not rows:
        return None
    ident, workshop_id, kind, state, locked, source, dots, per_item, top_k, multiple = rows[0][:10]
    points, budget = rows[0][10:12]
    costs: dict[int, int | None] = {}
    if kind == "budget":
        costs = {
            ident_: cost
            for ident_, cost in _Sql().run(
                "SELECT id, cost FROM statement WHERE activity_id = ?",
                (source if source is not None else ident,),
            )
        }
    return VoteRules(
        ident,
        workshop_id,
        kind,
        state,
        bool(locked),
        source,
        dots,
        per_item,
        top_k,
        bool(multiple),
        points,
        budget,
        costs,
    )


def eligible_statement_ids(rules: VoteRules) -> set[int]:
    """The ids a ballot may name: a poll's own options, else the visible statements of the
    source brainstorm (not hidden, not awaiting approval, not merged away)."""
    own = rules.kind == "poll" or rules.source_activity_id is None  # options or carried
    source_id = rules.id if own else rules.source_activity_id
    if source_id is None:
        return set()
    result = _Sql().run(
        "SELECT id FROM statement WHERE activity_id = ? AND hidden = ? AND pending = ?"
        " AND merged_into_id IS NULL",
        (source_id, False, False),
    )
    return {ident for (ident,) in result}


class BallotRows:
    """The ballots and vote writes a batch touches, and the writes it makes."""

    def __init__(self) -> None:
        self.ballots: dict[tuple[int, int], BallotRow] = {}
        self.seen: set[tuple[int, str]] = set()
        self._new_writes: list[tuple[int, str, int]] = []
        self.now = utcnow()  # the batch's writes share the time of their transaction

    @classmethod
    def load(
        cls, pairs: Iterable[tuple[int, int]], writes: Iterable[tuple[int, str]]
    ) -> BallotRows:
        """Read the ballots of (activity, participant) ``pairs`` and which of the
        (participant, client_id) ``writes`` were stored before."""
        rows = cls()
        pairs = set(pairs)
        writes = set(writes)
        sql = _Sql()
        if pairs:
            activity_ids = sorted({a for a, _ in pairs})
            participant_ids = sorted({p for _, p in pairs})
            result = sql.run(
                "SELECT id, activity_id, participant_id, client_id, updated_at, entries"
                f" FROM ballot WHERE activity_id IN ({sql.marks(activity_ids)})"
                f" AND participant_id IN ({sql.marks(participant_ids)})",
                (*activity_ids, *participant_ids),
            )
            for ballot_id, activity_id, participant_id, client_id, updated, entries in result:
                key = (activity_id, participant_id)
                if key in pairs:
                    rows.ballots[key] = BallotRow(
                        activity_id,
                        participant_id,
                        client_id,
                        sql.from_db(updated),
                        decode_entries(entries),
                        id=ballot_id,
                    )
        if writes:
            # A join with the batch's pairs uses the (participant_id, client_id) index once
            # per pair; two IN lists would probe every combination of them.
            pairs_sql = ", ".join(["(?, ?)"] * len(writes))
            result = sql.run(
                f"WITH w(p, c) AS (VALUES {pairs_sql})"
                " SELECT v.participant_id, v.client_id FROM w"
                " JOIN vote_write v ON v.participant_id = w.p AND v.client_id = w.c",
                [x for pair in sorted(writes) for x in pair],
            )
            rows.seen = {(p, c) for p, c in result if (p, c) in writes}
        return rows

    def record(
        self, activity_id: int, participant_id: int, client_id: str, entries: dict[int, int]
    ) -> BallotRow:
        """Accept one write: the ballot now holds ``entries`` (kept as given: a ballot's
        entries are replaced, never changed in place); returns the ballot."""
        self.seen.add((participant_id, client_id))
        self._new_writes.append((participant_id, client_id, activity_id))
        key = (activity_id, participant_id)
        row = self.ballots.get(key)
        if row is None:
            row = self.ballots[key] = BallotRow(activity_id, participant_id, client_id, self.now)
        row.entries = entries
        row.client_id = client_id
        row.updated_at = self.now
        row.dirty = True
        return row

    def store(self) -> None:
        """Write what :meth:`record` accepted (a few statements for the whole batch)."""
        sql = _Sql()
        stamp = sql.to_db(self.now)
        if self._new_writes:
            sql.many(
                "INSERT INTO vote_write (participant_id, client_id, activity_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                [(p, c, a, stamp) for p, c, a in self._new_writes],
            )
        dirty = [row for row in self.ballots.values() if row.dirty]
        new = [row for row in dirty if row.id is None]
        if new:
            sql.many(
                "INSERT INTO ballot (activity_id, participant_id, client_id, created_at,"
                " updated_at, entries) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        row.activity_id,
                        row.participant_id,
                        row.client_id,
                        stamp,
                        stamp,
                        encode_entries(row.entries),
                    )
                    for row in new
                ],
            )
        old = [row for row in dirty if row.id is not None]
        if old:
            sql.many(
                "UPDATE ballot SET client_id = ?, updated_at = ?, entries = ? WHERE id = ?",
                [(row.client_id, stamp, encode_entries(row.entries), row.id) for row in old],
            )
        for row in dirty:
            row.dirty = False
        self._new_writes = []


class _Sql:
    """Plain SQL on the session's connection (its driver cursor, inside the session's
    transaction: rows come back as plain tuples, all at once), written with ``?`` marks
    (rewritten to ``%s`` for drivers such as psycopg), timestamps converted as the models
    store them."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        dialect = self.connection.dialect
        self._qmark = dialect.paramstyle == "qmark"
        self._dbapi_error = dialect.loaded_dbapi.Error
        # The dialect's own type (SQLite's DATETIME stores text): as the ORM writes and reads it.
        timestamp = _ballot.c.updated_at.type.dialect_impl(dialect)
        self._bind = timestamp.bind_processor(dialect)
        self._result = timestamp.result_processor(dialect, None)

    def marks(self, values: Sequence[object]) -> str:
        return ", ".join("?" * len(values))

    def _text(self, statement: str) -> str:
        return statement if self._qmark else statement.replace("?", "%s")

    def run(self, statement: str, params: Sequence[object]) -> list[tuple]:
        return self._call("execute", statement, tuple(params))

    def many(self, statement: str, params: list[tuple]) -> None:
        self._call("executemany", statement, params)

    def _call(self, method: str, statement: str, params) -> list[tuple]:
        """Run on a driver cursor; a driver error is raised as SQLAlchemy raises it (an
        ``IntegrityError`` stays one, for the callers that retry on it)."""
        text = self._text(statement)
        cursor = self.connection.connection.cursor()
        try:
            getattr(cursor, method)(text, params)
            return cursor.fetchall() if cursor.description else []
        except self._dbapi_error as error:
            raise DBAPIError.instance(text, params, error, self._dbapi_error) from error
        finally:
            cursor.close()

    def to_db(self, value: datetime) -> object:
        return self._bind(value) if self._bind else value

    def from_db(self, value: object) -> datetime:
        return self._result(value) if self._result else value  # type: ignore[return-value]
