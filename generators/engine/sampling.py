"""DecodingConfig -> the parameters of an OpenAI-compatible `/v1/completions` request to vLLM.

What vLLM cannot do for a setting is refused with a message that says so, never silently dropped.
"""

from __future__ import annotations

import random

from ..decoding import DecodingConfig
from ..errors import InputError

TOP_ALTERNATIVES = 5  # as the local loop: the model's top-5 tokens at every step


def engine_parameters(config: DecodingConfig) -> tuple[dict, int | None]:
    """(the request's parameters, the seed used): greedy is temperature 0, sampling sends its seed (one is drawn
    when none was given, so the answer can be replayed), beam search is vLLM's `use_beam_search` with `n` beams."""
    refused = unsupported_settings(config)
    if refused:
        raise InputError("the vLLM engine cannot do this: " + "; ".join(refused))
    parameters = {"max_tokens": config.max_new_tokens, "logprobs": TOP_ALTERNATIVES,
                  "return_tokens_as_token_ids": True, "skip_special_tokens": True}
    seed = None
    if config.strategy == "beam":
        parameters.update(use_beam_search=True, n=config.num_beams, length_penalty=config.length_penalty,
                          temperature=0.0)
        return parameters, seed
    parameters["repetition_penalty"] = config.repetition_penalty
    if config.strategy == "greedy":
        parameters["temperature"] = 0.0
        return parameters, seed
    seed = config.seed if config.seed is not None else random.randrange(2**31)
    parameters.update(temperature=config.temperature, top_p=config.top_p, top_k=config.top_k or -1, seed=seed,
                      n=config.num_return_sequences)
    return parameters, seed


def unsupported_settings(config: DecodingConfig) -> list[str]:
    """Why each setting vLLM's server cannot honour is refused (empty when it can do them all)."""
    refused = []
    if config.no_repeat_ngram_size:
        refused.append("no_repeat_ngram_size has no vLLM equivalent (set it to 0, or choose a local model)")
    if config.strategy == "beam":
        if config.repetition_penalty != 1.0:
            refused.append("vLLM's beam search takes no repetition_penalty (set it to 1.0, or choose a local model)")
        if config.early_stopping is not False:
            refused.append("vLLM's beam search has no early_stopping setting (leave it off)")
    return refused
