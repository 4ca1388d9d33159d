"""`python -m training.evaluate verse`: constraint rates, speed and validation nats/token of a verse model.

For every first line in FILE and every chosen poet, asks for the second line (a couplet under the scheme's
first pairing, so it rhymes with the first line unless the scheme is "none") and counts, over all suggestions:
syllable_rate (exactly N syllables) and rhyme_rate (rhymes with the partner, among suggestions whose partner is
in CMUdict). nats_per_token: the model's validation loss on the poets' held-out 5% (training/poetry.py split).
"""

from __future__ import annotations

import time
from pathlib import Path

from generators.registry import load
from generators.verse import VerseRequest


def evaluate_verse(model: str, first_lines: str, syllables: int, scheme: str, poets: list[str] | None,
                   suggestions: int = 3, seed: int = 0) -> dict:
    generator = load(model, task="verse")
    lines = [x.strip() for x in Path(first_lines).read_text().splitlines() if x.strip()]
    poets = poets or generator.poets
    form = "quatrain" if scheme in ("AABB", "none") else "couplet"  # line 2 pairs with line 1 in both
    n = syl_ok = rhyme_n = rhyme_ok = 0
    started = time.perf_counter()
    for k, line in enumerate(lines):
        for poet in poets:
            request = VerseRequest((poet,), (line,), form, scheme, syllables, suggestions, seed=seed + k)
            for s in generator.generate(request).suggestions[generator.poet_name(poet)]:
                n += 1
                syl_ok += s.meets_syllables
                if s.meets_rhyme is not None:
                    rhyme_n, rhyme_ok = rhyme_n + 1, rhyme_ok + s.meets_rhyme
    seconds = time.perf_counter() - started
    return {
        "syllable_rate": round(syl_ok / max(1, n), 4),
        "rhyme_rate": round(rhyme_ok / rhyme_n, 4) if rhyme_n else None,
        "n": n,
        "seconds_per_suggestion": round(seconds / max(1, n), 3),
        "nats_per_token": round(validation_nats(generator), 4),
    }


def validation_nats(generator) -> float:
    from .poetry import read_poets
    from .verse_lm import PoetStreams, validation

    step_model = generator.step_model
    streams = PoetStreams(step_model.sp, read_poets(), "val", alpha=0.5)
    return validation(step_model.model, streams, step_model.max_positions)["macro"]
