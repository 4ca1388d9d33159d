"""The app running in this process on a free loopback port, with the bundled models and one slow test model."""

from __future__ import annotations

import socket
import time

from generators import ContinuationGenerator, load

SLOW_STEP_SECONDS = 0.02


class SlowStepModel:
    """Wraps a real step model and sleeps each step, so Stop can be seen acting mid-generation."""

    def __init__(self, inner):
        self.inner = inner
        for name in ("vocab_size", "eos_token_id", "suppressed_token_ids"):
            setattr(self, name, getattr(inner, name))
        self.steps = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def step(self, state, last_tokens):
        self.steps += 1
        time.sleep(SLOW_STEP_SECONDS)
        return self.inner.step(state, last_tokens)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(with_slow_model: bool = True):
    """(app, url, pool): the real app on the bundled models (plus 'slow-ngram' first in the menu)."""
    import app as quill_app
    from ui.model_pool import ModelPool

    pool = ModelPool.load_all(quill_app.TASKS, with_hub=False)
    if with_slow_model:
        slow = SlowStepModel(load("ngram-shakespeare").step_model)
        pool.generators["continuation"]["slow-ngram"] = ContinuationGenerator(slow, "slow-ngram")
        pool.order["continuation"].insert(0, "slow-ngram")
    blocks = quill_app.build_app(pool)
    port = free_port()
    blocks.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                  css=quill_app.CSS, theme=quill_app.THEME)
    return blocks, f"http://127.0.0.1:{port}/", pool
