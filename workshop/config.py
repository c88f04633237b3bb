"""Settings, read from ``WORKSHOP_*`` environment variables.

Every setting has a default that works on one laptop with no internet: a SQLite
file under ``instance/``, one process, a secret key generated once and kept.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """Folder for the database, the secret key and demo credentials."""
    path = Path(os.environ.get("WORKSHOP_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(folder: Path) -> str:
    """Return ``WORKSHOP_SECRET_KEY`` or a key generated once and kept in ``folder``.

    Keeping the key means a restart does not log out facilitators nor turn
    attendees into strangers (their participant cookie stays valid).
    """
    configured = os.environ.get("WORKSHOP_SECRET_KEY")
    if configured:
        return configured
    key_file = folder / "secret_key"
    try:
        # Created readable by the owner only, and only once: a second process starting at
        # the same moment reads the first one's key instead of writing its own.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


class Config:
    """Production-like defaults from the environment."""

    def __init__(self) -> None:
        folder = instance_dir()
        self.INSTANCE_DIR = str(folder)
        self.SECRET_KEY = _secret_key(folder)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "WORKSHOP_DATABASE_URL", f"sqlite:///{folder / 'workshop.sqlite3'}"
        )
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        # Seconds a write waits for a busy database (SQLite's lock, cooperatively; a
        # PostgreSQL lock) before it is answered "busy" (503; phones send it again).
        self.DB_BUSY_TIMEOUT = _float("WORKSHOP_DB_BUSY_TIMEOUT", 5.0)
        # (build_app adds the busy wait to the engine options: workshop/db_busy.py)
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        self.MESSAGE_QUEUE = os.environ.get("WORKSHOP_MESSAGE_QUEUE") or None
        # Redis pub/sub channel shared by the processes of one deployment (pub/sub ignores
        # the database number: two deployments on one Redis need two channels).
        self.MESSAGE_QUEUE_CHANNEL = (
            os.environ.get("WORKSHOP_MESSAGE_QUEUE_CHANNEL") or "flask-socketio"
        )
        self.PUBLIC_URL = (os.environ.get("WORKSHOP_PUBLIC_URL") or "").rstrip("/") or None
        # Served over https (behind a TLS proxy): cookies are then never sent over plain http.
        secure = (self.PUBLIC_URL or "").startswith("https://")
        self.SESSION_COOKIE_SECURE = secure
        self.REMEMBER_COOKIE_SECURE = secure
        self.PORT = _int("WORKSHOP_PORT", 5000)
        # "gevent" when serving; tests use "threading".
        self.SOCKETIO_ASYNC_MODE = os.environ.get("WORKSHOP_ASYNC_MODE", "threading")
        # Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For/-Proto to
        # trust for the client's address and scheme; 0 = none (served directly).
        self.TRUSTED_PROXIES = _int("WORKSHOP_TRUSTED_PROXIES", 0)
        # Extra origins allowed to open a Socket.IO connection (behind a proxy).
        self.CORS_ORIGINS = [
            o.strip() for o in os.environ.get("WORKSHOP_CORS_ORIGINS", "").split(",") if o.strip()
        ]
        # Seconds between two tally snapshots of one activity (0 = emit at once).
        self.TALLY_INTERVAL = _float("WORKSHOP_TALLY_INTERVAL", 0.2)
        # Seconds between two recomputations of an open agree activity's opinion map (0 = at
        # once), and the smallest opinion group shown (a smaller one is not named anywhere).
        self.OPINIONS_INTERVAL = _float("WORKSHOP_OPINIONS_INTERVAL", 3.0)
        self.OPINION_MIN_GROUP = _int("WORKSHOP_OPINION_MIN_GROUP", 5)
        # Socket.IO votes are committed in batches: the writer waits this many seconds for
        # more votes before a transaction; past this many queued votes, a vote is answered
        # "busy" (the phone sends it again).
        self.VOTE_BATCH_WINDOW = _float("WORKSHOP_VOTE_BATCH_WINDOW", 0.01)
        self.VOTE_QUEUE_DEPTH = _int("WORKSHOP_VOTE_QUEUE_DEPTH", 4000)
        # Joins are committed in batches too (workshop/live/join_queue.py): the writer waits
        # this many seconds for more joins before a transaction; 0 commits each alone.
        self.JOIN_BATCH_WINDOW = _float("WORKSHOP_JOIN_BATCH_WINDOW", 0.005)
        # On SIGTERM, the longest wait for the votes received to be committed and
        # acknowledged before the server stops (workshop/live/shutdown.py).
        self.DRAIN_TIMEOUT = _float("WORKSHOP_DRAIN_TIMEOUT", 10.0)
        self.MAX_CONTENT_LENGTH = 16 * 1024
        # Map activities' images (uploaded, re-encoded), served by the app: workshop/kinds/images.py
        self.MAP_IMAGE_DIR = os.environ.get("WORKSHOP_MAP_IMAGE_DIR") or str(folder / "map-images")
        # Largest Socket.IO message accepted; a bigger one closes that connection.
        self.SOCKETIO_MAX_MESSAGE = 16 * 1024
        # Rate limits per process, per minute (0 = off): new statements and new ballots
        # per participant, unknown join codes per client address (known codes never count).
        self.RATE_STATEMENTS = _int("WORKSHOP_RATE_STATEMENTS", 20)
        self.RATE_VOTES = _int("WORKSHOP_RATE_VOTES", 60)
        self.RATE_JOIN_FAILURES = _int("WORKSHOP_RATE_JOIN_FAILURES", 10)
        self.RATE_WINDOW = _float("WORKSHOP_RATE_WINDOW", 60.0)  # seconds of each limit
        # Facilitator logins (workshop/login_throttle.py): failures per account and per
        # address before a lock of LOGIN_LOCK seconds (doubling with each further failure);
        # failures are forgotten LOGIN_WINDOW seconds after the last one.
        self.LOGIN_FAILURES = _int("WORKSHOP_LOGIN_FAILURES", 10)
        self.LOGIN_FAILURES_PER_ADDRESS = _int("WORKSHOP_LOGIN_FAILURES_PER_ADDRESS", 30)
        self.LOGIN_WINDOW = _float("WORKSHOP_LOGIN_WINDOW", 900.0)
        self.LOGIN_LOCK = _float("WORKSHOP_LOGIN_LOCK", 60.0)
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_HTTPONLY = True
        self.PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
        self.BABEL_DEFAULT_LOCALE = "th"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
        self.LANGUAGES = ["th", "en"]
        self.WTF_CSRF_TIME_LIMIT = None  # a workshop lasts all day


class TestConfig(Config):
    """Config for pytest: a temporary SQLite file, tallies emitted at once."""

    TESTING = True

    def __init__(self, database_url: str | None = None) -> None:
        super().__init__()
        if database_url:
            self.SQLALCHEMY_DATABASE_URI = database_url
        self.TESTING = True
        self.TALLY_INTERVAL = 0.0
        self.OPINIONS_INTERVAL = 0.0
        self.VOTE_BATCH_WINDOW = 0.0
        self.JOIN_BATCH_WINDOW = 0.0
        self.SOCKETIO_ASYNC_MODE = "threading"
        self.PUBLIC_URL = "http://workshop.test"
