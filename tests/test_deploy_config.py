"""deploy/nginx.conf: `nginx -t` accepts it, and a real Socket.IO client works through it.

Needs Debian's nginx (``apt-get install nginx``) and openssl for a throw-away certificate;
skipped loudly without them, failed instead when ``WORKSHOP_REQUIRE_NGINX=1``. The
sample is checked as shipped except for the certificate paths; the live test also moves its
ports to free loopback ports and points its upstream at a `workshop serve` process.
Also: ``WORKSHOP_TRUSTED_PROXIES`` (wsgi.py's app behind nginx sees the phone's address).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import require_env
from tests.live_server import LiveServer, free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
)
OPENSSL = shutil.which("openssl")


def _need_tools() -> None:
    missing = [name for name, path in (("nginx", NGINX), ("openssl", OPENSSL)) if not path]
    if missing:
        message = (
            f"NGINX CONFIG NOT CHECKED: {', '.join(missing)} not installed (apt-get install nginx)"
        )
        if require_env("WORKSHOP_REQUIRE_NGINX"):
            pytest.fail(message + " (WORKSHOP_REQUIRE_NGINX=1)")
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def harness(
    folder: Path,
    upstreams: list[int] | None = None,
    http_port: int | None = None,
    https_port: int | None = None,
) -> Path:
    """A main nginx.conf in ``folder`` that includes (a copy of) the sample.

    Always: the certificate paths point at a throw-away certificate. With ports: the sample
    listens on those loopback ports only and proxies to ``upstreams``.
    """
    cert, key = _certificate(folder)
    text = SAMPLE.read_text()
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    if http_port and https_port and upstreams:
        text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
        text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
        servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
        text = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, text, count=1)
    snippet = folder / "workshop.conf"
    snippet.write_text(text)
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    main = folder / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        + "events { worker_connections 1024; }\n"
        + "http {\n    access_log off;\n"
        + f"    client_body_temp_path {temp['body']};\n    proxy_temp_path {temp['proxy']};\n"
        + f"    fastcgi_temp_path {temp['fastcgi']};\n    uwsgi_temp_path {temp['uwsgi']};\n"
        + f"    scgi_temp_path {temp['scgi']};\n"
        + f"    include {snippet};\n}}\n"
    )
    return main


def nginx_args(folder: Path, main: Path) -> list[str]:
    return [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]


def test_sample_config_passes_nginx_t(tmp_path: Path) -> None:
    _need_tools()
    main = harness(tmp_path)
    result = subprocess.run(
        [*nginx_args(tmp_path, main), "-t"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_sample_config_has_what_deploy_md_promises() -> None:
    text = SAMPLE.read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $workshop_connection;" in text
    assert "hash $workshop_route consistent;" in text  # sticky, not ip_hash (venue NAT)
    # A location that sets any proxy header inherits none from its server: each lists all.
    locations = re.findall(r"location [^{]+\{([^}]*)\}", text)
    assert len(locations) == 2
    for body in locations:
        for header in ("Host $http_host", "X-Forwarded-For", "X-Forwarded-Proto $scheme"):
            assert f"proxy_set_header {header}" in body
    assert re.search(r"proxy_read_timeout (\d+)s", text)
    assert int(re.search(r"proxy_read_timeout (\d+)s", text).group(1)) > 40  # > ping 20 + 20


def _wait_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("nginx did not listen")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[LiveServer, str, int, str]]:
    """`workshop serve` behind the sample config on loopback ports:
    (server, https url, http port, certificate)."""
    _need_tools()
    http_port, https_port = free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}"
    server = LiveServer(
        tmp_path / "instance",
        env_extra={"WORKSHOP_TRUSTED_PROXIES": "1", "WORKSHOP_PUBLIC_URL": public},
    )
    server.prepare()
    server.start()
    folder = tmp_path / "nginx"
    folder.mkdir()
    main = harness(folder, [server.port], http_port, https_port)
    nginx = subprocess.Popen(
        [*nginx_args(folder, main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_port(https_port, nginx, folder / "error.log")
        yield server, public, http_port, str(folder / "cert.pem")
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        try:
            nginx.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(nginx.pid, signal.SIGKILL)
            nginx.wait(timeout=15)
        server.stop()


@pytest.mark.server
def test_socketio_through_nginx(proxied) -> None:
    server, public, http_port, cert = proxied
    http = requests.Session()
    http.trust_env = False  # else REQUESTS_CA_BUNDLE would replace the verify below
    http.verify = cert

    health = http.get(f"{public}/health", timeout=10)
    assert health.status_code == 200
    assert "workshop_route" in http.cookies  # the sticky-session cookie
    plain = requests.get(f"http://127.0.0.1:{http_port}/health", allow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")

    auth = {"Authorization": f"Bearer {server.token}"}
    code = http.post(f"{public}/api/v1/workshops", json={"title": "Proxied"}, headers=auth).json()[
        "code"
    ]
    brainstorm = http.post(
        f"{public}/api/v1/workshops/{code}/activities",
        json={"kind": "brainstorm", "prompt": "Ideas"},
        headers=auth,
    ).json()["id"]
    opened = http.post(
        f"{public}/api/v1/workshops/{code}/activities/{brainstorm}/state",
        json={"state": "open"},
        headers=auth,
    )
    assert opened.status_code == 200, opened.text
    token = http.post(
        f"{public}/api/v1/workshops/{code}/participants", json={"group": "residents"}
    ).json()["token"]

    # The projector as a browser connects: long-polling first (sticky cookie), then the
    # upgrade to WebSocket through nginx. The phone goes straight to WebSocket.
    received: list[dict] = []
    presenter = socketio.Client(reconnection=False, http_session=http)
    presenter.on("statement", received.append)
    phone_http = requests.Session()
    phone_http.trust_env, phone_http.verify = False, cert
    phone = socketio.Client(reconnection=False, http_session=phone_http)
    try:
        try:
            presenter.connect(public, auth={"workshop": code, "role": "presenter"}, wait_timeout=10)
            phone.connect(
                public,
                auth={"workshop": code, "token": token},
                transports=["websocket"],
                wait_timeout=10,
            )
        except socketio.exceptions.ConnectionError as error:
            # Failed once under the full suite (2026-11-27), cause unknown: show both logs.
            error_log = Path(cert).parent / "error.log"
            nginx_log = error_log.read_text(errors="replace")[-4000:] if error_log.exists() else ""
            pytest.fail(
                f"{error!r} (presenter connected: {presenter.connected})\n"
                f"--- server log ---\n{server.log()}\n--- nginx error.log ---\n{nginx_log}"
            )
        ack = phone.call(
            "submit",
            {"activity_id": brainstorm, "text": "Through the proxy", "client_id": "n1"},
            timeout=10,
        )
        assert ack["ok"] and ack["created"], ack
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            received and presenter.transport() == "websocket"
        ):
            time.sleep(0.05)
        assert [s["text"] for s in received] == ["Through the proxy"]
        assert presenter.transport() == "websocket"  # the upgrade went through nginx
    finally:
        presenter.disconnect()
        phone.disconnect()


def test_trusted_proxies_gives_the_client_address(db_path: Path) -> None:
    from flask import request

    from workshop import create_app
    from workshop.config import TestConfig

    def whoami_app(trusted: int):
        config = TestConfig(f"sqlite:///{db_path}")
        config.TRUSTED_PROXIES = trusted
        app = create_app(config)
        app.add_url_rule("/_whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
        return app

    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https"}
    behind = whoami_app(1).test_client().get("/_whoami", headers=headers)
    assert behind.text == "203.0.113.9 https"  # the address nginx saw, not a forged one
    direct = whoami_app(0).test_client().get("/_whoami", headers=headers)
    assert direct.text == "127.0.0.1 http"  # not behind a proxy: the headers are ignored
