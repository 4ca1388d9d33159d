"""The Verse tab: write a poem line by line with 1-3 poet muses, as in Google's Verse by Verse."""

from __future__ import annotations

import gradio as gr

from generators.limits import MAX_VERSE_MUSES, VERSE_SUGGESTIONS_RANGE
from generators.meter import METERS
from generators.verse import FORMS, SCHEMES

from .chat_shell import build_chat_shell
from .named_controls import CheckboxGroup, Dropdown, Radio, Slider
from .verse_handlers import ANY, NO_METER, VerseHandlers

SYLLABLE_CHOICES = [ANY] + [str(n) for n in range(4, 17)]
DEFAULT_MUSES = ("Emily Dickinson", "John Keats")
EXAMPLES = [
    "The morning light is soft and slow",
    "I walked along the quiet shore",
    "The winter wind is cold tonight",
    "Beneath the ancient oak we stood",
]


def build_verse_tab(handlers: VerseHandlers, concurrency_limit: int) -> None:
    pool = handlers.pool
    names = pool.names("verse")
    poets = list(pool.fact("verse", names[0], "poets")) if names else []
    with gr.Row():
        with gr.Column(scale=5):
            shell = build_chat_shell("verse", "Write the first line of your poem (or edit a suggestion)",
                                     extend_label=None, retry_label="Ask again", send_label="Suggest")
            gr.Examples(EXAMPLES, inputs=[shell.message], label="First lines")
            choice = Radio([], label="Latest suggestions", elem_id="verse-choices")
            with gr.Row():
                accept = gr.Button("Accept", variant="primary", elem_id="verse-accept", min_width=90)
                edit = gr.Button("Edit", elem_id="verse-edit", min_width=90)
        with gr.Column(scale=4):
            muses = CheckboxGroup(poets, value=[p for p in DEFAULT_MUSES if p in poets] or poets[:2],
                                  label=f"Muses (1 to {MAX_VERSE_MUSES})", elem_id="verse-muses")
            with gr.Row():
                form = Radio(list(FORMS), value="quatrain", label="Form", elem_id="verse-form")
                scheme = Radio(list(SCHEMES), value="AABB", label="Rhyme scheme", elem_id="verse-scheme",
                               info="a couplet rhymes AA")
            with gr.Row():
                syllables = Dropdown(SYLLABLE_CHOICES, value="8", label="Syllables per line",
                                     allow_custom_value=True, elem_id="verse-syllables")
                low, high = VERSE_SUGGESTIONS_RANGE
                suggestions = Slider(low, high, value=2, step=1, label="Suggestions per muse",
                                     elem_id="verse-suggestions")
            meter = Radio([NO_METER, *METERS], value=NO_METER, label="Meter", elem_id="verse-meter",
                          info="iambic: every word's stress on the beat (da-DUM), from CMUdict")
            with gr.Row():
                model = Dropdown(names, value=names[0] if names else None, label="Model",
                                 elem_id="verse-model")
                seed = gr.Textbox(label="Seed (optional)", placeholder="random", max_lines=1, elem_id="verse-seed")
            note = pool.unavailable_note("verse")
            if note:
                gr.Markdown(note, elem_id="verse-unavailable")
            status = gr.Markdown(elem_id="verse-notes")
            title = gr.Textbox(label="Title", placeholder="Untitled", elem_id="verse-title")
            poem_box = gr.Textbox(label="Poem", lines=6, max_lines=20, interactive=False, buttons=["copy"],
                                  elem_id="verse-poem")
            download = gr.DownloadButton("Download .txt", value=None, elem_id="verse-download")

    poem = gr.State([])
    latest = gr.State({})
    settings = [muses, form, scheme, syllables, suggestions, model, seed, title, meter, poem, shell.chatbot]
    outputs = [shell.chatbot, poem, latest, choice, poem_box, status, download, shell.message]
    decode = dict(concurrency_limit=concurrency_limit, concurrency_id="decode")
    events = [
        shell.send.click(handlers.suggest, [shell.message, *settings], outputs, api_name="verse", **decode),
        shell.message.submit(handlers.suggest, [shell.message, *settings], outputs, api_visibility="private",
                             **decode),
        accept.click(handlers.accept, [choice, latest, *settings], outputs, api_name="verse_accept", **decode),
        shell.retry.click(handlers.again, settings, outputs, api_name="verse_again", **decode),
    ]
    edit.click(handlers.edit, [choice, latest], [shell.message], api_visibility="private", queue=False)
    shell.stop.click(None, None, None, cancels=events, api_visibility="private")
    shell.clear.click(handlers.clear, None, outputs, api_name="verse_clear", queue=False)
    title.change(handlers.download, [title, poem], [download], api_visibility="private", queue=False)
