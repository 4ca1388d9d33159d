"""Helpers for the browser tests: Debian's Chromium driven by Playwright, and small readers of the Gradio page.

The browser is the system one (`apt-get install chromium`), never one fetched by `playwright install`.
Set QUILL_CHROMIUM to use another Chromium binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
MISSING = (
    "no Chromium for the browser tests: install Debian's (`apt-get install -y chromium`, giving /usr/bin/chromium) "
    "or point QUILL_CHROMIUM at a Chromium binary; `playwright install` is not used by this project"
)


def chromium_path() -> str | None:
    """The Chromium binary to drive: $QUILL_CHROMIUM, /usr/bin/chromium, or chromium on PATH."""
    candidates = [os.environ.get("QUILL_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch(playwright):
    """A headless Chromium (Playwright Browser); the caller fails the test when chromium_path() is None."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


# --- reading and driving the Continuation tab ---------------------------------------------------------------

ANSWERS_JS = "() => Array.from(document.querySelectorAll('#continue-chat [data-testid=bot]')).map(e => e.innerText)"
ROWS_JS = """(id) => Array.from(document.querySelectorAll(`#${id} [role=row].virtual-row`))
    .map(row => Array.from(row.querySelectorAll('[role=gridcell]')).map(cell => cell.innerText.trim()))"""
ROW_COUNT_JS = """(id) => { const grid = document.querySelector(`#${id} [role=grid]`);
    return grid ? Number(grid.getAttribute('aria-rowcount')) - 1 : -1; }"""


def answers(page) -> list[str]:
    """The visible text of every assistant message in the chat, oldest first."""
    return page.evaluate(ANSWERS_JS)


def last_answer(page) -> str:
    texts = answers(page)
    return texts[-1] if texts else ""


def wait_last_answer_longer_than(page, length: int, timeout_ms: float = 10_000) -> int:
    """Waits until the last assistant message has more than `length` characters; returns its length."""
    page.wait_for_function(
        "(n) => { const b = document.querySelectorAll('#continue-chat [data-testid=bot]');"
        " return b.length > 0 && b[b.length - 1].innerText.length > n; }",
        arg=length, timeout=timeout_ms,
    )
    return len(last_answer(page))


def table_row_count(page, elem_id: str) -> int:
    """Rows of a Gradio Dataframe (all of them: the grid is virtual, only visible rows are in the DOM)."""
    return page.evaluate(ROW_COUNT_JS, elem_id)


def wait_table_rows(page, elem_id: str, rows: int, timeout_ms: float = 15_000) -> None:
    page.wait_for_function(f"(id) => ({ROW_COUNT_JS})(id) === {int(rows)}", arg=elem_id, timeout=timeout_ms)


def table_rows(page, elem_id: str) -> list[list[str]]:
    """The cell texts of the rows the Dataframe has rendered (the first screenful)."""
    return page.evaluate(ROWS_JS, elem_id)


def set_slider_number(page, label: str, value) -> None:
    """Types into the number box of the slider labelled `label` and commits it."""
    box = page.get_by_label(f"number input for {label}", exact=True)
    box.fill(str(value))
    box.press("Enter")
    box.blur()


def choose_model(page, name: str) -> None:
    page.locator("#continue-model input").click()
    page.get_by_role("option", name=name, exact=True).click()
    page.wait_for_function(
        "(name) => document.querySelector('#continue-model input').value === name", arg=name, timeout=5_000
    )


def type_prompt(page, text: str) -> None:
    page.locator("#continue-input textarea").fill(text)
