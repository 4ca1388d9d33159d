"""The verse model's lexicon: the words the poets used, which the Verse constraint lets a suggestion write.

    python -m training.verse_lexicon --out assets/models/verse-poets [--min-count 3]

Words are what `generators.prosody.words_of` finds in the TRAINING lines of training/poetry.py (lower case, inner
apostrophes kept: "o'er", "utter'd"), kept when they occur at least `--min-count` times. The list is written
sorted alphabetically, one word a line, without counts, as `lexicon.txt` beside the model: a word-level vocabulary
like any tokenizer's, no text. `training.verse_lm` writes it too.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from generators.prosody import words_of

from .poetry import DEFAULT_DATA, read_poets

LEXICON_NAME = "lexicon.txt"


def corpus_lexicon(splits: dict, min_count: int = 3) -> list[str]:
    counts = Counter(w for split in splits.values() for line in split.train for w in words_of(line))
    return sorted(w for w, n in counts.items() if n >= min_count)


def write_lexicon(words: list[str], folder: str | Path) -> Path:
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / LEXICON_NAME
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the verse model's folder")
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args(argv)
    words = corpus_lexicon(read_poets(args.data), args.min_count)
    print(f"{len(words):,} words -> {write_lexicon(words, args.out)}")


if __name__ == "__main__":
    main()
