"""`python -m training.evaluate verse`: form, fluency, poet and speed measures of a verse model's suggestions.

For every first line in FILE, `--muses` poets (rotating through the model's poets, so every poet is asked as often)
are asked together for the second line, as the tab asks (a quatrain under AABB, so line 2 rhymes with line 1; a
couplet for the other schemes; no rhyme under "none"). Over all suggestions shown:
- syllable_rate: exactly N syllables; rhyme_rate: rhymes with the partner (among suggestions whose partner has a
  rhyme in CMUdict); meter_rate: every word keeps the iambic meter (generators/meter.py), whether or not
  `--meter iambic` asked for it;
- dangling_rate: the last word stands alone after , . ; : ! ? ("...the trees. oar,"); doubled_word_rate: a word
  follows itself ("the the");
- judge_nll: mean per-token NLL of each suggestion after its first line (plain text, "first line\\n" then the
  suggestion and its newline) under the base SmolLM2-135M-Instruct from PyPI, the same judge for every model;
  reference_judge_nll is the same figure for the poets' own next lines (consecutive lines of the held-out 5%);
- poet_match_rate: the share of suggestions that the model itself attributes to the muse that wrote them — of its
  twelve poets, the muse's gives the suggestion (after the first line) the highest likelihood; chance is 1/12;
  with `--attributor OTHER`, poet_match_rate_by_attributor is the same share judged by another verse model (a
  second opinion that decoding towards the model's own notion of a poet cannot flatter);
- requests_without_full_suggestions: muse answers that came back with fewer lines than asked (nothing is shown
  that misses the form; the tab says so);
- seconds_per_request: wall time of one request (all its muses) on this machine;
- nats_per_token: the model's validation loss on the poets' held-out 5% (its own tokenizer and prompt format).
How the line reaches its rhyme can be switched, to measure the alternatives: `--rhyme forced` writes a planning
model's line without an end word in its plan ("[10]") and forces a rhyme at the line's end (the rhyme trie, as for
the small model); `--allow-dangling` lifts the rule that keeps the end word from standing alone after a pause.
`--show N` prints N suggestions (first line -> suggestion) to stderr, to be read.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import torch

from generators.meter import line_fits_meter
from generators.prosody import dangles, doubled_word, last_word
from generators.registry import load
from generators.verse import VerseRequest

JUDGE = "smollm2-135m-instruct@fp32"
REFERENCE_PAIRS = 240


def evaluate_verse(model: str, first_lines: str, syllables: int, scheme: str, poets: list[str] | None,
                   suggestions: int = 2, seed: int = 0, muses: int = 3, meter: str | None = None,
                   show: int = 0, rhyme: str = "planned", dangling: bool = False,
                   guidance: float | None = None, attributor: str | None = None) -> dict:
    generator = load(model, task="verse")
    generator.plan_end_words = generator.plans_end_words and rhyme == "planned"
    generator.no_dangling = not dangling
    if guidance is not None:
        generator.guidance = guidance
    lines = [x.strip() for x in Path(first_lines).read_text().splitlines() if x.strip() and not x.startswith("#")]
    poets = [generator.poet_name(p) for p in (poets or generator.poets)]
    muses = max(1, min(muses, len(poets), 3))
    form = "quatrain" if scheme in ("AABB", "none") else "couplet"  # line 2 pairs with line 1 in both
    shown: list[tuple[str, str, object]] = []  # (first line, muse, suggestion)
    short = asked = 0
    seconds = []
    for k, line in enumerate(lines):
        group = tuple(poets[(k * muses + j) % len(poets)] for j in range(muses))
        request = VerseRequest(group, (line,), form, scheme, syllables, suggestions, seed=seed + k, meter=meter)
        started = time.perf_counter()
        result = generator.generate(request)
        seconds.append(time.perf_counter() - started)
        for poet in group:
            found = result.suggestions.get(poet, [])
            asked += 1
            short += len(found) < suggestions
            shown += [(line, poet, s) for s in found]
    n = max(1, len(shown))
    rhymed = [s for _, _, s in shown if s.meets_rhyme is not None]
    scorer = scoring_model(model, generator)
    judge = load(JUDGE, task="continuation").step_model
    out = {
        "syllable_rate": round(sum(s.meets_syllables for _, _, s in shown) / n, 4),
        "rhyme_rate": round(sum(s.meets_rhyme for s in rhymed) / len(rhymed), 4) if rhymed else None,
        "meter_rate": round(sum(line_fits_meter(s.text) for _, _, s in shown) / n, 4),
        "dangling_rate": round(sum(dangles(s.text) for _, _, s in shown) / n, 4),
        "doubled_word_rate": round(sum(doubled_word(s.text) for _, _, s in shown) / n, 4),
        "judge_nll": round(mean([judge_nll(judge, first, s.text) for first, _, s in shown]), 4),
        "reference_judge_nll": round(reference_judge_nll(judge), 4),
        "poet_match_rate": round(sum(attributed_poet(scorer, first, s.text, syllables) == poet
                                     for first, poet, s in shown) / n, 4),
        "n": len(shown),
        "requests_without_full_suggestions": short,
        "muse_answers": asked,
        "seconds_per_request": round(mean(seconds), 3),
        "muses_per_request": muses,
        "suggestions_per_muse": suggestions,
        "nats_per_token": round(validation_nats(scorer), 4),
    }
    if attributor is not None:
        other = scoring_model(attributor, load(attributor, task="verse"))
        out["attributor"] = attributor
        out["poet_match_rate_by_attributor"] = round(sum(attributed_poet(other, first, s.text, syllables) == poet
                                                         for first, poet, s in shown) / n, 4)
    for first, poet, s in random.Random(seed).sample(shown, min(show, len(shown))):
        print(f"{first}\n  {poet}: {s.text}", file=sys.stderr)
    return out


def mean(values) -> float:
    values = list(values)
    return sum(values) / max(1, len(values))


def scoring_model(model: str, generator):
    """The step model to score with: the generator's, or for a planning (SmolLM2) poet its float32 twin, whose
    prompts run through the plain transformers network (one batched forward per suggestion)."""
    if getattr(generator.step_model, "plans_end_words", False) and "@" not in model:
        return load(model + "@fp32", task="verse").step_model
    return generator.step_model


@torch.inference_mode()
def judge_nll(judge, first_line: str, line: str) -> float:
    """Mean NLL per token of `line` and its newline after "first_line\\n" under the judge (plain text)."""
    context = judge.encode(first_line.strip() + "\n")
    target = judge.encode(line.strip() + "\n")
    ids = torch.tensor([context + target])
    logprobs = judge.sequence_logprobs(ids)  # [W, V]
    start = len(context)
    picked = logprobs[start - 1 : -1].gather(-1, ids[0, start:, None]).squeeze(-1)  # [len(target)]
    return float(-picked.mean())


def reference_judge_nll(judge, pairs: int = REFERENCE_PAIRS) -> float:
    """judge_nll of the poets' own next lines: consecutive lines of one stanza in the held-out 5% of each poet."""
    from .poetry import read_poets
    from .verse_smollm2 import stanzas

    found = []
    for split in read_poets().values():
        for stanza in stanzas(split.val):
            found += list(zip(stanza, stanza[1:]))
    chosen = random.Random(0).sample(found, min(pairs, len(found)))
    return mean(judge_nll(judge, a, b) for a, b in chosen)


