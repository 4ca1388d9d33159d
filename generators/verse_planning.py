"""End words chosen before a line is written (for poet models that read planned prompts, generators/verse_prompt.py).

Each muse's prompt is opened at the new line's plan, "[10", and the model itself says which end word it would plan
there: one step over the prompts (all muses at once) gives every candidate's first token its log-probability; the
likeliest `shortlist` candidates of each muse are then scored whole (their tokens and the plan's closing "]",
teacher-forced from the prompts' cache, one step per token for all of them at once). End words are drawn from those
scores without replacement, so each suggestion of a muse reaches its own word; the line is then written towards it
under the verse constraint. Candidates are always a given set (the rhymes of the partner word, or the poets' words
for an unpaired line), so a planned end word is never outside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .models.prefix_cache import CachedPrompts

SHORTLIST = 16  # candidates scored whole per muse; the rest are ranked by their first token only


@torch.inference_mode()
def score_end_words(step_model, contexts: Sequence[Sequence[int]], candidates: Sequence[Sequence[str]],
                    encoded: dict[str, list[int]], shortlist: int = SHORTLIST
                    ) -> tuple[list[list[tuple[str, float]]], CachedPrompts | None]:
    """For each context (a prompt open at its plan) and its candidate words: (word, log P(" word]" | context)) for
    the `shortlist` words whose first token is likeliest, best first; and the contexts' cache (their state after
    every one of their tokens), for prompts that extend them (None when the step model cannot start from it).
    `encoded[word]`: the word's tokens followed by the plan's closing tokens."""
    contexts = [list(c) for c in contexts]
    if len(contexts) == 1:
        state, first = step_model.start(contexts[0])
        ids = [list(first)]
    else:
        state, ids = step_model.start_batch(contexts)
    device = step_model.device
    logprobs, state, _ = step_model.step(state, torch.tensor([c[-1] for c in ids], device=device))  # [M, V]
    logprobs = logprobs.float().cpu()
    cached = CachedPrompts(state, [list(c) for c in ids]) if hasattr(step_model, "start_batch_from") else None
    rows, owners, totals = [], [], []  # one row per (context, shortlisted word)
    ranked: list[list[str]] = []
    for m, words in enumerate(candidates):
        words = list(words)
        if not words:
            ranked.append([])
            continue
        first_scores = logprobs[m][torch.tensor([encoded[w][0] for w in words])]  # [N]
        keep = first_scores.topk(min(shortlist, len(words))).indices.tolist()
        ranked.append([words[k] for k in keep])
        rows += [encoded[words[k]] for k in keep]
        owners += [m] * len(keep)
        totals += first_scores[keep].tolist()
    width = max((len(r) for r in rows), default=0)
    if width > 1:
        state = step_model.reorder(state, torch.tensor(owners, dtype=torch.long, device=device))
        for k in range(1, width):
            # row r is fed its token k - 1 and scores its token k (a row already scored is fed any token)
            fed = torch.tensor([r[min(k - 1, len(r) - 1)] for r in rows], device=device)
            logprobs, state, _ = step_model.step(state, fed)  # [R, V]
            logprobs = logprobs.float().cpu()
            for r, tokens in enumerate(rows):
                if k < len(tokens):
                    totals[r] += float(logprobs[r, tokens[k]])
    out, r = [], 0
    for words in ranked:
        scored = [(w, totals[r + j]) for j, w in enumerate(words)]
        r += len(words)
        out.append(sorted(scored, key=lambda ws: -ws[1]))
    return out, cached


def draw_end_words(scored: Sequence[tuple[str, float]], count: int, temperature: float = 1.0,
                   seed: int | None = None) -> list[str]:
    """`count` distinct words drawn from the scores (softmax at `temperature`)."""
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
