"""A real ``workshop serve`` process (gevent) on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORKSHOP = str(Path(sys.executable).parent / "workshop")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """Runs migrations, creates a facilitator with a token, then serves."""

    instance_dir: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    token: str = ""
    email: str = "live@example.org"
    password: str = "live-password-1"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            WORKSHOP_INSTANCE_DIR=str(self.instance_dir),
            WORKSHOP_PORT=str(self.port),
            WORKSHOP_PUBLIC_URL=self.url,
            WORKSHOP_SECRET_KEY="live-server-secret",
        )
        env.pop("WORKSHOP_ASYNC_MODE", None)
        env.update(self.env_extra)
        return env

    def run_cli(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [WORKSHOP, *args],
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"workshop {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.run_cli("db", "upgrade")
        self.run_cli(
            "facilitator", "create", self.email, "--password-stdin", stdin=self.password + "\n"
        )
        self.token = self.run_cli("token", "create", self.email).split()[-1]

    def start(self) -> None:
        # The child keeps its own copy of the log's descriptor; ours is closed at once.
        with open(self.instance_dir / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [WORKSHOP, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)

    def log(self) -> str:
        path = self.instance_dir / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 10)
        return requests.request(method, f"{self.url}/api/v1{path}", headers=headers, **kwargs)
