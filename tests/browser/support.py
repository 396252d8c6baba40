"""What the browser tests share: Debian's Chromium, a live server, and logging in with both factors."""

import pytest
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from accounts.models import AuthenticatorApp

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium: the tests never download a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """One browser for a module; each test opens fresh contexts (cookies, storage) in it."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio event loop running in this thread, so Django takes
        # the fixtures' ORM calls for calls from async code and refuses them. They are plain synchronous
        # calls made between page loads. Set for the browser modules only; other tests keep the check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(transactional_db):
    # One per test, started once its database is ready, so the server shares the test's in-memory
    # SQLite connection rather than one left behind by an earlier test.
    server = start_live_server()
    yield server
    server.stop()


class SerialWSGIServer(WSGIServer):
    """Django's single-threaded server, built the way LiveServerThread builds its threaded one."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # The server thread has already taken over the test's connections; requests run in it.
        super().__init__(*args, **kwargs)


def start_live_server() -> LiveServer:
    """A live server that answers one request at a time.

    A browser sends requests in parallel (a page and its script's requests); a threaded server would
    run them at once on the test's single shared in-memory SQLite connection, where their
    transactions interleave and fail at random. Django's single-threaded server closes each
    connection after its answer, so the browser never waits on a kept-alive one.
    """
    server = LiveServer("localhost", start=False)
    server.thread.server_class = SerialWSGIServer
    server.start()
    return server


def authenticator(user) -> AuthenticatorApp:
    device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    return device or AuthenticatorApp.objects.create(user=user, name="Browser test", confirmed=True)


def current_code(user) -> str:
    return authenticator(user).current_code()


def log_in(page, user, password):
    """The login a person does: password, then the code from their authenticator."""
    authenticator(user)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
