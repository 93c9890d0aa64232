"""A real headless browser for the tests: Debian's Chromium driven by
Selenium through Debian's chromium-driver (``.ci/run`` installs both when they
are missing). Screenshots go to ``tests/artifacts/``."""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def chromium() -> tuple[str, str]:
    """The paths of Chromium and its driver; skips the test when the machine
    has none (a developer's laptop without them; CI installs them)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    return browser, driver


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium session, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    session.set_page_load_timeout(60)
    try:
        yield session
    finally:
        session.quit()


def screenshot(session: object, name: str) -> Path:
    """Keep a screenshot of what the browser shows as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    session.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path


@contextmanager
def served(app: object) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
