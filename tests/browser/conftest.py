"""Browser fixtures: the real app served by uvicorn on localhost, driven by headless Chromium.

Chromium is Debian's `chromium` package (`.ci/run` installs it); Playwright only drives it and
downloads no browser. Without it these tests skip, except under CI (`CI` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from bedside.config import IndexSettings, Settings, load_settings
from bedside.service import Service, bundled_cards_path
from bedside.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        _unavailable("Debian's `chromium` is not installed (apt-get install chromium)")
    assert path is not None
    return path


# Read at import: the autouse `bedside_home` fixture clears every BEDSIDE_* variable.
SCREENSHOTS = os.environ.get("BEDSIDE_SCREENSHOTS") == "1"
DEFAULT_EMBEDDER = IndexSettings.model_fields["embedder"].default


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Settings, Service]]:
    """The knowledge base the app serves: the test one (hashing embedder), or — when the
    README's screenshots are being taken — the bundled cards with the default settings, so the
    pictures show the articles a fresh install writes."""
    if not SCREENSHOTS:
        yield request.getfixturevalue("bundled_settings"), request.getfixturevalue("bundled")
        return
    settings = load_settings(
        overrides={
            "home": tmp_path / "default-model",
            "store": {"kb": "default"},
            "index": {"embedder": DEFAULT_EMBEDDER},
        }
    )
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
        yield settings, service


@pytest.fixture
def served_service(served: tuple[Settings, Service]) -> Service:
    return served[1]


@pytest.fixture
def live_server(served: tuple[Settings, Service]) -> Iterator[str]:
    """The app over the bundled knowledge base, served by uvicorn in a thread: its base URL."""
    bundled_settings, bundled = served
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(bundled_settings, service=bundled), log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def page(chromium_path: str) -> Iterator[Page]:
    """A fresh page in headless Chromium, 1200 pixels wide."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
