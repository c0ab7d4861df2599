"""Playwright in Debian's Chromium (never a downloaded browser); see TESTING.md."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls inside sync Playwright tests
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.skip("chromium is not installed")  # `make test` installs it, so CI never skips
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--disable-gpu", "--disable-quic", "--disable-background-networking"],
    }


@pytest.fixture
def console_messages(page):
    """Every console message of the page; a Content Security Policy message is a bug."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages
