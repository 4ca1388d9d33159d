"""Sequence-level knowledge distillation (Kim & Rush 2016): a teacher translates the training pairs' English side.

    python -m training.translation_distill --teacher ensemble-en-fr \
        --train ../shared/data/tatoeba_eng_fra/train.eng-fra.tsv --out runs/kd/train.ensemble.tsv

Writes `english<TAB>teacher's French` lines in the training file's order, decoded with beam search in length-sorted
batches through Quill's decoding module (stand-ins off: the model's own output). Resumable: it appends one chunk at a
time and on a rerun goes on after the last complete chunk. A student trained on these translations (or on them and
the references) learns the teacher's single most likely output instead of every way a sentence was translated.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

from tqdm import tqdm

from .concat_augment import concatenated_pairs
from .copy_augment import augment_pairs
from .copy_rate import copy_misses
from .evaluate_translation import translate_all
from .lexicon_augment import Lexicon, lexicon_pairs
from .tatoeba import read_pairs


def teacher_targets(path: str | Path, pairs: list[tuple[str, str]], keep_copies: bool = False) -> list[str]:
    """The teacher's French for each training pair, from a file this command wrote for the same training file.
    keep_copies: "" (the reference is used) where the teacher's French leaves out a name or number the reference
    carries over (training/copy_rate.py): 7 % of those items in the ensemble's translations ("Tom died in 2003." ->
    "… en 23.", "Dial 110" -> "Diale onze0"), which a student would learn to garble."""
    lines = [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines()]
    if len(lines) != len(pairs) or any(line[0] != en for line, (en, _) in zip(lines, pairs)):
        raise SystemExit(f"{path} does not translate this training file line for line (run translation_distill)")
    french = [line[1].strip() if len(line) > 1 else "" for line in lines]
    if keep_copies:
        french = ["" if copy_misses(en, fr, taught) else taught for (en, fr), taught in zip(pairs, french)]
    return french


def with_teacher_targets(pairs: list[tuple[str, str]], teacher: list[str], rng, share: float) -> list[tuple[str, str]]:
    """The pairs with the French side replaced by the teacher's in `share` of them (drawn anew each epoch)."""
    return [(en, teacher[i]) if teacher[i] and rng.random() < share else (en, fr) for i, (en, fr) in enumerate(pairs)]


def epoch_pairs(pairs, teacher: list[str], rng, share: float, copy_augment: float,
                concat: float = 0.0, lexicon: Lexicon | None = None, lexicon_share: float = 0.0
                ) -> list[tuple[str, str]]:
    """One epoch's training pairs: the teacher's French in `share` of them, then names swapped in `copy_augment`,
    then a noun swapped in `lexicon_share` of those with an anchor (training/lexicon_augment.py), then `concat` of
    them joined to another pair (training/concat_augment.py)."""
    pairs = with_teacher_targets(pairs, teacher, rng, share) if teacher else pairs
    pairs = augment_pairs(pairs, rng, copy_augment) if copy_augment else pairs
    pairs = lexicon_pairs(pairs, lexicon, rng, lexicon_share) if lexicon and lexicon_share else pairs
    return concatenated_pairs(pairs, rng, concat) if concat else pairs


def trainer_epoch_pairs(args, pairs, teacher: list[str], lexicon: Lexicon | None, rng) -> list[tuple[str, str]] | None:
    """One epoch's pairs as a trainer's arguments ask for them (epoch_pairs); None when no option varies them from
    epoch to epoch (the pairs encoded once are used again)."""
    if not (args.copy_augment or teacher or args.concat_augment or args.lexicon_augment):
        return None
    return epoch_pairs(pairs, teacher, rng, args.distilled_share, args.copy_augment, args.concat_augment, lexicon,
                       args.lexicon_augment)


def distilled_chunk(generator, sentences: list[str], num_beams: int, batch_size: int) -> list[str]:
    """The teacher's translation of each sentence (tabs and newlines flattened so each stays one TSV field)."""
    from generators import DecodingConfig, TranslationRequest

    config = DecodingConfig(num_beams=num_beams, max_new_tokens=96)
    requests = [TranslationRequest(english, config, stand_ins=False) for english in sentences]
    return [" ".join(text.split()) for text in translate_all(generator, requests, batch_size)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teacher", default="ensemble-en-fr", help="a translation model name or folder")
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--num-beams", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--chunk", type=int, default=2048, help="sentences translated per append")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs (0: all)")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)
    import torch

    from generators import load

    if args.threads:
        torch.set_num_threads(args.threads)
    english = [en for en, _ in read_pairs(args.train)]
    english = english[: args.limit] if args.limit else english
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = out.read_text(encoding="utf-8").split("\n")[:-1] if out.exists() else []  # complete lines only
    out.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    done = len(kept)
    generator = load(args.teacher, task="translation")
    started = time.time()
    bar = tqdm(total=len(english), initial=done, desc="distilling", unit="sentence")
    for start in range(done, len(english), args.chunk):
        sentences = english[start : start + args.chunk]
        french = distilled_chunk(generator, sentences, args.num_beams, args.batch_size)
        with out.open("a", encoding="utf-8") as handle:
            handle.writelines(f"{en}\t{fr}\n" for en, fr in zip(sentences, french))
        bar.update(len(sentences))
    bar.close()
    card = {"teacher": args.teacher, "num_beams": args.num_beams, "sentences": len(english),
            "minutes_this_run": round((time.time() - started) / 60, 1),
            "command": "python -m training.translation_distill " + shlex.join(sys.argv[1:] if argv is None else argv)}
    out.with_suffix(".json").write_text(json.dumps(card, indent=2))
    print(json.dumps(card))


if __name__ == "__main__":
    main()
