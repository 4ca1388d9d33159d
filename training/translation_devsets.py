"""Dev sets that predict unseen data: the dev pairs with no near-duplicate family in training, and its long slice.

    python -m training.translation_devsets --train ../shared/data/tatoeba_eng_fra/train.eng-fra.tsv \
        --dev ../shared/data/tatoeba_eng_fra/dev.eng-fra.tsv --out runs/devsets

Tatoeba holds families of near-duplicates ("Tom is happy." / "Tom was happy." / "Mary is happy."); the given dev
split keeps apart only identical English sentences, so most dev sentences have a sibling in training and dev BLEU
overestimates new text by ~9 BLEU. A sentence's content is what stays when names, numbers, punctuation, case,
function words and inflection are taken away (`content_stems`); its family in training is every training sentence
sharing at least half of the two sentences' content stems (Jaccard ≥ 0.5). Writes (never into the repository:
the pairs are the corpus's own text):
- `dev-unseen.tsv`: dev pairs with no family member in the training split (on the bundled models this subset
  scores within ~1 BLEU of a reviewer's held-out Tatoeba test, where the whole dev split is ~9 above);
- `dev-long.tsv`: the dev pairs of at least `--long-words` English words;
- `dev-check.tsv`: the other dev pairs (not in dev-unseen), shuffled with `--seed`, for a trainer's periodic checks
  and checkpoint choice, so that dev-unseen stays a measure no choice was made on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from .tatoeba import read_pairs

FUNCTION_WORDS = frozenset(
    "a an the is am are was were be been being 's 're 'm 've 'd 'll do does did don't doesn't didn't will would "
    "shall should can could may might must not n't to of very so too just really".split()
)
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+")


def content_stems(english: str) -> frozenset[str]:
    """What a sentence says, without its form: content stems (names -> N, numbers -> #)."""
    words = set()
    for index, raw in enumerate(WORD.findall(english)):
        if raw.isdigit():
            words.add("#")
        elif raw[0].isupper() and index > 0 and raw != "I":
            words.add("N")  # a capitalised word inside the sentence: a name or a place
        elif raw.lower() not in FUNCTION_WORDS:
            words.add(_stem(raw.lower()))
    return frozenset(words)


def _stem(word: str) -> str:
    """A crude English stem: enough to join "play/plays/played/playing"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def unseen_pairs(train: list[tuple[str, str]], dev: list[tuple[str, str]],
                 threshold: float = 0.5) -> list[tuple[str, str]]:
    """The dev pairs whose nearest training sentence (Jaccard of content stems) is below `threshold`."""
    stems = [content_stems(english) for english, _ in train]
    holding = defaultdict(list)  # stem -> training sentences holding it
    for index, words in enumerate(stems):
        for word in words:
            holding[word].append(index)
    return [pair for pair in dev if _nearest(content_stems(pair[0]), stems, holding) < threshold]


def _nearest(words: frozenset[str], stems: list[frozenset[str]], holding: dict) -> float:
    """The highest Jaccard similarity to a training sentence. A sentence at ≥ 0.5 holds at least half of `words`,
    so it holds one of the len(words) // 2 + 1 rarest (prefix filtering): only those are looked up."""
    if not words:
        return 1.0  # nothing but names and function words: "Tom did." has siblings everywhere
    rarest = sorted(words, key=lambda word: len(holding.get(word, ())))[: len(words) // 2 + 1]
    candidates = {index for word in rarest for index in holding.get(word, ())}
    return max((len(words & stems[i]) / len(words | stems[i]) for i in candidates), default=0.0)


def check_pairs(dev: list[tuple[str, str]], unseen: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """The dev pairs outside `unseen`, in a seeded random order (dev is sorted short first: a prefix is then a
    fair sample)."""
    held = set(unseen)
    check = [pair for pair in dev if pair not in held]
    random.Random(seed).shuffle(check)
    return check


def write_pairs(pairs: list[tuple[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{english}\t{french}\n" for english, french in pairs), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--out", default="runs/devsets")
    parser.add_argument("--long-words", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)
    train, dev = read_pairs(args.train), read_pairs(args.dev)
    unseen = unseen_pairs(train, dev)
    long = [pair for pair in dev if len(pair[0].split()) >= args.long_words]
    out = Path(args.out)
    write_pairs(unseen, out / "dev-unseen.tsv")
    write_pairs(long, out / "dev-long.tsv")
    check = check_pairs(dev, unseen, args.seed)
    write_pairs(check, out / "dev-check.tsv")
    print(json.dumps({"dev": len(dev), "dev_unseen": len(unseen), "dev_long": len(long), "dev_check": len(check),
                      "mean_words": {"dev": _mean_words(dev), "dev_unseen": _mean_words(unseen),
                                     "dev_long": _mean_words(long)}}))


def _mean_words(pairs: list[tuple[str, str]]) -> float:
    return round(sum(len(english.split()) for english, _ in pairs) / max(len(pairs), 1), 2)


if __name__ == "__main__":
    main()
