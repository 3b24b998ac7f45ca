"""The accessibility check every browser test runs on each page it visits."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page, context: str = "") -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    serious = [
        v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in serious
    ]
    assert not serious, f"axe violations on {context or page.url}:\n" + "\n".join(details)