@torch.inference_mode()
def attributed_poet(step_model, first_line: str, suggestion: str, syllables: int | None) -> str:
    """The poet whose prompt makes `suggestion` (as the line after `first_line`) most likely under the model."""
    if getattr(step_model, "plans_end_words", False):
        suffix = step_model.encode(" " + suggestion.strip() + "\n")
        end = last_word(suggestion)
        contexts = [step_model.planned_context(p, [first_line], syllables, end, len(suffix)) for p in step_model.poets]
        width = max(len(c) for c in contexts)
        pad = step_model.eos_token_id
        ids = torch.tensor([[pad] * (width - len(c)) + c + suffix for c in contexts])  # [P, L], left-padded
        mask = (torch.arange(ids.shape[1])[None, :] >= torch.tensor([width - len(c) for c in contexts])[:, None])
        positions = (mask.long().cumsum(-1) - 1).clamp(min=0)  # each row counted from its first real token
        logits = step_model.model(input_ids=ids, attention_mask=mask.long(), position_ids=positions).logits.float()
    else:
        suffix = step_model.encode(suggestion)  # its pieces and <nl>
        contexts = [step_model.context(p, [first_line], room=len(suffix) + 1) for p in step_model.poets]
        width = len(contexts[0])  # only the first (poet) token differs
        ids = torch.tensor([c + suffix for c in contexts])  # [P, L]
        logits = step_model.model(input_ids=ids).logits.float()  # [P, L, V]
    logprobs = torch.log_softmax(logits, dim=-1)
    picked = logprobs[:, width - 1 : -1].gather(-1, ids[:, width:, None]).squeeze(-1)  # [P, len(suffix)]
    return step_model.poets[int(picked.sum(dim=1).argmax())]


def validation_nats(step_model) -> float:
    from .poetry import read_poets

    if getattr(step_model, "plans_end_words", False):
        from .verse_smollm2 import PlannedStanzas, build_parser, validation

        args = build_parser().parse_args(["--out", "unused"])
        tokenizer = step_model.tokenizer
        data = PlannedStanzas(read_poets(), "val", args.alpha, tokenizer)
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        return validation(step_model.model, data, args, pad)
    from .verse_lm import PoetStreams, validation

    streams = PoetStreams(step_model.sp, read_poets(), "val", alpha=0.5)
    return validation(step_model.model, streams, step_model.max_positions)["macro"]
