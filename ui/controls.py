"""UI control values <-> DecodingConfig, and the settings JSON a user can paste back to replay an output."""

from __future__ import annotations

import json
import math

from generators import DecodingConfig, DecodingError, InputError
from generators.limits import MAX_INPUT_CHARS
from generators.requests import TRANSLATION_NO_REPEAT_NGRAM

STRATEGIES = ("greedy", "sampling", "top-k", "top-p", "beam search")


def _whole(name: str, value) -> int:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise InputError(f"{name} must be a whole number, got {value!r}")
        value = int(value)
    if not isinstance(value, int):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    return value


def _seed(value) -> int | None:
    """A seed from the seed box: empty means random; otherwise a whole number >= 0."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            value = int(value)
        except ValueError:
            raise InputError(f"seed must be a whole number >= 0 or empty (random), got {value[:40]!r}") from None
    return None if value is None else _whole("seed", value)


def config_from_controls(
    strategy: str,
    temperature: float,
    top_k: int,
    top_p: float,
    num_beams: int,
    num_return_sequences: int,
    max_new_tokens: int,
    repetition_penalty: float,
    no_repeat_ngram_size: int,
    seed,
) -> DecodingConfig:
    """Maps the tab's controls to a DecodingConfig; raises InputError/DecodingError with a readable message."""
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {str(strategy)[:40]!r}; choose one of: {', '.join(STRATEGIES)}")
    seed = _seed(seed)
    common = dict(
        max_new_tokens=_whole("max_new_tokens", max_new_tokens),
        repetition_penalty=repetition_penalty,
        no_repeat_ngram_size=_whole("no_repeat_ngram_size", no_repeat_ngram_size),
        seed=seed,
    )
    count = _whole("num_return_sequences", num_return_sequences)
    if strategy == "greedy":
        return DecodingConfig(**common)
    if strategy == "beam search":
        return DecodingConfig(num_beams=_whole("num_beams", num_beams), num_return_sequences=count, **common)
    sampling = dict(do_sample=True, temperature=temperature, num_return_sequences=count, **common)
    if strategy == "top-k":
        return DecodingConfig(top_k=_whole("top_k", top_k), **sampling)
    if strategy == "top-p":
        return DecodingConfig(top_p=top_p, **sampling)
    return DecodingConfig(**sampling)


def strategy_of(config: DecodingConfig) -> str:
    if config.strategy == "beam":
        return "beam search"
    if config.strategy == "greedy":
        return "greedy"
    if config.top_k:
        return "top-k"
    return "top-p" if config.top_p < 1 else "sampling"


def settings_json(model: str, prompt: str, config: DecodingConfig, seed_used: int | None) -> str:
    decoding = config.to_dict()
    if seed_used is not None:
        decoding["seed"] = seed_used
    return json.dumps({"model": model, "prompt": prompt, "decoding": decoding}, ensure_ascii=False, indent=2)


def chat_settings_json(model: str, request, config: DecodingConfig, seed_used: int | None) -> str:
    """A chat answer's settings: the system prompt and the conversation it answered, besides the decoding."""
    decoding = config.to_dict()
    if seed_used is not None:
        decoding["seed"] = seed_used
    messages = list(request.messages)
    return json.dumps({"model": model, "mode": "chat", "system_prompt": request.system_prompt,
                       "messages": messages, "continue_answer": request.continue_answer,
                       "prompt": messages[-1]["content"], "decoding": decoding},
                      ensure_ascii=False, indent=2)


def parse_chat_settings(text: str) -> tuple[str, list[dict]] | None:
    """(system prompt, conversation) of a chat answer's settings JSON; None for a 'continue text' one."""
    values = json.loads(text)
    if values.get("mode") != "chat":
        return None
    messages = values.get("messages")
    if not isinstance(messages, list) or not messages or not all(
            isinstance(m, dict) and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
            for m in messages):
        raise InputError('chat settings need "messages": a list of {"role": "user" | "assistant", "content": text}')
    return str(values.get("system_prompt", "")), [{"role": m["role"], "content": m["content"]} for m in messages]


def parse_settings(text: str) -> tuple[str, str, DecodingConfig]:
    """(model, prompt, config) from a settings JSON; a clear message when it is not one."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS + 10_000:
        raise InputError("settings must be the JSON text Quill shows under 'Settings'")
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"settings are not valid JSON: {error.msg} (line {error.lineno})") from None
    if not isinstance(values, dict) or not isinstance(values.get("decoding"), dict):
        raise InputError('settings need "model", "prompt" and a "decoding" object')
    try:
        config = DecodingConfig.from_dict(values["decoding"])
    except TypeError as error:
        raise DecodingError(str(error)) from None
    return str(values.get("model", "")), str(values.get("prompt", "")), config


def control_hints(strategy: str, *_values) -> list[str]:
    """Which of the tab's controls the chosen strategy ignores (so nobody tunes a knob that does nothing)."""
    unused = {
        "greedy": "temperature, top_k, top_p, num_beams, n-best and seed",
        "sampling": "top_k, top_p and num_beams (plain temperature sampling)",
        "top-k": "top_p and num_beams",
        "top-p": "top_k and num_beams",
        "beam search": "temperature, top_k, top_p and seed",
    }.get(strategy)
    return [f"{unused} have no effect under {strategy}"] if unused else []


TRANSLATION_STRATEGIES = ("greedy", "beam search")


def translation_config(strategy: str, num_beams, num_return_sequences, length_penalty,
                       max_new_tokens) -> DecodingConfig:
    """The Translation tab's controls as a DecodingConfig (greedy, or beam search with n-best and length penalty)."""
    if strategy not in TRANSLATION_STRATEGIES:
        raise InputError(f"unknown strategy {str(strategy)[:40]!r}; choose one of: {', '.join(TRANSLATION_STRATEGIES)}")
    common = dict(max_new_tokens=_whole("max_new_tokens", max_new_tokens),
                  no_repeat_ngram_size=TRANSLATION_NO_REPEAT_NGRAM)
    if strategy == "greedy":
        return DecodingConfig(**common)
    if isinstance(length_penalty, bool) or not isinstance(length_penalty, (int, float)) \
            or not math.isfinite(length_penalty):
        raise InputError(f"length_penalty must be a number, got {length_penalty!r}")
    return DecodingConfig(num_beams=_whole("num_beams", num_beams),
                          num_return_sequences=_whole("num_return_sequences", num_return_sequences),
                          length_penalty=float(length_penalty), **common)
