import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# By default the lean decoder runs the decode step `prepare` compiled ahead of time (QUILL_COMPILE=1: just in time);
# the suite decodes eagerly, except tests/test_quantize.py's compiled-path tests, which ask for either.
os.environ.setdefault("QUILL_COMPILE", "0")
sys.path.insert(0, str(Path(__file__).parent))

from tiny_models import save_tiny_gpt2_dir, save_tiny_llama_dir, save_tiny_marian_dir  # noqa: E402


@pytest.fixture(scope="module")
def one_thread():
    """Tiny models run fastest single-threaded (and do not fight other processes for the cores)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_gpt2_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-gpt2")
    save_tiny_gpt2_dir(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_llama_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-llama")
    save_tiny_llama_dir(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-marian")
    save_tiny_marian_dir(folder)
    return folder


@pytest.fixture(scope="session")
def running_app():
    """(url, pool) of the app served in this process for the whole session."""
    from app_fixture import start_app

    blocks, url, pool = start_app()
    yield url, pool
    blocks.close()


@pytest.fixture(scope="module")
def chromium():
    """A headless Debian Chromium (Playwright) for a module of browser tests; a missing one fails, never skips."""
    from browser import MISSING, chromium_path, launch

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright's Python package: pip install -r requirements-dev.txt",
                    pytrace=False)
    if chromium_path() is None:
        pytest.fail(MISSING, pytrace=False)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
