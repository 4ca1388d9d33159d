"""Teacher-forced negative log-likelihood of a text under any continuation step model, in nats.

Which characters are scored, for every model: all characters after the first TOKEN, the first token being the
only context the text starts from. For a character model that is every character after the first (what the
Quill-native models' `nats_on` computes); for a subword model (GPT-2) it is every character after those of the
first token, so `nats / chars` is a per-character figure comparable across tokenisations.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

MAX_WINDOW = 1024  # tokens per scoring window, whatever the model's context (an 8k window's logits take GBs)


@dataclass(frozen=True)
class Score:
    nats: float  # total NLL of the scored characters
    chars: int  # how many characters were scored

    @property
    def nats_per_char(self) -> float:
        return self.nats / self.chars


def score_text(step_model, text: str, stride: int | None = None) -> Score:
    """Quill-native models score themselves (`nats_on`); transformers causal LMs go through `hf_nats_on`."""
    if len(text) < 2:
        raise ValueError("the text needs at least two characters: the first is context, the rest are scored")
    if hasattr(step_model, "nats_on"):
        return Score(float(step_model.nats_on(text)), len(text) - 1)
    return hf_nats_on(step_model, text, stride)


@torch.inference_mode()
def hf_nats_on(step_model, text: str, stride: int | None = None) -> Score:
    """NLL of every token after the first, in sliding windows of the model's context length.

    Each window holds up to `max_positions` tokens (at most MAX_WINDOW) and moves on by `stride`; it scores only the tokens no earlier
    window scored, so every token after the first is scored once, with up to `max_positions - stride` tokens of
    context before the window's first scored token (the transformers "perplexity of fixed-length models" recipe).
    """
    tokenizer = step_model.tokenizer
    ids = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]  # no "longer than max" warning
    if len(ids) < 2:
        raise ValueError("the text is a single token: nothing after it to score")
    window = min(step_model.max_positions or len(ids), MAX_WINDOW)
    stride = stride or max(1, window // 2)
    if not 0 < stride < window:  # a window must overlap the last one by a token, whose successor it then scores
        raise ValueError(f"stride must lie in [1, {window - 1}] (below the model's context length, {window})")
    ids = torch.tensor(ids, device=step_model.device)  # [N]
    nats, scored_to = 0.0, 1  # ids[:scored_to] are done (the first token is context only)
    for begin in range(0, len(ids), stride):
        end = min(begin + window, len(ids))
        logprobs = step_model.sequence_logprobs(ids[None, begin:end])[:-1]  # [W-1, V]: row j predicts ids[begin+j+1]
        targets = ids[begin + 1 : end]  # [W-1]
        fresh = slice(scored_to - begin - 1, None)  # the rows whose targets no earlier window scored
        nats -= logprobs[fresh].gather(1, targets[fresh, None]).sum().item()
        scored_to = end
        if end == len(ids):
            break
    first = tokenizer.decode(ids[:1].tolist(), clean_up_tokenization_spaces=False)
    return Score(nats, len(text) - len(first))
