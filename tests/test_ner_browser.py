"""The Entities tab in a real headless Chromium: hostile input shows up as text (no script runs, no image loads),
entities are highlighted with a legend and listed; the README screenshot docs/screenshots/ner.png."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from browser import ROW_COUNT_JS, VIEWPORT

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "ner.png"
HOSTILE = ("<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b> Angela Merkel visited Paris. "
           "שלום עולם 👋🏽")


def wait_rows_at_least(page, elem_id: str, rows: int, timeout_ms: float = 20_000) -> None:
    page.wait_for_function(f"(id) => ({ROW_COUNT_JS})(id) >= {int(rows)}", arg=elem_id, timeout=timeout_ms)


@pytest.fixture
def page(chromium, running_app):
    url, _ = running_app
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="Entities").click()
    page.wait_for_selector("#ner-send")
    yield page
    context.close()


def test_hostile_input_is_shown_as_text_and_no_script_runs(page):
    dialogs, image_requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: request.url.rstrip("/").endswith("/x") and image_requests.append(request.url))
    page.locator("#ner-input textarea").fill(HOSTILE)
    page.click("#ner-send")
    page.wait_for_function("() => document.querySelectorAll('#ner-chat [data-testid=bot]').length > 0")
    wait_rows_at_least(page, "ner-table", 2)

    shown = page.locator("#ner-chat [data-testid=user]").last.inner_text()
    assert "<img src=x" in shown and "<script>alert(2)</script>" in shown and "<b>bold</b>" in shown
    highlighted = page.locator("#ner-highlighted")
    shown_highlights = highlighted.inner_text().replace("\n", "")  # each highlight is its own block
    assert "<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>" in shown_highlights
    assert "שלום עולם 👋🏽" in shown_highlights
    for area in ("#ner-chat", "#ner-highlighted", "#ner-table"):
        assert page.locator(f'{area} img[src="x"]').count() == 0
        assert page.locator(f"{area} script").count() == 0
        assert page.locator(f"{area} b").count() == 0
    page.wait_for_timeout(300)  # time for a broken image's onerror, were there one
    assert dialogs == [] and image_requests == []
    legend = page.locator("#ner-highlighted").inner_text()
    assert "PER" in legend and "LOC" in legend


def test_screenshot_of_the_entities_tab(page):
    from ui.ner_tab import EXAMPLES

    page.locator("#ner-input textarea").fill(EXAMPLES[2])  # the sentence full of money, dates and percentages
    page.click("#ner-send")
    wait_rows_at_least(page, "ner-table", 6)
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    width, height = struct.unpack(">II", SCREENSHOT.read_bytes()[16:24])
    assert width == VIEWPORT["width"] and height >= VIEWPORT["height"] // 2
