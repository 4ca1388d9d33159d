"""Handlers of the Continuation tab: plain functions (Gradio passes component values in, gets values out).

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
"""


import time
from collections.abc import Iterator

import gradio as gr

from generators import ContinuationRequest, DecodingConfig
from generators.chat import ChatRequest
from generators.errors import InputError, QuillError
from generators.limits import MAX_CHAT_MESSAGES, MAX_INPUT_CHARS
from generators.lm_scoring import score_text

from . import views
from .chat_shell import USER_ERRORS, as_text, keep_answer, user_error
from .controls import (
    chat_settings_json,
    config_from_controls,
    control_hints,
    parse_chat_settings,
    parse_settings,
    settings_json,
    strategy_of,
)
from .model_pool import ModelPool
from .stop_flags import StopFlags

CONTROL_NAMES = (
    "strategy", "temperature", "top_k", "top_p", "num_beams", "num_return_sequences", "max_new_tokens",
    "repetition_penalty", "no_repeat_ngram_size", "seed",
)
STREAM_INTERVAL = 0.05  # seconds between streamed chat updates (every step is decoded; the display is throttled)
COMPARE_MAX_NEW_TOKENS = 60
TASK = "continuation"
MODES = ("continue text", "chat")


class ContinuationHandlers:
    def __init__(self, pool: ModelPool, stops: StopFlags):
        self.pool = pool
        self.stops = stops

    # --- the conversation -------------------------------------------------------------------------------
    # Gradio injects gr.Request only into positional parameters, so each control is spelled out. `conversation`
    # holds the chat mode's raw messages (the chatbot shows them escaped, with markers such as "↪ continue").
    def generate(self, message, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
                 max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, mode, system_prompt, history,
                 answers, conversation, request: gr.Request) -> Iterator[tuple]:
        """A new turn: the message is the prompt (continue text) or the user's next chat turn (chat)."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        if not isinstance(message, str) or not message.strip():
            raise gr.Error("the prompt is empty: type the start of a text first", print_exception=False)
        if _mode(mode) == "chat":
            turns = [*_conversation(conversation), {"role": "user", "content": message}]
            yield from self._chat(message, turns, False, model, controls, system_prompt, history, answers, request)
        else:
            yield from self._run(message, message, model, controls, history, answers, conversation, request)

    def extend(self, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
               max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, mode, system_prompt, history,
               answers, conversation, request: gr.Request) -> Iterator[tuple]:
        """Continue where the last answer stopped: prompt = the last prompt and its answer (in chat: the answer
        goes on inside the same assistant turn)."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        if _mode(mode) == "chat":
            turns = _conversation(conversation)
            if not turns or turns[-1]["role"] != "assistant":
                raise gr.Error("nothing to continue yet: chat with the model first", print_exception=False)
            yield from self._chat("↪ continue", turns, True, model, controls, system_prompt, history, answers,
                                  request)
        else:
            yield from self._again("↪ continue", True, model, controls, history, answers, conversation, request)

    def retry(self, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
              max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, mode, system_prompt, history,
              answers, conversation, request: gr.Request) -> Iterator[tuple]:
        """Ask again: the last prompt once more (a new sample unless a seed is set); in chat, a new answer to the
        last user turn replaces the old one in the conversation."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        if _mode(mode) == "chat":
            turns = _conversation(conversation)
            if turns and turns[-1]["role"] == "assistant":
                turns = turns[:-1]
            if not turns:
                raise gr.Error("nothing to ask again yet: chat with the model first", print_exception=False)
            yield from self._chat("↻ ask again", turns, False, model, controls, system_prompt, history, answers,
                                  request)
        else:
            yield from self._again("↻ ask again", False, model, controls, history, answers, conversation, request)

    def _again(self, shown, with_answer: bool, model, controls, history, answers, conversation,
               request) -> Iterator[tuple]:
        """A turn built on the last text answer: its prompt, followed by the answer itself when `with_answer`."""
        last = _last_answer(answers, "continue text")
        if last is None:
            raise gr.Error("nothing to build on yet: generate something first", print_exception=False)
        prompt = (last["prompt"] + last["text"])[-MAX_INPUT_CHARS:] if with_answer else last["prompt"]
        yield from self._run(shown, prompt, model, controls, history, answers, conversation, request)

    def stop(self, request: gr.Request) -> None:
        self.stops.stop(_session(request))

    def menu(self):
        """The model menu as it stands now: an engine model only while its engine answers."""
        return gr.update(choices=self.pool.names(TASK))

    @staticmethod
    def clear():
        return [], {}, [], [], "", "", None, []

    def _loading_notice(self, model, shown, history) -> Iterator[tuple]:
        """While the model still loads in the background (just after start-up), the chat says so."""
        if self.pool.is_loading(TASK, model):
            notice = [{"role": "user", "content": as_text(shown)},
                      {"role": "assistant", "content": f"⏳ loading {as_text(str(model))} (once, after start-up)…"}]
            skip = gr.skip()
            yield [*(history or []), *notice], skip, skip, skip, skip, skip, skip, skip

    def _run(self, shown, prompt, model, controls, history, answers, conversation, request) -> Iterator[tuple]:
        """Continue text: the prompt's continuation, streamed into a new assistant message."""
        yield from self._loading_notice(model, shown, history)
        try:
            generator = self.pool.get(TASK, model)
            config = config_from_controls(*controls)
            request_ = ContinuationRequest(prompt, config)
        except USER_ERRORS as error:
            raise user_error(error) from None
        yield from self._stream(generator, shown, lambda stop: generator.stream(request_, should_stop=stop),
                                request_.prompt, lambda seed: settings_json(model, request_.prompt, config, seed),
                                controls, history, answers, conversation,
                                lambda final: conversation, request)

    def _chat(self, shown, turns, continue_answer: bool, model, controls, system_prompt, history, answers,
              request) -> Iterator[tuple]:
        """Chat: the model's chat template over the conversation; the answer joins the conversation when done."""
        yield from self._loading_notice(model, shown, history)
        try:
            generator = self.pool.get(TASK, model)
            if not generator.can_chat:
                raise InputError(f"{model} has no chat template, so it cannot chat: choose a chat model "
                                 "(smollm2-135m-instruct) or the 'continue text' mode")
            config = config_from_controls(*controls)
            request_ = ChatRequest(tuple(turns), system_prompt if system_prompt is not None else "", config,
                                   continue_answer=continue_answer)
        except USER_ERRORS as error:
            raise user_error(error) from None
        messages = list(request_.messages)

        def conversation_after(final) -> list[dict]:
            if continue_answer:
                return [*messages[:-1], {"role": "assistant", "content": messages[-1]["content"] + final.text}]
            return [*messages, {"role": "assistant", "content": final.text}][-MAX_CHAT_MESSAGES:]

        yield from self._stream(generator, shown, lambda stop: generator.stream_chat(request_, should_stop=stop),
                                None, lambda seed: chat_settings_json(model, request_, config, seed), controls, history, answers, messages, conversation_after, request)

    def _stream(self, generator, shown, start, prompt, settings_for, controls, history, answers, conversation,
                conversation_after, request) -> Iterator[tuple]:
        """Streams `start(should_stop)`'s partial results into a new assistant message; the views come last
        (`settings_for(seed)`: the settings JSON of the answer, with the seed it used)."""
        history = list(history or []) + [{"role": "user", "content": as_text(shown)},
                                         {"role": "assistant", "content": ""}]
        session = _session(request)
        flag = self.stops.arm(session)
        skip = gr.skip()
        last_shown = 0.0
        final = None
        try:
            for partial in start(flag.is_set):
                final = partial
                now = time.monotonic()
                if not partial.done and now - last_shown < STREAM_INTERVAL:
                    continue
                last_shown = now
                history[-1] = {"role": "assistant", "content": as_text(partial.text or "…")}
                if not partial.done:
                    yield history, skip, skip, skip, skip, skip, skip, skip
        except USER_ERRORS as error:  # e.g. an inference engine that stopped answering mid-answer
            raise user_error(error) from None
        finally:
            self.stops.release(session, flag)
        view = self._views(generator, prompt, final, stopped=flag.is_set(), controls=controls,
                           settings=settings_for(final.decode.seed))
        answers = keep_answer(answers, len(history) - 1, view)
        history[-1] = {"role": "assistant", "content": as_text(final.text or "(nothing generated)")}
        try:
            figure = views.temperature_chart(generator.next_token_logprobs(list(final.decode.context)),
                                              _token_string(generator))
        except USER_ERRORS:  # the engine went away after answering: the answer stands without its chart
            figure = None
        yield (history, answers, view["tokens"], view["nbest"], view["settings"], view["hints"], figure,
               conversation_after(final))

    @staticmethod
    def _views(generator, prompt, final, stopped: bool, controls, settings: str) -> dict:
        """What the side views show for this answer; `prompt` is None for a chat answer (not continuable as text)."""
        best = final.decode.best
        hints = control_hints(*controls)  # covers every note DecodingConfig.ignored_settings() can make from these
        chat_prompt = getattr(final, "chat_prompt", None)  # a chat answer says which old turns were left out
        hints = [*(chat_prompt.notes if chat_prompt else []), *hints]
        if stopped:
            hints.insert(0, "stopped: the answer ends where you pressed Stop")
        precision = getattr(generator.step_model, "precision_note", None) or getattr(generator.step_model, "precision", None)
        if precision:
            hints.append(f"{generator.name} answered in {precision}")
        hints.extend(getattr(generator, "notes", []))  # what an engine-served model cannot show
        return {
            "mode": "continue text" if prompt is not None else "chat",
            "prompt": prompt,
            "text": final.text,
            "tokens": views.token_rows(best, final.token_strings, _token_string(generator)),
            "nbest": views.nbest_rows(final.hypotheses),
            "settings": settings,
            "hints": "\n".join(f"- {hint}" for hint in hints) if hints else "",
        }

    # --- the views of a selected answer ------------------------------------------------------------------
    @staticmethod
    def select(answers, event: gr.SelectData):
        view = (answers or {}).get(str(event.index if not isinstance(event.index, list) else event.index[0]))
        if view is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return view["tokens"], view["nbest"], view["settings"], view["hints"]

    def compare(self, message, model, *controls):
        """One prompt and seed through greedy, sampling, top-k, top-p and beam search, side by side."""
        try:
            generator = self.pool.get(TASK, model)
            base = config_from_controls(*controls)
            prompt = ContinuationRequest(str(message or ""), base).prompt
            length = min(base.max_new_tokens, COMPARE_MAX_NEW_TOKENS)
            seed = 0 if base.seed is None else base.seed
            common = dict(max_new_tokens=length, repetition_penalty=base.repetition_penalty,
                          no_repeat_ngram_size=base.no_repeat_ngram_size)
            sampled = dict(do_sample=True, seed=seed, temperature=base.temperature, **common)
            configs = [
                DecodingConfig(**common),
                DecodingConfig(**sampled),
                DecodingConfig(top_k=base.top_k or 40, **sampled),
                DecodingConfig(top_p=base.top_p if base.top_p < 1 else 0.9, **sampled),
                DecodingConfig(num_beams=max(base.num_beams, 2), **common),
            ]
        except USER_ERRORS as error:
            raise user_error(error) from None
        rows = []
        for config in configs:
            result = generator.generate(ContinuationRequest(prompt, config))
            label = strategy_of(config)
            if config.do_sample:
                label += f" (T={config.temperature:g}" + (f", k={config.top_k}" if config.top_k else "")
                label += (f", p={config.top_p:g}" if config.top_p < 1 else "") + f", seed={seed})"
            elif config.num_beams > 1:
                label += f" ({config.num_beams} beams)"
            rows.append([label, result.text, round(result.decode.best.mean_logprob, 4)])
        return rows

    def compare_models(self, message, *controls):
        """One prompt and seed through every continuation model, side by side: what each writes, how well it knows
        the prompt (nats per character, teacher-forced) and how sure it is of its own continuation."""
        try:
            base = config_from_controls(*controls)
            prompt = ContinuationRequest(str(message or ""), base).prompt
            if not prompt.strip():
                raise InputError("the prompt is empty: type the start of a text first")
            seed = 0 if base.seed is None else base.seed
            config = DecodingConfig.from_dict({**base.to_dict(), "seed": seed,
                                               "max_new_tokens": min(base.max_new_tokens, COMPARE_MAX_NEW_TOKENS)})
        except USER_ERRORS as error:
            raise user_error(error) from None
        rows = []
        for name in self.pool.names(TASK):
            generator = self.pool.get(TASK, name)
            result = generator.generate(ContinuationRequest(prompt, config))
            best = result.decode.best
            per_char = sum(best.token_logprobs) / len(result.text) if result.text else float("nan")
            rows.append([name, result.text, _prompt_nats(generator, prompt), round(per_char, 4)])
        return rows

    @staticmethod
    def show_conversation(mode, conversation):
        """After Apply these settings of a chat answer: the chat rebuilt from the restored conversation (the old
        answers' views are gone); a 'continue text' replay leaves the chat as it is."""
        if mode != "chat":
            return gr.skip(), gr.skip()
        return [{"role": m["role"], "content": as_text(m["content"])} for m in _conversation(conversation)], {}

    @staticmethod
    def hints(strategy: str) -> str:
        return "\n".join(f"- {hint}" for hint in control_hints(strategy))

    @staticmethod
    def apply_settings(text: str):
        """Controls, prompt, mode and system prompt from a pasted settings JSON, to replay an output exactly (for a
        chat answer, the conversation before it is restored too and its last user turn goes in the box)."""
        try:
            model, prompt, config = parse_settings(text)
            chat = parse_chat_settings(text)
        except USER_ERRORS as error:
            raise user_error(error) from None
        values = {
            "strategy": strategy_of(config), "temperature": config.temperature, "top_k": config.top_k,
            "top_p": config.top_p, "num_beams": max(config.num_beams, 1),
            "num_return_sequences": config.num_return_sequences, "max_new_tokens": config.max_new_tokens,
            "repetition_penalty": config.repetition_penalty, "no_repeat_ngram_size": config.no_repeat_ngram_size,
            "seed": config.seed,
        }
        if chat is None:
            return (prompt, model, *[values[name] for name in CONTROL_NAMES], "continue text", gr.skip(), gr.skip())
        system_prompt, messages = chat
        if messages[-1]["role"] == "assistant":  # a continued answer: press Continue to replay it
            return ("", model, *[values[name] for name in CONTROL_NAMES], "chat", system_prompt, messages)
        return (messages[-1]["content"], model, *[values[name] for name in CONTROL_NAMES], "chat", system_prompt,
                messages[:-1])


def _mode(mode) -> str:
    if mode is None:
        return "continue text"
    if mode not in MODES:
        raise gr.Error(f"mode: {str(mode)[:40]!r} is not one of {', '.join(MODES)}", print_exception=False)
    return mode


def _conversation(conversation) -> list[dict]:
    return [dict(m) for m in conversation or [] if isinstance(m, dict)]


def _prompt_nats(generator, prompt: str):
    """The prompt's teacher-forced nats per character under this model (— when it is too short to score)."""
    score_prompt = getattr(generator, "score_prompt", None)  # an engine-served model scores in its engine
    try:
        score = score_prompt(prompt) if score_prompt else score_text(generator.step_model, prompt)
        return round(score.nats_per_char, 4)
    except (ValueError, QuillError):  # too short to score, or the engine could not
        return "—"


def _last_answer(answers, mode: str) -> dict | None:
    """The latest answer given in this mode."""
    kept = [int(key) for key, view in (answers or {}).items() if view.get("mode", "continue text") == mode]
    return answers[str(max(kept))] if kept else None


def _session(request) -> str:
    return getattr(request, "session_hash", None) or "anonymous"


def _token_string(generator):
    return lambda token_id: generator.step_model.token_strings([token_id])[0]
