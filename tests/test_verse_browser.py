"""The Verse tab in a real headless Chromium: two muses answer a first line, a suggestion is accepted into the
poem, the titled poem downloads as .txt, and the README screenshot docs/screenshots/verse.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import VIEWPORT

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "verse.png"
FIRST = "The morning light is soft and slow"
MUSES = ("Emily Dickinson", "Walt Whitman")
TITLE = "Morning Couplet"


@pytest.fixture
def page(chromium, running_app):
    url, _ = running_app
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="Verse").click()
    page.wait_for_selector("#verse-send")
    yield page
    context.close()


def choose_muses(page, wanted) -> None:
    group = page.locator("#verse-muses")
    for box in group.locator("input[type=checkbox]").all():
        name = box.evaluate("b => b.closest('label').innerText.trim()")
        if box.is_checked() != (name in wanted):
            box.click()
    for name in wanted:
        assert group.get_by_label(name, exact=True).is_checked()


def assert_not_covered(page, bubble) -> None:
    """The writer's line is whole on screen: nothing of the chat's toolbar lies over its bubble, no text clipped."""
    box = bubble.bounding_box()
    for tool in page.locator("#verse-chat .icon-button-wrapper").all():
        other = tool.bounding_box()
        if other and box:
            overlap = (min(box["x"] + box["width"], other["x"] + other["width"]) - max(box["x"], other["x"]) > 0
                       and min(box["y"] + box["height"], other["y"] + other["height"]) - max(box["y"], other["y"]) > 0)
            assert not overlap, (box, other)
    assert bubble.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")


def test_a_long_first_line_is_shown_whole(page):
    line = ("When all the lanterns of the harbour town are lit against the slow and silver rain, I walk the "
            "long sea wall and count the boats that will not come home again")
    choose_muses(page, ("John Keats",))
    page.locator("#verse-input textarea").fill(line)
    page.click("#verse-send")
    page.locator("#verse-chat [data-testid=bot]").first.wait_for()
    bubble = page.locator("#verse-chat [data-testid=user]").first
    assert bubble.inner_text().strip() == line
    assert_not_covered(page, bubble)


def poem_lines(page) -> list[str]:
    return [x for x in page.locator("#verse-poem textarea").input_value().split("\n") if x]


def test_write_accept_title_and_download_a_couplet(page, tmp_path):
    choose_muses(page, MUSES)
    page.locator("#verse-form").get_by_label("couplet", exact=True).check()
    page.locator("#verse-title input, #verse-title textarea").first.fill(TITLE)
    page.locator("#verse-input textarea").fill(FIRST)
    page.click("#verse-send")
    radios = page.locator("#verse-choices input[type=radio]")
    radios.first.wait_for()
    labels = page.locator("#verse-choices label").all_inner_texts()
    assert {label.split(": ", 1)[0].strip() for label in labels} == set(MUSES)
    answers = page.locator("#verse-chat [data-testid=bot]").all_inner_texts()
    for poet in MUSES:
        assert any(a.strip().startswith(f"{poet}:") and "syllables" in a for a in answers), answers
    assert page.locator("#verse-chat [data-testid=user]").last.inner_text().strip() == FIRST
    assert_not_covered(page, page.locator("#verse-chat [data-testid=user]").first)
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000

    chosen = labels[-1].split(": ", 1)[1].strip()
    page.locator("#verse-choices label").last.click()
    page.click("#verse-accept")
    page.wait_for_function("() => document.querySelector('#verse-poem textarea').value.split('\\n').length == 2")
    assert poem_lines(page) == [FIRST, chosen]
    page.locator("#verse-chat [data-testid=bot]", has_text="complete").wait_for()

    content = ""
    for _ in range(10):  # the file follows the poem once the accept event has run
        with page.expect_download() as info:
            page.click("#verse-download")
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        content = target.read_text(encoding="utf-8")
        if content.count("\n") == 4:
            break
        page.wait_for_timeout(300)
    assert content == f"{TITLE}\n\n{FIRST}\n{chosen}\n"
    assert info.value.suggested_filename == "morning-couplet.txt"

    page.locator("#verse-title input, #verse-title textarea").first.fill("Slow Light")  # retitled: a new file
    for _ in range(10):
        with page.expect_download() as info:
            page.click("#verse-download")
        if info.value.suggested_filename == "slow-light.txt":
            break
        page.wait_for_timeout(300)
    info.value.save_as(tmp_path / "retitled.txt")
    assert (tmp_path / "retitled.txt").read_text(encoding="utf-8") == f"Slow Light\n\n{FIRST}\n{chosen}\n"


def test_edit_puts_the_suggestion_in_the_box_and_sending_adds_it(page):
    choose_muses(page, ("John Keats",))
    page.locator("#verse-input textarea").fill(FIRST)
    page.click("#verse-send")
    page.locator("#verse-choices input[type=radio]").first.wait_for()
    label = page.locator("#verse-choices label").first.inner_text()
    page.locator("#verse-choices label").first.click()
    page.click("#verse-edit")
    box = page.locator("#verse-input textarea")
    page.wait_for_function("t => document.querySelector('#verse-input textarea').value == t",
                           arg=label.split(": ", 1)[1].strip())
    box.fill(box.input_value() + " <i>again</i>")
    page.click("#verse-send")
    page.wait_for_function("() => document.querySelector('#verse-poem textarea').value.split('\\n').length == 2")
    assert poem_lines(page)[1].endswith("<i>again</i>")
    shown = page.locator("#verse-chat [data-testid=user]").last.inner_text()
    assert shown.strip().endswith("<i>again</i>")
    assert page.locator("#verse-chat i").count() == 0
