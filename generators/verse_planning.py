"""End words chosen before a line is written (for poet models that read planned prompts, generators/verse_prompt.py).

The prompt is opened at the new line's plan, "[10", and the model itself says which end word it would plan there:
one step over the prompt gives every candidate's first token its log-probability; the likeliest `shortlist`
candidates are then scored whole (their tokens and the plan's closing "]", teacher-forced from the prompt's cache,
one step per token for all of them at once). End words are drawn from those scores without replacement, so each
suggestion of a muse reaches its own word; the line is then written towards it under the verse constraint.
Candidates are always a given set (the rhymes of the partner word, or the poets' words for an unpaired line), so
a planned end word is never outside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

SHORTLIST = 16  # candidates scored whole; the rest are ranked by their first token only


@torch.inference_mode()
def score_end_words(step_model, context: Sequence[int], words: Sequence[str], encoded: dict[str, list[int]],
                    shortlist: int = SHORTLIST) -> list[tuple[str, float]]:
    """-> (word, log P(" word]" | context)) for the `shortlist` words whose first token is likeliest, best first.
    `encoded[word]`: the word's tokens followed by the plan's closing tokens."""
    if not words:
        return []
    state, ids = step_model.start(list(context))
    logprobs, state, _ = step_model.step(state, torch.tensor([ids[-1]], device=step_model.device))  # [1, V]
    firsts = torch.tensor([encoded[w][0] for w in words])
    first_scores = logprobs[0].cpu()[firsts]  # [N]
    keep = first_scores.topk(min(shortlist, len(words))).indices.tolist()
    ranked = [words[k] for k in keep]
    totals = first_scores[keep].clone()  # [R]
    rows = [encoded[w] for w in ranked]
    width = max(len(r) for r in rows)
    if width > 1:
        state = step_model.reorder(state, torch.zeros(len(rows), dtype=torch.long, device=step_model.device))
        for k in range(1, width):
            # row r is fed its token k - 1 and scores its token k (a row already scored is fed any token)
            fed = torch.tensor([r[min(k - 1, len(r) - 1)] for r in rows], device=step_model.device)
            logprobs, state, _ = step_model.step(state, fed)  # [R, V]
            for r, tokens in enumerate(rows):
                if k < len(tokens):
                    totals[r] += logprobs[r, tokens[k]].item()
    order = totals.argsort(descending=True).tolist()
    return [(ranked[r], float(totals[r])) for r in order]


def draw_end_words(scored: Sequence[tuple[str, float]], count: int, temperature: float = 1.0,
                   seed: int | None = None) -> list[str]:
    """`count` distinct words drawn from the scores (softmax at `temperature`), likeliest first when seeded alike."""
    if not scored:
        return []
    scores = torch.tensor([s for _, s in scored]) / max(temperature, 1e-3)
    generator = torch.Generator()
    if seed is not None:
        generator.manual_seed(seed)
    else:
        generator.seed()
    picks = torch.multinomial(torch.softmax(scores, dim=0), min(count, len(scored)), replacement=False,
                              generator=generator)
    return [scored[i][0] for i in picks.tolist()]
