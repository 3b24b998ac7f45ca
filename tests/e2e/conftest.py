"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os

import pytest

CHROMIUM = os.environ.get("LW_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM}: apt-get install chromium")
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM}: run 'apt-get install chromium'"
    )
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests flush the rows the migrations made: put them back."""
    from lokalwillkommen.reference import ensure_reference_data

    ensure_reference_data()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def shots(output_path):
    """The test's output folder (pytest-playwright's, under test-results/) for screenshots."""
    os.makedirs(output_path, exist_ok=True)
    return output_path


@pytest.fixture
def external_requests(page, live_server):
    """Every request the page makes to another host ends up in this list."""
    seen = []
    origin = live_server.url

    def record(request):
        url = request.url
        if not (url.startswith(origin) or url.startswith("data:") or url.startswith("blob:")):
            seen.append(url)

    page.on("request", record)
    return seen
