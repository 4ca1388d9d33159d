"""The Translation tab in a real headless Chromium: the heatmap renders with the right token labels, user text
and subword labels stay text, and the README screenshot docs/screenshots/translation.png."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from browser import VIEWPORT

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "translation.png"
SOURCE = "The children are playing in the garden."
HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> I like tea."


@pytest.fixture
def page(chromium, running_app):
    url, _ = running_app
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="Translation").click()
    page.wait_for_selector("#translate-send")
    yield page
    context.close()


def translate(page, text: str) -> None:
    page.locator("#translate-input textarea").fill(text)
    page.click("#translate-send")
    page.wait_for_selector("#translate-heatmap .quill-heatmap tbody tr")


def test_heatmap_labels_are_the_source_and_target_subwords(page, running_app):
    from generators import TranslationRequest

    translate(page, SOURCE)
    _, pool = running_app
    generator = pool.get("translation", page.locator("#translate-model input").input_value())
    expected = generator.generate(TranslationRequest(SOURCE))  # the tab's defaults: beam search, 4 beams
    columns = page.locator("#translate-heatmap th.src").evaluate_all("cells => cells.map(c => c.title)")
    rows = page.locator("#translate-heatmap th.tgt").all_inner_texts()
    assert columns == expected.source_tokens
    assert [row.replace("␣", " ") for row in rows] == [t.replace("␣", " ") for t in expected.target_tokens]
    cells = page.locator("#translate-heatmap tbody tr").first.locator("td")
    assert cells.count() == len(expected.source_tokens)
    assert "←" in cells.first.get_attribute("title")  # the value on hover
    answer = page.locator("#translate-chat [data-testid=bot]").last.inner_text()
    assert answer.strip() == expected.text


def choose(page, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.locator(f"#{elem_id}").get_by_role("option", name=option, exact=True).click()
    page.wait_for_function("([id, v]) => document.querySelector(`#${id} input`).value === v", arg=[elem_id, option])


def cell_values(page) -> list[list[float]]:
    """The attention weights in the heatmap cells' hover titles ('target ← source: 0.123'), row by row."""
    return page.locator("#translate-heatmap tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(c => Number(c.title.split(': ').pop())))")


def test_a_transformer_heatmap_per_layer_and_head(page, running_app):
    from generators import TranslationRequest

    _, pool = running_app
    choose(page, "translate-model", "transformer-small-en-fr")
    page.locator("#translate-layer").wait_for()
    translate(page, SOURCE)
    result = pool.get("translation", "transformer-small-en-fr").generate(TranslationRequest(SOURCE))
    rows = page.locator("#translate-heatmap th.tgt").all_inner_texts()
    assert [row.replace("␣", " ") for row in rows] == [t.replace("␣", " ") for t in result.target_tokens]
    for layer, head in [("average", "average"), ("3", "average"), ("3", "2")]:
        choose(page, "translate-layer", layer)
        choose(page, "translate-head", head)
        expected = result.attention(None if layer == "average" else int(layer) - 1,
                                    None if head == "average" else int(head) - 1)
        page.wait_for_function(
            "(first) => { const c = document.querySelector('#translate-heatmap tbody tr td');"
            " return c && Math.abs(Number(c.title.split(': ').pop()) - first) < 0.0015; }",
            arg=round(float(expected[0, 0]), 3))
        shown = torch.tensor(cell_values(page))
        assert shown.shape == expected.shape
        assert torch.allclose(shown, expected, atol=0.0015), (layer, head)


def test_markup_stays_text_in_chat_and_heatmap(page):
    dialogs, image_requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: request.url.rstrip("/").endswith("/x") and image_requests.append(request.url))
    translate(page, HOSTILE)
    shown = page.locator("#translate-chat [data-testid=user]").last.inner_text()
    assert "<img src=x onerror=alert(1)><b>bold</b>" in shown
    for area in ("#translate-chat", "#translate-heatmap"):
        assert page.locator(f'{area} img[src="x"]').count() == 0
        assert page.locator(f"{area} b").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == [] and image_requests == []


def test_screenshot_of_the_translation_tab(page):
    translate(page, "I would like a cup of coffee, please.")
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000


def test_the_default_is_the_ensemble_with_the_transformers_layer_and_head_menus(page, running_app):
    from generators import TranslationRequest

    assert page.locator("#translate-model input").input_value() == "ensemble-en-fr"
    assert page.locator("#translate-layer").is_visible() and page.locator("#translate-head").is_visible()
    source = "I visited the United States with Ingrid Svensson."
    translate(page, source)
    expected = running_app[1].get("translation", "ensemble-en-fr").generate(TranslationRequest(source))
    assert "Ingrid Svensson" in expected.text and "États-Unis" in expected.text
    answer = page.locator("#translate-chat [data-testid=bot]").last.inner_text()
    assert answer.strip() == expected.text
    page.wait_for_function("() => document.querySelector('#translate-notes').innerText.includes('ensemble')")
    rows = page.locator("#translate-heatmap th.tgt").all_inner_texts()
    assert [row.replace("␣", " ") for row in rows] == [t.replace("␣", " ") for t in expected.target_tokens]


def test_a_long_sentence_shows_one_heatmap_per_clause_and_says_so(page, running_app):
    from generators import TranslationRequest
    from ui.translation_tab import EXAMPLES

    source = EXAMPLES[-1]  # the tab's long example
    translate(page, source)
    expected = running_app[1].get("translation", "ensemble-en-fr").generate(TranslationRequest(source))
    assert len(expected.parts) == 2
    answer = page.locator("#translate-chat [data-testid=bot]").last.inner_text()
    assert answer.strip() == expected.text
    headings = page.locator("#translate-heatmap .quill-sentence").all_inner_texts()
    assert headings == [f"Part {n}: {part.source}" for n, part in enumerate(expected.parts, start=1)]
    assert page.locator("#translate-heatmap .quill-heatmap").count() == 2
    page.wait_for_function("() => document.querySelector('#translate-notes').innerText.includes('clause by clause')")
