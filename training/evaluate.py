"""Evaluates models and prints one JSON line per run: python -m training.evaluate lm --model NAME --text FILE.

Subcommands (one per task): `lm` — teacher-forced negative log-likelihood per character of a text under a
continuation model (bundled, local directory or hub id). See generators/lm_scoring.py for which characters count.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from generators.command_line import OneLineParser, report_errors
from generators.errors import QuillError
from generators.requests import TRANSLATION_NO_REPEAT_NGRAM


def read_text(path: str, last_fraction: float = 1.0) -> str:
    """The UTF-8 file, or only its last `last_fraction` of characters (0.1 = the held-out split of training/)."""
    file = Path(path)
    if not file.is_file():
        raise QuillError(f"no text file at '{path}'")
    if not 0 < last_fraction <= 1:
        raise QuillError(f"--last-fraction is {last_fraction}; give a number in (0, 1]")
    text = file.read_text(encoding="utf-8")
    return text[int(len(text) * (1 - last_fraction)) :]


def evaluate_lm(model: str, text: str, device: str = "cpu", stride: int | None = None) -> dict:
    from generators.lm_scoring import score_text
    from generators.registry import load_step_model

    step_model, task = load_step_model(model, device)
    if task != "continuation":
        raise QuillError(f"'{model}' is a {task} model; `lm` evaluates continuation models")
    started = time.perf_counter()
    try:
        score = score_text(step_model, text, stride)
    except ValueError as error:
        raise QuillError(str(error)) from None
    return {
        "model": model,
        "nats_per_char": round(score.nats_per_char, 6),
        "bits_per_char": round(score.nats_per_char / math.log(2), 6),
        "chars": score.chars,
        "seconds": round(time.perf_counter() - started, 3),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    lm = commands.add_parser("lm", help="nats and bits per character of a text under a continuation model")
    lm.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
    lm.add_argument("--text", required=True, help="a UTF-8 text file")
    lm.add_argument("--last-fraction", type=float, default=1.0,
                    help="score only the file's last fraction of characters (0.1: the held-out split)")
    lm.add_argument("--stride", type=int, help="transformers models: window stride in tokens (default: half)")
    lm.add_argument("--device", default="cpu")
    translation = commands.add_parser("translation", help="BLEU and chrF (sacrebleu) on en<TAB>fr pairs")
    translation.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
    translation.add_argument("--pairs", required=True,
                             help="en<TAB>fr lines, or the 4-column eng<TAB>fra<TAB>English<TAB>French format")
    translation.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    translation.add_argument("--num-beams", type=int, default=4)
    translation.add_argument("--batch-size", type=int, default=32,
                             help="sentences decoded together (sorted by length); 1 = one at a time")
    translation.add_argument("--device", default="cpu")
    translation.add_argument("--no-repeat-ngram-size", type=int, default=TRANSLATION_NO_REPEAT_NGRAM,
                             help="forbid repeating any n-gram of this many subwords (0: off; default: the "
                                  "translators' own, %(default)s)")
    translation.add_argument("--no-stand-ins", action="store_true",
                             help="send rare names and numbers to the model as they are (no stand-ins)")
    translation.add_argument("--whole-sentences", action="store_true",
                             help="translate long sentences whole, not clause by clause (generators/clauses.py)")
    ner = commands.add_parser("ner", help="entity-level precision, recall and F1 (seqeval) on CoNLL files")
    ner.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
    ner.add_argument("--conll", required=True, help="a CoNLL file, the NER tag (IOB1 or BIO) in the last column")
    ner.add_argument("--num-beams", type=int, default=1)
    ner.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    ner.add_argument("--batch-size", type=int, default=64,
                     help="sentences tagged together (sorted by length); 1 = one at a time")
    ner.add_argument("--device", default="cpu")
    verse = commands.add_parser("verse", help="syllable and rhyme rates of a verse model's suggestions")
    verse.add_argument("--model", required=True, help="bundled name or local model directory")
    verse.add_argument("--first-lines", required=True, help="a text file, one first line per line")
    verse.add_argument("--syllables", type=int, required=True)
    verse.add_argument("--scheme", default="AABB", choices=["AABB", "ABAB", "ABBA", "ABCB", "none"])
    verse.add_argument("--poets", help="comma-separated poets (default: all twelve)")
    verse.add_argument("--suggestions", type=int, default=2, help="suggestions per muse")
    verse.add_argument("--muses", type=int, default=3, help="muses asked together in each request (1-3)")
    verse.add_argument("--meter", choices=["none", "iambic"], default="none", help="ask for iambic meter too")
    verse.add_argument("--seed", type=int, default=0)
    verse.add_argument("--show", type=int, default=0, help="print N suggestions to stderr, to be read")
    verse.add_argument("--rhyme", choices=["planned", "forced"], default="planned",
                       help="planned: the end word chosen first (models that read plans); forced: a rhyme at the end")
    verse.add_argument("--allow-dangling", action="store_true", help="let the end word stand alone after a pause")
    verse.add_argument("--guidance", type=float, help="poet guidance strength of a planning model (default: its own)")
    verse.add_argument("--attributor", help="also measure poet match with this verse model as the judge of who "
                       "wrote each suggestion (e.g. verse-poets for the SmolLM2 poet): a second opinion")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def run() -> None:
        if args.command == "lm":
            text = read_text(args.text, args.last_fraction)
            print(json.dumps(evaluate_lm(args.model, text, args.device, args.stride)))
        if args.command == "translation":
            from .evaluate_translation import evaluate_translation

            print(json.dumps(evaluate_translation(args.model, args.pairs, args.device, args.num_beams, args.limit,
                                                  batch_size=args.batch_size, stand_ins=not args.no_stand_ins,
                                                  no_repeat_ngram_size=args.no_repeat_ngram_size,
                                                  clauses=not args.whole_sentences)))
        if args.command == "ner":
            from .evaluate_ner import evaluate_ner

            print(json.dumps(evaluate_ner(args.model, args.conll, args.device, args.num_beams, args.limit,
                                          batch_size=args.batch_size)))
        if args.command == "verse":
            from .evaluate_verse import evaluate_verse

            poets = [p.strip() for p in args.poets.split(",")] if args.poets else None
            print(json.dumps(evaluate_verse(args.model, args.first_lines, args.syllables, args.scheme, poets,
                                            args.suggestions, args.seed, args.muses,
                                            None if args.meter == "none" else args.meter, args.show, args.rhyme,
                                            args.allow_dangling, args.guidance, args.attributor)))

    return report_errors(run)


if __name__ == "__main__":
    sys.exit(main())
