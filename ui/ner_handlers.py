"""Handlers of the Entities (NER) tab: plain functions (Gradio passes component values in, gets values out).

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
Every answer keeps all its entities (threshold 0); the threshold slider only filters what the views show.
"""


from collections import Counter

import gradio as gr

from generators import DecodingConfig
from generators.ner import NERRequest

from .chat_shell import USER_ERRORS, as_text, keep_answer, user_error
from .model_pool import ModelPool
from .stop_flags import StopFlags

TASK = "ner"
TABLE_HEADERS = ["entity", "type", "confidence", "start", "end"]
CHAT_LISTED = 12  # entities named in the chat answer; the table has them all


class NERHandlers:
    def __init__(self, pool: ModelPool, stops: StopFlags):
        self.pool = pool
        self.stops = stops

    def tag(self, message, model, num_beams, threshold, rules, history, answers, request: gr.Request):
        """A new turn: find the entities in the message."""
        if not isinstance(message, str) or not message.strip():
            raise gr.Error("the text is empty: type or paste some text first", print_exception=False)
        return self._run(message, model, num_beams, threshold, rules, history, answers, request)

    def retry(self, model, num_beams, threshold, rules, history, answers, request: gr.Request):
        """Tag the last text again (e.g. with another model or beam width)."""
        last = _last(answers)
        if last is None:
            raise gr.Error("nothing to tag again yet: send a text first", print_exception=False)
        return self._run(last["text"], model, num_beams, threshold, rules, history, answers, request)

    def stop(self, request: gr.Request) -> None:
        self.stops.stop(_session(request))

    @staticmethod
    def clear():
        return [], {}, None, [], ""

    def _run(self, text, model, num_beams, threshold, rules, history, answers, request):
        try:
            generator = self.pool.get(TASK, model)
            ner_request = NERRequest(text, DecodingConfig(num_beams=int(num_beams)), rules=bool(rules))
        except USER_ERRORS as error:
            raise user_error(error) from None
        session = _session(request)
        flag = self.stops.arm(session)
        try:
            result = generator.generate(ner_request, should_stop=flag.is_set)
        except USER_ERRORS as error:
            raise user_error(error) from None
        finally:
            self.stops.release(session, flag)
        answer = {"text": result.text, "entities": result.entities, "notes": result.notes, "model": model,
                  "num_beams": int(num_beams)}
        history = list(history or []) + [
            {"role": "user", "content": as_text(text)},
            {"role": "assistant", "content": as_text(summary(result.entities, result.notes))},
        ]
        answers = keep_answer(answers, len(history) - 1, answer)
        return (history, answers, *views(answer, threshold))

    def select(self, threshold, answers, event: gr.SelectData):
        """Clicking an answer (or its text) shows that answer's entities."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        answer = (answers or {}).get(str(index)) or (answers or {}).get(str(int(index) + 1))
        if answer is None:
            return gr.skip(), gr.skip(), gr.skip()
        return views(answer, threshold)

    @staticmethod
    def refilter(threshold, answers):
        """The threshold moved: the last answer's views, filtered again."""
        last = _last(answers)
        return views(last, threshold) if last else (None, [], "")


def views(answer: dict, threshold) -> tuple:
    """(highlighted segments, table rows, notes) of one answer, entities scored below the threshold left out."""
    threshold = float(threshold or 0.0)
    text = answer["text"]
    kept = [e for e in answer["entities"] if e["score"] >= threshold]
    segments, at = [], 0
    for entity in kept:
        if entity["start"] > at:
            segments.append((text[at : entity["start"]], None))
        segments.append((text[entity["start"] : entity["end"]], entity["label"]))
        at = entity["end"]
    if at < len(text):
        segments.append((text[at:], None))
    rows = [[e["text"], e["label"], f"{e['score']:.3f}", e["start"], e["end"]] for e in kept]
    hidden = len(answer["entities"]) - len(kept)
    notes = list(answer["notes"])
    if hidden:
        notes.append(f"{hidden} entit{'y' if hidden == 1 else 'ies'} below the confidence threshold {threshold:.2f}")
    notes_md = "\n".join(f"- {as_text(n)}" for n in notes)
    return segments, rows, notes_md


def summary(entities: list[dict], notes: list[str]) -> str:
    """The chat answer: counts per type, then the first entities (plain text; the caller escapes it)."""
    if not entities:
        head = "No entities found."
    else:
        counts = Counter(e["label"] for e in entities)
        head = f"{len(entities)} entities: " + ", ".join(f"{n} {label}" for label, n in counts.most_common())
        listed = "\n".join(f"• {e['label']}: {e['text']} ({e['score']:.2f})" for e in entities[:CHAT_LISTED])
        more = f"\n… and {len(entities) - CHAT_LISTED} more (see the table)" if len(entities) > CHAT_LISTED else ""
        head = f"{head}\n{listed}{more}"
    return head + "".join(f"\nNote: {n}" for n in notes)


def _last(answers):
    if not answers:
        return None
    return answers[max(answers, key=int)]


def _session(request) -> str:
    return getattr(request, "session_hash", None) or "anonymous"
