"""Chat mode in a real headless Chromium: a two-turn conversation with SmolLM2, the system prompt, readable tokens,
markup shown as text, and the README screenshot of a chat."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from browser import VIEWPORT, answers, choose_model, set_slider_number, table_rows, type_prompt

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "chat.png"
IDLE_JS = "() => document.querySelector('#continue-chat > [data-testid=status-tracker]').classList.contains('hide')"
HOSTILE = "<img src=x onerror=alert(1)><b>bold</b>"


@pytest.fixture
def page(chromium, running_app):
    url, _ = running_app
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#continue-send")
    yield page
    context.close()


def send_turn(page, text: str, turn: int) -> None:
    type_prompt(page, text)
    page.click("#continue-send")
    page.wait_for_function(f"() => document.querySelectorAll('#continue-chat [data-testid=bot]').length === {turn}")
    page.wait_for_function(IDLE_JS)


def test_a_two_turn_chat_with_smollm2(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    choose_model(page, "smollm2-135m-instruct")
    assert not page.locator("#continue-system").is_visible()  # only chat mode has a system prompt
    page.locator("#continue-mode").get_by_label("chat", exact=True).check()
    page.locator("#continue-system textarea").wait_for(state="visible")
    page.locator("#continue-system textarea").fill("You are a friendly assistant. Answer in one sentence.")
    page.locator("#continue-seed textarea, #continue-seed input").first.fill("1")
    page.locator("#continue-strategy").get_by_label("greedy", exact=True).check()
    set_slider_number(page, "max_new_tokens", 24)

    send_turn(page, "Hi! My name is Ada and I love the sea.", 1)
    send_turn(page, "What do you know about me?", 2)
    texts = answers(page)
    assert len(texts) == 2 and all(t.strip() and t != "(nothing generated)" for t in texts)

    page.wait_for_function("() => { const g = document.querySelector('#continue-tokens [role=grid]');"
                           " return g && Number(g.getAttribute('aria-rowcount')) > 1; }")
    tokens = [row[1] for row in table_rows(page, "continue-tokens")]
    assert tokens and not any("Ġ" in token or "Ċ" in token for token in tokens)  # readable tokens

    page.get_by_role("tab", name="Settings (replay)").click()
    settings = json.loads(page.locator("#continue-settings .cm-content").inner_text())
    assert settings["mode"] == "chat"
    assert [m["content"] for m in settings["messages"] if m["role"] == "user"] == [
        "Hi! My name is Ada and I love the sea.", "What do you know about me?"]
    assert settings["messages"][1]["content"].strip() == texts[0].strip()  # the first answer went into the prompt

    page.get_by_role("tab", name="Token probabilities").click()
    page.mouse.move(0, 0)
    page.wait_for_timeout(200)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    width, _ = struct.unpack(">II", SCREENSHOT.read_bytes()[16:24])
    assert width == VIEWPORT["width"]

    page.locator("#continue-system textarea").fill("Be kind. " + HOSTILE)
    send_turn(page, "And now? " + HOSTILE, 3)
    users = page.locator("#continue-chat [data-testid=user]")
    assert users.count() == 3 and HOSTILE in users.last.inner_text()  # markup shown as text
    assert page.locator("#continue-chat img[src='x']").count() == 0 and dialogs == []


def test_the_model_comparison_in_the_browser(page):
    type_prompt(page, "The weather today is")
    page.locator("#continue-strategy").get_by_label("greedy", exact=True).check()
    set_slider_number(page, "max_new_tokens", 12)
    page.get_by_role("tab", name="Compare models").click()
    page.click("#continue-compare-models-run")
    page.wait_for_function("() => { const g = document.querySelector('#continue-compare-models [role=grid]');"
                           " return g && Number(g.getAttribute('aria-rowcount')) - 1 >= 4; }", timeout=60_000)
    names = [row[0] for row in table_rows(page, "continue-compare-models")]
    assert {"smollm2-135m-instruct", "char-lstm-shakespeare", "ngram-shakespeare"} <= set(names)
