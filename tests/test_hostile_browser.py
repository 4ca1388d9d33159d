"""HTML payloads never execute, in the Verse tab and in error pop-ups (the other tabs' own browser tests check
their chat, heatmap and highlights): no dialog opens, no image loads, no element is made from the payload."""

from __future__ import annotations

import pytest
from browser import VIEWPORT

pytestmark = pytest.mark.browser

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>"


@pytest.fixture
def page(chromium, running_app):
    url, _ = running_app
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.dialogs, page.image_requests = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda r: r.url.rstrip("/").endswith("/x") and page.image_requests.append(r.url))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#continue-send")
    yield page
    context.close()


def assert_inert(page, *areas: str) -> None:
    page.wait_for_timeout(300)  # time for a broken image's onerror, were there one
    for area in areas:
        for tag in ("img[src='x']", "script", "b"):
            assert page.locator(f"{area} {tag}").count() == 0, f"{tag} made from the payload in {area}"
    assert page.dialogs == [] and page.image_requests == []


def test_verse_lines_and_title_stay_text(page):
    page.get_by_role("tab", name="Verse").click()
    page.locator("#verse-title input, #verse-title textarea").first.fill(PAYLOAD)
    first = f"The night is long {PAYLOAD} and the moon is low"
    page.locator("#verse-input textarea").fill(first)
    page.click("#verse-send")
    page.locator("#verse-choices input[type=radio]").first.wait_for()
    shown = page.locator("#verse-chat [data-testid=user]").last.inner_text()
    assert PAYLOAD in shown
    assert PAYLOAD in page.locator("#verse-poem textarea").input_value()
    assert_inert(page, "#verse-chat", "#verse-choices", "#verse-notes")


def test_an_error_message_quoting_the_user_stays_text(page):
    page.locator("#continue-input textarea").fill("ROMEO:")
    page.locator("#continue-seed textarea, #continue-seed input").first.fill(PAYLOAD)
    page.click("#continue-send")
    toast = page.locator(".toast-body, [data-testid=toast-body]").first
    toast.wait_for()
    assert "seed must be a whole number" in toast.inner_text()
    assert "<img src=x" in toast.inner_text()
    assert_inert(page, ".toast-body", "[data-testid=toast-body]")
