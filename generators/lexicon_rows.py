"""The rows of a word list written here: tab-separated, "#" opening a comment line (rare_nouns.tsv, …)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def lexicon_rows(path: Path) -> Iterator[list[str]]:
    """Each non-empty, non-comment line's fields."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")
