"""Handlers of the Verse tab: the writer's lines are user turns, each muse answers with its suggestions.

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
"""

import re
import tempfile
from pathlib import Path

import gradio as gr

from generators.errors import InputError
from generators.limits import MAX_VERSE_LINE_CHARS
from generators.text_input import clean_text
from generators.verse import FORMS, VerseRequest

from .chat_shell import USER_ERRORS, as_text, user_error
from .model_pool import ModelPool

TASK = "verse"
ANY = "any"
NO_METER = "none"


class VerseHandlers:
    def __init__(self, pool: ModelPool):
        self.pool = pool

    def suggest(self, message, muses, form, scheme, syllables, suggestions, model, seed, title, meter, poem, history,
                request: gr.Request):
        """Add the writer's line (the first line, or an edited one) and ask the muses for the next;
        with an empty box and a poem under way, ask again for the same position."""
        poem = list(poem or [])
        line = message if isinstance(message, str) else ""
        if not line.strip() and poem:
            return self._ask(muses, form, scheme, syllables, suggestions, model, seed, title, meter, poem, history,
                             clear_box=True)
        return self._add_and_ask(line, muses, form, scheme, syllables, suggestions, model, seed, title, meter,
                                 poem, history)

    def accept(self, choice, latest, muses, form, scheme, syllables, suggestions, model, seed, title, meter,
               poem, history, request: gr.Request):
        """Append the chosen suggestion to the poem and ask for the next line unless the form is complete."""
        latest = dict(latest or {})
        if not choice:
            raise user_error(InputError("pick one of the muses' suggestions to accept"))
        text = latest.get(choice)
        if text is None:  # a client may name the suggestion by its text alone
            text = next((t for t in latest.values() if t == choice), None)
        if text is None:
            raise user_error(InputError("that is not one of the latest suggestions: ask the muses again"))
        return self._add_and_ask(text, muses, form, scheme, syllables, suggestions, model, seed, title, meter,
                                 list(poem or []), history, clear_box=False)

    def again(self, muses, form, scheme, syllables, suggestions, model, seed, title, meter, poem, history,
              request: gr.Request):
        """Ask the muses again for the same position in the poem."""
        return self._ask(muses, form, scheme, syllables, suggestions, model, seed, title, meter, list(poem or []),
                         history, clear_box=False)

    @staticmethod
    def edit(choice, latest):
        """The selected suggestion into the input box, to be edited and sent as the writer's own line."""
        text = dict(latest or {}).get(choice)
        if not text:
            raise user_error(InputError("pick one of the muses' suggestions to edit"))
        return text

    @staticmethod
    def clear():
        return [], [], {}, gr.update(choices=[], value=None), "", "", None, ""

    @staticmethod
    def download(title, poem):
        return poem_file(title, list(poem or []))

    # -- the shared steps ------------------------------------------------------------------------------------

    def _add_and_ask(self, line, muses, form, scheme, syllables, suggestions, model, seed, title, meter, poem,
                     history, clear_box=True):
        lines = [*poem, line]
        try:
            if len(lines) >= FORMS.get(form, 0) and poem:
                # The line completes the form: check the settings on the poem so far and the line on its own.
                _request(muses, poem, form, scheme, syllables, suggestions, seed, meter)
                lines[-1] = _check_line(line, len(lines))
            else:
                lines = list(_request(muses, lines, form, scheme, syllables, suggestions, seed, meter).lines)
        except USER_ERRORS as error:
            raise user_error(error) from None
        history = [*(history or []), {"role": "user", "content": as_text(lines[-1])}]
        return self._ask(muses, form, scheme, syllables, suggestions, model, seed, title, meter, lines, history,
                         clear_box=clear_box)

    def _ask(self, muses, form, scheme, syllables, suggestions, model, seed, title, meter, lines, history,
             clear_box):
        """Outputs: chat, poem (State), latest (State), choices, poem text, notes, file, input box."""
        history = list(history or [])
        box = "" if clear_box else gr.skip()
        if lines and len(lines) >= FORMS.get(form, 0):
            done = f"The {form} is complete ({len(lines)} lines): give it a title, copy it or download it."
            history.append({"role": "assistant", "content": done})
            return (history, lines, {}, gr.update(choices=[], value=None), "\n".join(lines), done,
                    poem_file(title, lines), box)
        try:
            generator = self.pool.get(TASK, model)
            request = _request(muses, lines, form, scheme, syllables, suggestions, seed, meter)
            result = generator.generate(request)
        except USER_ERRORS as error:
            raise user_error(error) from None
        latest = {}
        for poet, found in result.suggestions.items():
            history.append({"role": "assistant", "content": as_text(muse_message(poet, found, request))})
            for suggestion in found:
                latest.setdefault(f"{poet}: {suggestion.text}", suggestion.text)
        if result.notes:
            history.append({"role": "assistant", "content": as_text("Notes:\n" + "\n".join(
                f"- {note}" for note in result.notes))})
        position = len(lines) + 1
        of = "" if form == "free verse" else f" of {FORMS[form]}"
        status = f"Suggestions for line {position}{of} in {result.seconds:.1f} s."
        if result.notes:
            status += "\n\n" + "\n".join(f"- {as_text(note)}" for note in result.notes)
        choices = list(latest)
        return (history, lines, latest, gr.update(choices=choices, value=choices[0] if choices else None),
                "\n".join(lines), status, poem_file(title, lines), box)


