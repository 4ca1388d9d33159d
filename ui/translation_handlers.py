"""Handlers of the Translation tab: plain functions (Gradio passes component values in, gets values out).

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
"""

import time
from collections.abc import Iterator

import gradio as gr

from generators import TranslationRequest
from generators.translation import select_attention

from . import attention_view, views
from .chat_shell import USER_ERRORS, as_text, keep_answer, user_error
from .controls import translation_config
from .model_pool import ModelPool
from .stop_flags import StopFlags

STREAM_INTERVAL = 0.05  # seconds between streamed chat updates
TASK = "translation"
LONG_SOURCE_TOKENS = 60  # beyond this the bundled models (trained on short sentences) are out of their depth


class TranslationHandlers:
    def __init__(self, pool: ModelPool, stops: StopFlags):
        self.pool = pool
        self.stops = stops

    def translate(self, message, model, strategy, num_beams, num_return_sequences, length_penalty,
                  max_new_tokens, layer, head, history, answers, request: gr.Request) -> Iterator[tuple]:
        """A new turn: English in, French out (streamed), then the heatmap and n-best of the best hypothesis."""
        try:
            generator = self.pool.get(TASK, model)
            config = translation_config(strategy, num_beams, num_return_sequences, length_penalty, max_new_tokens)
            request_ = TranslationRequest(message, config)
        except USER_ERRORS as error:
            raise user_error(error) from None
        history = list(history or []) + [{"role": "user", "content": as_text(request_.text)},
                                         {"role": "assistant", "content": "…"}]
        session = _session(request)
        flag = self.stops.arm(session)
        skip = gr.skip()
        last_shown, final = 0.0, None
        try:
            for partial in generator.stream(request_, should_stop=flag.is_set):
                final = partial
                now = time.monotonic()
                if not partial.done and now - last_shown < STREAM_INTERVAL:
                    continue
                last_shown = now
                if not partial.done:
                    history[-1] = {"role": "assistant", "content": as_text(partial.text or "…")}
                    yield history, skip, skip, skip, skip, skip
        finally:
            self.stops.release(session, flag)
        view = _view(generator, model, final, stopped=flag.is_set())
        answers = keep_answer(answers, len(history) - 1, view)
        history[-1] = {"role": "assistant", "content": as_text(view["text"] or "(nothing generated)")}
        yield (history, answers, *_render(view, layer, head), view["nbest"], view["note"])

    def stop(self, request: gr.Request) -> None:
        self.stops.stop(_session(request))

    @staticmethod
    def clear():
        return [], {}, attention_view.heatmap_html([], [], None), [], [], ""

    @staticmethod
    def select(answers, layer, head, event: gr.SelectData):
        """Clicking an answer in the chat shows its heatmap, n-best and notes."""
        index = event.index[0] if isinstance(event.index, list) else event.index
        view = (answers or {}).get(str(index))
        if view is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return (*_render(view, layer, head), view["nbest"], view["note"])

    @staticmethod
    def rerender(answers, layer, head):
        """Another layer or head for the latest answer's heatmap."""
        if not answers:
            return gr.skip(), gr.skip()
        return _render(answers[max(answers, key=int)], layer, head)

    def model_changed(self, model):
        """Layer and head menus for the chosen model (hidden for a model with a single attention)."""
        try:
            layout = self.pool.fact(TASK, model, "attention_layout")
        except USER_ERRORS as error:
            raise user_error(error) from None
        layers, heads = attention_view.layer_choices(layout)
        shown = layout is not None
        return (gr.update(choices=layers, value=attention_view.AVERAGE if shown else None, visible=shown),
                gr.update(choices=heads, value=attention_view.AVERAGE if shown else None, visible=shown))


