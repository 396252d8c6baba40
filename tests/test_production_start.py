"""The production start of the README, for real: migrate, collectstatic, gunicorn, WhiteNoise, health check."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **(headers or {})})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": Fernet.generate_key().decode() * 2,
        "NAME_SEARCH_KEY": Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, refused by the deploy checks
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            _get(f"{base}/healthz")
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.communicate(timeout=10)


def test_production_server_answers_health_and_login_and_serves_static_files(production_server):
    status, _headers, body = _get(f"{production_server}/healthz")
    # No worker runs beside this server: the health check says so, and stays 200 (the pages work without one).
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "worker": "stopped"})

    status, headers, body = _get(f"{production_server}/accounts/login/")
    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    stylesheet = body.decode().split('href="/static/', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("front/app.") and stylesheet != "front/app.css"

    status, headers, _css = _get(f"{production_server}/static/{stylesheet}")
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]


def test_production_server_requires_login_for_case_pages(production_server):
    request = urllib.request.Request(f"{production_server}/cases/", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=5)

    redirect.value.close()
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"].startswith("/accounts/login/")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