def _request(muses, lines, form, scheme, syllables, suggestions, seed, meter=NO_METER) -> VerseRequest:
    syllables = None if syllables in (None, "", ANY) else syllables
    seed = str(seed if seed is not None else "").strip()
    try:
        seed = int(seed) if seed else None
    except ValueError:
        raise InputError(f"the seed must be a whole number or empty (got {seed[:40]!r})") from None
    return VerseRequest(tuple(muses or ()), tuple(lines), form=form, scheme=scheme, syllables=syllables,
                        suggestions=int(suggestions), seed=seed, meter=meter)


def _check_line(line, n: int) -> str:
    """The same checks VerseRequest makes of a later line (the one that completes the form)."""
    line = clean_text(line, what="a line", allow_empty=True).strip()
    if not line:
        raise InputError(f"line {n} is empty")
    if len(line) > MAX_VERSE_LINE_CHARS or "\n" in line:
        raise InputError(f"line {n} must be one line of at most {MAX_VERSE_LINE_CHARS} characters")
    return line


def muse_message(poet: str, found, request: VerseRequest) -> str:
    """One muse's answer: its suggestions, each with syllable count and rhyme sound, misses marked."""
    out = [f"{poet}:"]
    partner = request.partner
    for n, s in enumerate(found, 1):
        facts = [f"{s.syllables} syllables"]
        if not s.meets_syllables:
            facts[-1] += f" (not {request.syllables})"
        facts.append(f"rhyme {s.rhyme_letters or '?'}")
        if s.meets_rhyme is False:
            facts[-1] += f" (does not rhyme with '{partner}')"
        elif s.meets_rhyme:
            facts[-1] += f" (rhymes with '{partner}')"
        if s.meets_meter is not None:
            facts.append(f"{request.meter}" if s.meets_meter else f"breaks the {request.meter} meter")
        out.append(f"{n}. {s.text}\n   {' · '.join(facts)}")
    if not found:
        out.append("(no suggestion)")
    return "\n".join(out)


def poem_text(title: str, lines: list[str]) -> str:
    title = (title or "").strip()
    return (f"{title}\n\n" if title else "") + "\n".join(lines) + "\n"


def poem_file(title: str, lines: list[str]) -> str | None:
    """A .txt of the title and lines in a fresh temporary folder (None before the first line)."""
    if not lines:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:60] or "poem"
    path = Path(tempfile.mkdtemp(prefix="quill-verse-")) / f"{slug}.txt"
    path.write_text(poem_text(title, lines), encoding="utf-8")
    return str(path)