def _view(generator, model, final, stopped: bool) -> dict:
    """What the views need of one answer, kept in the session (attention [T, S] or [T, L, H, S]); a source of
    several sentences keeps each sentence's own tokens and attention too."""
    best = final.decode.best
    notes = []
    if stopped:
        notes.append("stopped: the translation ends where you pressed Stop")
    if best.finish_reason == "length":
        notes.append("the translation hit max_new_tokens before the model ended it")
    step_model = getattr(generator, "step_model", None)
    ensemble = getattr(step_model, "ensemble_note", None)
    if ensemble:
        notes.append(ensemble)
    notes.extend(dict.fromkeys(final.decode.notes))  # every part's, once (e.g. a lower-ranked beam shown first)
    if final.parts:
        notes.append(f"translated in {len(final.parts)} parts, one by one: each sentence, a long sentence clause "
                     "by clause, cut before \", and\", \", which\" …, and words in parentheses or between commas after "
                     "the subject apart (the bundled models learned from short everyday sentences); each part has its "
                     "own heatmap below, and the n-best lists the whole")
    swapped = {word: stand_in for part in final.parts or [final] for word, stand_in in part.stand_ins.swaps.items()}
    if swapped:
        pairs = ", ".join(f"{as_text(word)} → {stand_in}" for word, stand_in in swapped.items())
        notes.append(f"words this model would misread (rare names, numbers, dates, news and science words, British "
                     f"spellings, …) went to it rewritten or as stand-ins it copies or translates reliably ({pairs}), "
                     "then were put back in the translation and the heatmap")
    if any(any(part.stand_ins.emoji) for part in final.parts or [final]):
        notes.append("emoji were set aside (the bundled models never saw any) and put back around the translation")
    longest = max((len(part.source_ids) for part in final.parts or [final]), default=0)
    readable = getattr(step_model, "max_source_tokens", None)
    if readable and longest >= readable:
        notes.append(f"a sentence was cut at {readable} subwords, all this model reads at once; split it to translate "
                     "the rest")
    if longest > LONG_SOURCE_TOKENS:
        notes.append(f"long sentence ({longest} subwords): the bundled models learned from short everyday "
                     "sentences, so expect mistakes; shorter sentences translate better")
    return {
        "text": final.text,
        "sentences": [_sentence_view(part) for part in final.parts or [final]],
        "layout": generator.attention_layout,
        "nbest": views.nbest_rows(final.hypotheses),
        "note": "\n".join(f"- {note}" for note in notes),
        "model": model,
    }


def _sentence_view(result) -> dict:
    attention = result.decode.best.attention
    return {"source": result.source, "source_tokens": result.source_tokens, "target_tokens": result.target_tokens,
            "attention": None if attention is None else attention.clone()}  # not a view into the beams


def _render(view: dict, layer, head) -> tuple[str, list]:
    """(heatmap HTML, table rows) for the chosen layer and head (None = average over them): one heatmap per
    sentence, headed by the sentence when there are several."""
    sentences = view["sentences"]
    maps, rows = [], []
    for number, sentence in enumerate(sentences, start=1):
        matrix = _chosen(sentence["attention"], view["layout"], layer, head)
        source, target = sentence["source_tokens"], sentence["target_tokens"]
        heatmap = attention_view.heatmap_html(source, target, matrix)
        if len(sentences) > 1:
            heatmap = attention_view.sentence_heading(number, sentence["source"]) + heatmap
            rows += [[f"{number}.{row[0]}", *row[1:]] for row in attention_view.attention_rows(source, target, matrix)]
        else:
            rows = attention_view.attention_rows(source, target, matrix)
        maps.append(heatmap)
    return "".join(maps), rows


def _chosen(matrix, layout, layer, head):
    """[T, S] of the layer and head chosen in the menus (the RNN's [T, S] as it is)."""
    layers, heads = layout or (None, None)
    return select_attention(matrix, attention_view.choice_index(layer, layers), attention_view.choice_index(head, heads))


def _session(request) -> str:
    return getattr(request, "session_hash", None) or "anonymous"

