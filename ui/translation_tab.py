"""The Translation tab: English in, French out; n-best and the attention heatmap of the hypothesis shown."""

from __future__ import annotations

import gradio as gr

from generators.limits import MAX_BEAMS, MAX_NEW_TOKENS, MAX_RETURN_SEQUENCES

from . import attention_view, views
from .chat_shell import build_chat_shell
from .controls import TRANSLATION_STRATEGIES
from .named_controls import Dropdown, Radio, Slider
from .translation_handlers import TranslationHandlers

EXAMPLES = [
    "I would like a cup of coffee, please.",
    "The children are playing in the garden.",
    "Where is the nearest train station?",
    "She has been reading that book for three hours.",
    "Ingrid moved to Tampere in 1991 with 450 euros.",
    "Steve is fourteen years old and speaks Portuguese.",
    "Hi Anna! I'm arriving in Lyon on Friday at 6:45 p.m. Can you pick me up at the station?",
    "The old town is small enough to be explored on foot, and most of its museums are free on the first Sunday of "
    "each month.",  # a long sentence: translated clause by clause
]


def build_translation_tab(handlers: TranslationHandlers, concurrency_limit: int) -> None:
    pool = handlers.pool
    names = pool.names("translation")
    first_layout = pool.fact("translation", names[0], "attention_layout") if names else None
    layers, heads = attention_view.layer_choices(first_layout)
    with gr.Row():
        with gr.Column(scale=5):
            shell = build_chat_shell("translate", "Type an English sentence", extend_label=None, retry_label=None,
                                     send_label="Translate")
            gr.Examples(EXAMPLES, inputs=[shell.message], label="Examples")
        with gr.Column(scale=4):
            model = Dropdown(names, value=names[0] if names else None, label="Model", elem_id="translate-model")
            note = pool.unavailable_note("translation")
            if note:
                gr.Markdown(note, elem_id="translate-unavailable")
            strategy = Radio(list(TRANSLATION_STRATEGIES), value="beam search", label="Strategy",
                             elem_id="translate-strategy")
            with gr.Row():
                num_beams = Slider(1, MAX_BEAMS, value=4, step=1, label="num_beams")
                num_return = Slider(1, MAX_RETURN_SEQUENCES, value=3, step=1, label="n-best",
                                    info="at most num_beams")
            with gr.Row():
                length_penalty = Slider(-2.0, 3.0, value=1.0, step=0.1, label="length_penalty",
                                        info="> 1 favours longer translations")
                max_new_tokens = Slider(1, MAX_NEW_TOKENS, value=128, step=1, label="max_new_tokens")
            with gr.Row():
                layer = Dropdown(layers, value=attention_view.AVERAGE if layers else None, label="layer",
                                 visible=bool(layers), elem_id="translate-layer")
                head = Dropdown(heads, value=attention_view.AVERAGE if heads else None, label="head",
                                visible=bool(heads), elem_id="translate-head")
            notes = gr.Markdown(elem_id="translate-notes")
    gr.Markdown(f"**Attention** of the translation shown (the best beam). {attention_view.CAVEAT}")
    heatmap = gr.HTML(attention_view.heatmap_html([], [], None), elem_id="translate-heatmap")
    with gr.Tabs():
        with gr.Tab("Attention values"):
            table = gr.Dataframe(headers=attention_view.ROW_HEADERS, datatype="str", wrap=True, max_height=360,
                                 interactive=False, elem_id="translate-attention")
        with gr.Tab("n-best"):
            nbest = gr.Dataframe(headers=views.NBEST_HEADERS, datatype="str", wrap=True, interactive=False,
                                 elem_id="translate-nbest")

    inputs = [shell.message, model, strategy, num_beams, num_return, length_penalty, max_new_tokens, layer, head,
              shell.chatbot, shell.answers]
    outputs = [shell.chatbot, shell.answers, heatmap, table, nbest, notes]
    shell.send.click(handlers.translate, inputs, outputs, api_name="translate",
                     concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.message.submit(handlers.translate, inputs, outputs, api_visibility="private",
                         concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.stop.click(handlers.stop, None, None, api_name="translate_stop", concurrency_limit=None)
    shell.clear.click(handlers.clear, None, outputs, api_name="translate_clear", queue=False)
    shell.chatbot.select(handlers.select, [shell.answers, layer, head], [heatmap, table, nbest, notes],
                         api_visibility="private")
    for menu in (layer, head):
        menu.change(handlers.rerender, [shell.answers, layer, head], [heatmap, table], api_visibility="private",
                    queue=False)
    model.change(handlers.model_changed, [model], [layer, head], api_visibility="private", queue=False)
