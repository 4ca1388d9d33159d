"""Handlers of the Continuation tab: plain functions (Gradio passes component values in, gets values out).

No `from __future__ import annotations` here: Gradio finds the `gr.Request` parameter by its real annotation.
"""


import time
from collections.abc import Iterator

import gradio as gr

from generators import ContinuationRequest, DecodingConfig
from generators.limits import MAX_INPUT_CHARS

from . import views
from .chat_shell import USER_ERRORS, as_text, keep_answer, user_error
from .controls import config_from_controls, control_hints, parse_settings, settings_json, strategy_of
from .model_pool import ModelPool
from .stop_flags import StopFlags

CONTROL_NAMES = (
    "strategy", "temperature", "top_k", "top_p", "num_beams", "num_return_sequences", "max_new_tokens",
    "repetition_penalty", "no_repeat_ngram_size", "seed",
)
STREAM_INTERVAL = 0.05  # seconds between streamed chat updates (every step is decoded; the display is throttled)
COMPARE_MAX_NEW_TOKENS = 60
TASK = "continuation"


class ContinuationHandlers:
    def __init__(self, pool: ModelPool, stops: StopFlags):
        self.pool = pool
        self.stops = stops

    # --- the conversation -------------------------------------------------------------------------------
    # Gradio injects gr.Request only into positional parameters, so each control is spelled out.
    def generate(self, message, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
                 max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, history, answers,
                 request: gr.Request) -> Iterator[tuple]:
        """A new turn: the message is the prompt."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        if not isinstance(message, str) or not message.strip():
            raise gr.Error("the prompt is empty: type the start of a text first", print_exception=False)
        yield from self._run(message, message, model, controls, history, answers, request)

    def extend(self, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
               max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, history, answers,
               request: gr.Request) -> Iterator[tuple]:
        """Continue where the last answer stopped: prompt = the last prompt and its answer."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        yield from self._again("↪ continue", True, model, controls, history, answers, request)

    def retry(self, model, strategy, temperature, top_k, top_p, num_beams, num_return_sequences,
              max_new_tokens, repetition_penalty, no_repeat_ngram_size, seed, history, answers,
              request: gr.Request) -> Iterator[tuple]:
        """Ask again: the last prompt once more (a new sample unless a seed is set)."""
        controls = (strategy, temperature, top_k, top_p, num_beams, num_return_sequences, max_new_tokens,
                    repetition_penalty, no_repeat_ngram_size, seed)
        yield from self._again("↻ ask again", False, model, controls, history, answers, request)

    def _again(self, shown, with_answer: bool, model, controls, history, answers, request) -> Iterator[tuple]:
        """A turn built on the last answer: its prompt, followed by the answer itself when `with_answer`."""
        last = _last_answer(answers)
        if last is None:
            raise gr.Error("nothing to build on yet: generate something first", print_exception=False)
        prompt = (last["prompt"] + last["text"])[-MAX_INPUT_CHARS:] if with_answer else last["prompt"]
        yield from self._run(shown, prompt, model, controls, history, answers, request)

    def stop(self, request: gr.Request) -> None:
        self.stops.stop(_session(request))

    @staticmethod
    def clear():
        return [], {}, [], [], "", "", None

    def _run(self, shown, prompt, model, controls, history, answers, request) -> Iterator[tuple]:
        try:
            generator = self.pool.get(TASK, model)
            config = config_from_controls(*controls)
            request_ = ContinuationRequest(prompt, config)
        except USER_ERRORS as error:
            raise user_error(error) from None
        history = list(history or []) + [{"role": "user", "content": as_text(shown)},
                                         {"role": "assistant", "content": ""}]
        session = _session(request)
        flag = self.stops.arm(session)
        skip = gr.skip()
        last_shown = 0.0
        final = None
        try:
            for partial in generator.stream(request_, should_stop=flag.is_set):
                final = partial
                now = time.monotonic()
                if not partial.done and now - last_shown < STREAM_INTERVAL:
                    continue
                last_shown = now
                history[-1] = {"role": "assistant", "content": as_text(partial.text or "…")}
                if not partial.done:
                    yield history, skip, skip, skip, skip, skip, skip
        finally:
            self.stops.release(session, flag)
        view = self._views(generator, model, request_, final, stopped=flag.is_set(), controls=controls)
        answers = keep_answer(answers, len(history) - 1, view)
        history[-1] = {"role": "assistant", "content": as_text(final.text or "(nothing generated)")}
        yield (history, answers, view["tokens"], view["nbest"], view["settings"], view["hints"],
               views.temperature_figure(generator.next_token_logprobs(prompt), _token_string(generator)))

    @staticmethod
    def _views(generator, model, request_, final, stopped: bool, controls) -> dict:
        best = final.decode.best
        hints = control_hints(*controls)  # covers every note DecodingConfig.ignored_settings() can make from these
        if stopped:
            hints.insert(0, "stopped: the answer ends where you pressed Stop")
        return {
            "prompt": request_.prompt,
            "text": final.text,
            "tokens": views.token_rows(best, final.token_strings, _token_string(generator)),
            "nbest": views.nbest_rows(final.hypotheses),
            "settings": settings_json(model, request_.prompt, request_.decoding, final.decode.seed),
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

    @staticmethod
    def hints(strategy: str) -> str:
        return "\n".join(f"- {hint}" for hint in control_hints(strategy))

    @staticmethod
    def apply_settings(text: str):
        """Controls (and prompt) from a pasted settings JSON, to replay an output exactly."""
        try:
            model, prompt, config = parse_settings(text)
        except USER_ERRORS as error:
            raise user_error(error) from None
        values = {
            "strategy": strategy_of(config), "temperature": config.temperature, "top_k": config.top_k,
            "top_p": config.top_p, "num_beams": max(config.num_beams, 1),
            "num_return_sequences": config.num_return_sequences, "max_new_tokens": config.max_new_tokens,
            "repetition_penalty": config.repetition_penalty, "no_repeat_ngram_size": config.no_repeat_ngram_size,
            "seed": config.seed,
        }
        return (prompt, model, *[values[name] for name in CONTROL_NAMES])


def _last_answer(answers) -> dict | None:
    if not answers:
        return None
    return answers[max(answers, key=int)]


def _session(request) -> str:
    return getattr(request, "session_hash", None) or "anonymous"


def _token_string(generator):
    return lambda token_id: generator.step_model.token_strings([token_id])[0]
