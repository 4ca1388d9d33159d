"""`python -m training.evaluate verse`: constraint rates, speed and validation nats/token of a verse model.

For every first line in FILE and every chosen poet, asks for the second line (a couplet under the scheme's
first pairing, so it rhymes with the first line unless the scheme is "none") and counts, over all suggestions:
syllable_rate (exactly N syllables) and rhyme_rate (rhymes with the partner, among suggestions whose partner has
a rhyme in CMUdict). nats_per_token: the model's validation loss on the poets' held-out 5% (training/poetry.py split).
poet_match_rate: the share of suggestions that the model itself attributes to the muse that wrote them — of the
twelve poet tokens, the muse's gives the suggestion (after the first line) the highest likelihood; chance is
1/12 ≈ 0.083, so this says how much the poet token steers the verse, not how good the verse is.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch

from generators.registry import load
from generators.verse import VerseRequest


def evaluate_verse(model: str, first_lines: str, syllables: int, scheme: str, poets: list[str] | None,
                   suggestions: int = 3, seed: int = 0) -> dict:
    generator = load(model, task="verse")
    lines = [x.strip() for x in Path(first_lines).read_text().splitlines() if x.strip()]
    poets = poets or generator.poets
    form = "quatrain" if scheme in ("AABB", "none") else "couplet"  # line 2 pairs with line 1 in both
    n = syl_ok = rhyme_n = rhyme_ok = matched = 0
    started = time.perf_counter()
    for k, line in enumerate(lines):
        for poet in poets:
            request = VerseRequest((poet,), (line,), form, scheme, syllables, suggestions, seed=seed + k)
            for s in generator.generate(request).suggestions[generator.poet_name(poet)]:
                n += 1
                syl_ok += s.meets_syllables
                matched += attributed_poet(generator, line, s.text) == generator.poet_name(poet)
                if s.meets_rhyme is not None:
                    rhyme_n, rhyme_ok = rhyme_n + 1, rhyme_ok + s.meets_rhyme
    seconds = time.perf_counter() - started
    return {
        "syllable_rate": round(syl_ok / max(1, n), 4),
        "rhyme_rate": round(rhyme_ok / rhyme_n, 4) if rhyme_n else None,
        "poet_match_rate": round(matched / max(1, n), 4),
        "n": n,
        "seconds_per_suggestion": round(seconds / max(1, n), 3),
        "nats_per_token": round(validation_nats(generator), 4),
    }


def attributed_poet(generator, first_line: str, suggestion: str) -> str:
    """The poet whose token makes `suggestion` (as the line after `first_line`) most likely under the model."""
    step_model = generator.step_model
    suffix = step_model.encode(suggestion)  # its pieces and <nl>
    contexts = [step_model.context(poet, [first_line], room=len(suffix) + 1) for poet in generator.poets]
    ids = torch.tensor([c + suffix for c in contexts])  # [P, L]: only the first (poet) token differs
    with torch.inference_mode():
        logprobs = torch.log_softmax(step_model.model(input_ids=ids).logits.float(), dim=-1)  # [P, L, V]
    start = len(contexts[0])
    picked = logprobs[:, start - 1 : -1].gather(-1, ids[:, start:, None]).squeeze(-1)  # [P, len(suffix)]
    return generator.poets[int(picked.sum(dim=1).argmax())]


def validation_nats(generator) -> float:
    from .poetry import read_poets
    from .verse_lm import PoetStreams, validation

    step_model = generator.step_model
    streams = PoetStreams(step_model.sp, read_poets(), "val", alpha=0.5)
    return validation(step_model.model, streams, step_model.max_positions)["macro"]
