"""The chat shell every tab reuses: a conversation kept for the session, and Send / Continue / Ask again /
Stop / Clear, with the richer views of the selected answer beside it (each tab adds its own)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from generators import DecodingError, QuillError
from generators.limits import MAX_KEPT_ANSWERS


@dataclass
class ChatShell:
    chatbot: gr.Chatbot
    message: gr.Textbox
    send: gr.Button
    extend: gr.Button | None  # None where the tab has no follow-up turns
    retry: gr.Button | None
    stop: gr.Button
    clear: gr.Button
    answers: gr.State  # one dict of view data per assistant message, keyed by its index in the chat


def build_chat_shell(name: str, placeholder: str, extend_label: str | None = "Continue",
                     retry_label: str | None = "Ask again", send_label: str = "Generate") -> ChatShell:
    chatbot = gr.Chatbot(
        label="Conversation",
        height=380,
        render_markdown=False,  # with this, Gradio inserts messages as (sanitised) HTML: see as_text()
        sanitize_html=True,
        latex_delimiters=[],
        elem_id=f"{name}-chat",
        buttons=["copy", "copy_all"],
        feedback_options=None,
    )
    message = gr.Textbox(label="Your turn", placeholder=placeholder, lines=3, max_lines=8, elem_id=f"{name}-input")
    with gr.Row():
        send = gr.Button(send_label, variant="primary", elem_id=f"{name}-send", min_width=90)
        extend = gr.Button(extend_label, elem_id=f"{name}-extend", min_width=90) if extend_label else None
        retry = gr.Button(retry_label, elem_id=f"{name}-retry", min_width=90) if retry_label else None
        stop = gr.Button("Stop", variant="stop", elem_id=f"{name}-stop", min_width=70)
        clear = gr.Button("Clear", elem_id=f"{name}-clear", min_width=70)
    return ChatShell(chatbot, message, send, extend, retry, stop, clear, gr.State({}))


def as_text(text: str) -> str:
    """Chat content that displays exactly these characters: Gradio renders messages as HTML, so escape it."""
    return html.escape(text, quote=False)


def keep_answer(answers: dict | None, index: int, view: dict) -> dict:
    """The session's answers plus this one at its chat index, keeping only the latest MAX_KEPT_ANSWERS views
    (a long chat must not grow the server's memory without bound; older answers just lose their views)."""
    kept = dict(answers or {})
    kept[str(index)] = view
    for key in sorted(kept, key=int)[:-MAX_KEPT_ANSWERS]:
        del kept[key]
    return kept


def user_error(error: Exception) -> gr.Error:
    """A user-facing error toast for our own errors (no traceback); escaped, because Gradio's error modal renders
    its message as HTML and our messages may quote what the user typed."""
    return gr.Error(html.escape(str(error), quote=False), print_exception=False)


USER_ERRORS = (QuillError, DecodingError)
