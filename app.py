"""Quill: the Gradio app. UI wiring only; everything it shows comes from `generators`."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# Gradio learns that a page closed only when its next heartbeat fails to send: at its default 15 s, a closed page's
# decoding ran on for up to 15 s (and a CI run saw the unload event arrive after a 10 s answer had ended)
os.environ.setdefault("GRADIO_HEARTBEAT_INTERVAL", "2")

import gradio as gr  # noqa: E402

from ui.continuation_handlers import ContinuationHandlers  # noqa: E402
from ui.continuation_tab import build_continuation_tab  # noqa: E402
from ui.model_pool import ModelPool  # noqa: E402
from ui.ner_handlers import NERHandlers  # noqa: E402
from ui.ner_tab import build_ner_tab  # noqa: E402
from ui.stop_flags import StopFlags  # noqa: E402
from ui.translation_handlers import TranslationHandlers  # noqa: E402
from ui.translation_tab import build_translation_tab  # noqa: E402
from ui.verse_handlers import VerseHandlers  # noqa: E402
from ui.verse_tab import build_verse_tab  # noqa: E402

TASKS = ("continuation", "translation", "ner", "verse")
# decoding events at once: requests for one model that arrive together decode as one batch (ModelPool's micro-
# batchers, at most generators.micro_batching.CONCURRENT_BATCHES batches computing at a time), so many may wait
CONCURRENCY_PER_EVENT = 16
THEME = gr.themes.Soft()
CSS = """
.quill-heatmap { overflow: auto; max-height: 520px; }
.quill-heatmap table { border-collapse: collapse; font-size: 12px; }
.quill-heatmap th, .quill-heatmap td { border: 1px solid #e5e7eb; padding: 0; }
.quill-heatmap td { width: 22px; min-width: 22px; height: 20px; }
.quill-heatmap td.max { outline: 2px solid #f59e0b; outline-offset: -2px; }
.quill-heatmap th.src { vertical-align: bottom; height: 90px; }
.quill-heatmap th.src span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: pre; padding: 2px; }
.quill-heatmap th.tgt { text-align: right; white-space: pre; padding: 0 6px; }
#translate-chat .message-content, #translate-chat .prose { white-space: pre-wrap; }
#continue-chat .message, .dataframe td { white-space: pre-wrap; }
#continue-chat .message-content, #continue-chat .prose { white-space: pre-wrap; }
#verse-chat .message-content, #verse-chat .prose { white-space: pre-wrap; }
/* the verse chat's toolbar (clear, copy all) lay over the writer's first line, right-aligned at the top: the tab has
   its own Clear button and the poem its copy button, so the toolbar goes */
#verse-chat .icon-button-wrapper.top-panel { display: none !important; }
"""


def build_app(pool: ModelPool) -> gr.Blocks:
    stops = StopFlags()
    with gr.Blocks(title="Quill") as app:
        gr.Markdown("# Quill\nClassic and modern text generation side by side, all through one decoding module.")
        with gr.Tabs():
            with gr.Tab("Continuation", id="continuation"):
                continuation = ContinuationHandlers(pool, stops)
                continuation_menu = build_continuation_tab(continuation, CONCURRENCY_PER_EVENT)
            with gr.Tab("Translation", id="translation"):
                build_translation_tab(TranslationHandlers(pool, stops), CONCURRENCY_PER_EVENT)
            with gr.Tab("Entities", id="ner"):
                build_ner_tab(NERHandlers(pool, stops), CONCURRENCY_PER_EVENT)
            with gr.Tab("Verse", id="verse"):
                build_verse_tab(VerseHandlers(pool), CONCURRENCY_PER_EVENT)
        if pool.engines:  # each page opens on the engine models that answer now
            app.load(continuation.menu, None, [continuation_menu], api_visibility="private", queue=False)
        app.unload(stops.stop_request)  # a closed or reloaded page stops its session's decoding within one step
    app.queue(default_concurrency_limit=CONCURRENCY_PER_EVENT, max_size=64)
    return app


def cap_malloc_arenas(arenas: int = 2) -> bool:
    """glibc's MALLOC_ARENA_MAX for this process, set before the server's threads start: with one malloc arena per
    thread, resident memory kept creeping up under load (benchmarks.load: +9% vs +5% with 2 arenas)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(-8, arenas))  # -8 = M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to cap
        return False


def main() -> None:
    cap_malloc_arenas()
    with_hub = os.environ.get("QUILL_OFFLINE") != "1"
    app = build_app(ModelPool.load_all(TASKS, with_hub=with_hub, background=True))  # SmolLM2 loads after
    app.launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        css=CSS,
        theme=THEME,
        show_error=True,
        max_threads=CONCURRENCY_PER_EVENT + 8,  # the events' threads and Gradio's own
    )


if __name__ == "__main__":
    main()
