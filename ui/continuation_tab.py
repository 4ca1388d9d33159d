"""The Continuation tab: prompt, model menu, decoding controls; chat on the left, views of the answer right."""

from __future__ import annotations

import gradio as gr

from generators.chat import DEFAULT_SYSTEM_PROMPT
from generators.limits import (
    MAX_BEAMS,
    MAX_NEW_TOKENS,
    MAX_NO_REPEAT_NGRAM,
    MAX_RETURN_SEQUENCES,
    MAX_SYSTEM_PROMPT_CHARS,
)

from . import views
from .chat_shell import build_chat_shell
from .continuation_handlers import MODES, ContinuationHandlers
from .controls import STRATEGIES
from .named_controls import Dropdown, Radio, Slider

EXAMPLES = [
    "The best way to learn a new language is",
    "Give me three tips for writing a clear email.",
    "ROMEO:\nWhat light is this",
    "First Citizen:\nWe are accounted poor citizens",
    "The king is dead, and",
    "To sleep, perchance",
]


def build_continuation_tab(handlers: ContinuationHandlers, concurrency_limit: int) -> gr.Dropdown:
    """The tab's components and events; returns its model menu (refreshed on page load while an engine is set)."""
    pool = handlers.pool
    names = pool.names("continuation")
    with gr.Row():
        with gr.Column(scale=5):
            shell = build_chat_shell("continue", "Type the start of a text (continue text) or a message (chat)")
            gr.Examples(EXAMPLES, inputs=[shell.message], label="Examples")
        with gr.Column(scale=4):
            # an engine model comes and goes with its engine: the menu takes any name, the pool says which it knows
            model = Dropdown(names, value=names[0] if names else None, label="Model", elem_id="continue-model",
                             allow_custom_value=bool(pool.engines))
            note = pool.unavailable_note("continuation")
            if note:
                gr.Markdown(note, elem_id="continue-unavailable")
            mode = Radio(list(MODES), value=MODES[0], label="Mode", elem_id="continue-mode",
                         info="continue text: the model goes on from your text; chat: it answers your turns with "
                              "its chat template over the whole conversation (chat models only)")
            system_prompt = gr.Textbox(DEFAULT_SYSTEM_PROMPT, label="System prompt (chat)", lines=2, max_lines=6,
                                       max_length=MAX_SYSTEM_PROMPT_CHARS, visible=False, elem_id="continue-system",
                                       info="empty: the model's own default")
            strategy = Radio(list(STRATEGIES), value="sampling", label="Strategy", elem_id="continue-strategy")
            with gr.Row():
                temperature = Slider(0.05, 2.0, value=0.8, step=0.05, label="temperature")
                top_k = Slider(0, 200, value=40, step=1, label="top_k", info="0 = off")
                top_p = Slider(0.05, 1.0, value=0.9, step=0.01, label="top_p")
            with gr.Row():
                num_beams = Slider(1, MAX_BEAMS, value=4, step=1, label="num_beams")
                num_return = Slider(1, MAX_RETURN_SEQUENCES, value=1, step=1, label="n-best / samples")
                max_new_tokens = Slider(1, MAX_NEW_TOKENS, value=200, step=1, label="max_new_tokens")
            with gr.Row():
                repetition_penalty = Slider(0.5, 2.0, value=1.0, step=0.05, label="repetition_penalty")
                no_repeat = Slider(0, MAX_NO_REPEAT_NGRAM, value=0, step=1, label="no_repeat_ngram_size")
                seed = gr.Textbox(value="", placeholder="random", label="seed", max_lines=1,
                                  elem_id="continue-seed")
            hints = gr.Markdown(elem_id="continue-hints")
    controls = [strategy, temperature, top_k, top_p, num_beams, num_return, max_new_tokens,
                repetition_penalty, no_repeat, seed]
    with gr.Tabs():
        with gr.Tab("Token probabilities"):
            tokens = gr.Dataframe(headers=views.TOKEN_HEADERS, datatype="str", wrap=True, max_height=420,
                                  interactive=False, elem_id="continue-tokens")
        with gr.Tab("n-best"):
            nbest = gr.Dataframe(headers=views.NBEST_HEADERS, datatype="str", wrap=True, interactive=False,
                                 elem_id="continue-nbest")
        with gr.Tab("Compare models"):
            compare_models_button = gr.Button("Run every model on this prompt", elem_id="continue-compare-models-run")
            model_comparison = gr.Dataframe(headers=views.MODEL_COMPARE_HEADERS, datatype="str", wrap=True,
                                            interactive=False, elem_id="continue-compare-models")
            gr.Markdown("Same prompt, settings and seed for every model (at most 60 new tokens). *Prompt nats/char*: "
                        "how surprised each model is by your prompt, per character, so character and subword models "
                        "compare (lower is better); *answer log-prob/char*: how sure it was of what it wrote.")
        with gr.Tab("Compare strategies"):
            compare_button = gr.Button("Compare strategies on this prompt", elem_id="continue-compare-run")
            comparison = gr.Dataframe(headers=views.COMPARE_HEADERS, datatype="str", wrap=True,
                                      interactive=False, elem_id="continue-compare")
        with gr.Tab("Temperature"):
            plot = gr.HTML(label="Temperature made visible", elem_id="continue-temperature")
        with gr.Tab("Settings (replay)"):
            settings = gr.Code(language="json", label="Settings of the selected answer: copy, paste, replay",
                               interactive=True, elem_id="continue-settings")
            apply = gr.Button("Apply these settings", elem_id="continue-apply")

    conversation = gr.State([])  # chat mode's raw messages
    outputs = [shell.chatbot, shell.answers, tokens, nbest, settings, hints, plot, conversation]
    state_inputs = [*controls, mode, system_prompt, shell.chatbot, shell.answers, conversation]
    shell.send.click(handlers.generate, [shell.message, model, *state_inputs], outputs, api_name="continue",
                     concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.message.submit(handlers.generate, [shell.message, model, *state_inputs], outputs,
                         api_visibility="private", concurrency_limit=concurrency_limit,
                         concurrency_id="decode")
    shell.extend.click(handlers.extend, [model, *state_inputs], outputs, api_name="continue_more",
                       concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.retry.click(handlers.retry, [model, *state_inputs], outputs, api_name="continue_again",
                      concurrency_limit=concurrency_limit, concurrency_id="decode")
    # Stop sets the session's flag; the decoding loop checks it every step and ends with a final update.
    # (No `cancels=`: cancelling races that final update and can leave the chat showing an error.)
    shell.stop.click(handlers.stop, None, None, api_name="continue_stop", concurrency_limit=None)
    shell.clear.click(handlers.clear, None, outputs, api_name="continue_clear", queue=False)
    shell.chatbot.select(handlers.select, [shell.answers], [tokens, nbest, settings, hints],
                         api_visibility="private")
    compare_button.click(handlers.compare, [shell.message, model, *controls], [comparison], api_name="compare",
                         concurrency_limit=concurrency_limit, concurrency_id="decode")
    compare_models_button.click(handlers.compare_models, [shell.message, *controls], [model_comparison],
                                api_name="compare_models", concurrency_limit=concurrency_limit,
                                concurrency_id="decode")
    strategy.change(handlers.hints, [strategy], [hints], api_visibility="private", queue=False)
    mode.change(lambda chosen: gr.update(visible=chosen == "chat"), [mode], [system_prompt],
                api_visibility="private", queue=False)
    apply.click(handlers.apply_settings, [settings], [shell.message, model, *controls, mode, system_prompt,
                                                      conversation], api_name="apply_settings").then(
        handlers.show_conversation, [mode, conversation], [shell.chatbot, shell.answers], api_visibility="private")
    return model
