"""The chat shell every tab reuses: a conversation kept for the session, and Send / Continue / Ask again /
Stop / Clear, with the richer views of the selected answer beside it (each tab adds its own)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from generators import DecodingError, QuillError


@dataclass
class ChatShell:
    chatbot: gr.Chatbot
    message: gr.Textbox
    send: gr.Button
    extend: gr.Button
    retry: gr.Button
    stop: gr.Button
    clear: gr.Button
    answers: gr.State  # one dict of view data per assistant message, keyed by its index in the chat


def build_chat_shell(name: str, placeholder: str, extend_label: str = "Continue") -> ChatShell:
    chatbot = gr.Chatbot(
        label="Conversation",
        height=380,
        render_markdown=False,  # whatever a user or a model writes is shown as text, never as markup
        sanitize_html=True,
        elem_id=f"{name}-chat",
        buttons=["copy", "copy_all"],
        feedback_options=None,
    )
    message = gr.Textbox(label="Your turn", placeholder=placeholder, lines=3, max_lines=8, elem_id=f"{name}-input")
    with gr.Row():
        send = gr.Button("Generate", variant="primary", elem_id=f"{name}-send")
        extend = gr.Button(extend_label, elem_id=f"{name}-extend")
        retry = gr.Button("Ask again", elem_id=f"{name}-retry")
        stop = gr.Button("Stop", variant="stop", elem_id=f"{name}-stop")
        clear = gr.Button("Clear", elem_id=f"{name}-clear")
    return ChatShell(chatbot, message, send, extend, retry, stop, clear, gr.State({}))


def user_error(error: Exception) -> gr.Error:
    """A user-facing error toast for our own errors (message as written, no traceback)."""
    return gr.Error(str(error), print_exception=False)


USER_ERRORS = (QuillError, DecodingError)
