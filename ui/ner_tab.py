"""The Entities tab: text in, entities out — highlighted with a legend and listed in a table beside the chat."""

from __future__ import annotations

import gradio as gr

from generators.limits import MAX_BEAMS, MAX_NER_INPUT_CHARS

from .chat_shell import build_chat_shell
from .named_controls import Dropdown, Slider
from .ner_handlers import TABLE_HEADERS, NERHandlers

EXAMPLES = [
    "BRUSSELS 1996-08-22 — The European Commission said on Thursday it disagreed with German advice to "
    "consumers to shun British lamb until scientists determine whether mad cow disease can be passed to sheep.",
    "Marie Curie was born in Warsaw in 1867, moved to Paris to study at the Sorbonne, and with Pierre Curie "
    "won the Nobel Prize in Physics in 1903.",
    "On March 3, 2021 at 10:30 am, Acme Corp said revenue rose 12.5% to $4.2 million, about 30 percent more "
    "than the 3,200 tonnes it shipped in 2019 for 15 euros a kilo.",
]
COLORS = {"PER": "#f4a261", "ORG": "#8ecae6", "LOC": "#95d5b2", "MISC": "#cdb4db", "MONEY": "#ffd166",
          "PERCENT": "#ef476f", "QUANTITY": "#06d6a0", "CARDINAL": "#adb5bd", "DATE": "#118ab2",
          "TIME": "#a3c4f3", "person": "#f4a261", "location": "#95d5b2", "group": "#8ecae6",
          "corporation": "#b5e48c", "product": "#ffafcc", "creative-work": "#cdb4db"}


def build_ner_tab(handlers: NERHandlers, concurrency_limit: int) -> None:
    pool = handlers.pool
    names = pool.names("ner")
    with gr.Row():
        with gr.Column(scale=5):
            shell = build_chat_shell("ner", "Paste a text to find people, organisations, places, numbers …")
            shell.send.value = "Find entities"
            shell.retry.value = "Tag again"
            shell.extend.visible = False  # nothing to continue in tagging
            gr.Examples(EXAMPLES, inputs=[shell.message], label="Examples")
        with gr.Column(scale=4):
            model = Dropdown(names, value=names[0] if names else None, label="Model", elem_id="ner-model")
            note = pool.unavailable_note("ner")
            if note:
                gr.Markdown(note, elem_id="ner-unavailable")
            with gr.Row():
                num_beams = Slider(1, MAX_BEAMS, value=1, step=1, label="num_beams",
                                   info="1 = greedy; both decode under the BIO constraint")
                threshold = Slider(0.0, 1.0, value=0.0, step=0.05, label="confidence threshold",
                                   elem_id="ner-threshold")
            rules = gr.Checkbox(value=True, label="numbers too (MONEY, PERCENT, QUANTITY, CARDINAL, DATE, TIME)")
            gr.Markdown(f"Texts longer than {MAX_NER_INPUT_CHARS:,} characters are cut there (with a note).")
            notes = gr.Markdown(elem_id="ner-notes")
    highlighted = gr.HighlightedText(label="Entities", color_map=COLORS, show_legend=True,
                                     combine_adjacent=False, elem_id="ner-highlighted")
    table = gr.Dataframe(headers=TABLE_HEADERS, datatype=["str", "str", "str", "number", "number"], wrap=True,
                         max_height=420, interactive=False, elem_id="ner-table")

    outputs = [shell.chatbot, shell.answers, highlighted, table, notes]
    settings = [num_beams, threshold, rules, shell.chatbot, shell.answers]
    shell.send.click(handlers.tag, [shell.message, model, *settings], outputs, api_name="ner",
                     concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.message.submit(handlers.tag, [shell.message, model, *settings], outputs, api_visibility="private",
                         concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.retry.click(handlers.retry, [model, *settings], outputs, api_name="ner_again",
                      concurrency_limit=concurrency_limit, concurrency_id="decode")
    shell.stop.click(handlers.stop, None, None, api_name="ner_stop", concurrency_limit=None)
    shell.clear.click(handlers.clear, None, outputs, api_name="ner_clear", queue=False)
    shell.chatbot.select(handlers.select, [threshold, shell.answers], [highlighted, table, notes],
                         api_visibility="private")
    threshold.change(handlers.refilter, [threshold, shell.answers], [highlighted, table, notes],
                     api_name="ner_threshold", queue=False)
