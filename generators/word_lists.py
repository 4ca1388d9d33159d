"""Word lists written here (rare_nouns.tsv, …) and finding their words in a text."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from pathlib import Path

WORD = re.compile(r"(?<![\w'’-])([A-Za-z]+)(?![\w'’-])")  # a word of letters, not part of a longer word


def lexicon_rows(path: Path) -> Iterator[list[str]]:
    """Each non-empty, non-comment line's fields (tab-separated, "#" opening a comment line)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


THE_BEFORE = re.compile(r"(?<![\w-])[Tt]he\s+$")  # a "the" right before a name or a word


def opens_text(text: str, start: int) -> bool:
    """Whether nothing but spaces, quotes and an opening parenthesis comes before `start`."""
    return not text[:start].strip(" \"'“‘«(")


def listed_words(text: str, listed: Container[str], is_whole: Callable[[str], bool],
                 capitalised_opening: bool = False) -> Iterator[tuple[re.Match, str]]:
    """Each word of `text` whose lower case is `listed` and that the vocabulary holds only in pieces, with its lower
    case: written in lower case or, with `capitalised_opening`, capitalised opening the text ("Officials said …";
    a capital inside the text may be a name's)."""
    for match in WORD.finditer(text):
        lower = match.group(1).lower()
        if lower in listed and not is_whole(lower) and written_as_listed(text, match, capitalised_opening):
            yield match, lower


def written_as_listed(text: str, match: re.Match, capitalised_opening: bool = True) -> bool:
    """Whether a listed word or phrase (`match` group 1) is written as one: in lower case or, with
    `capitalised_opening`, capitalised opening the text."""
    written = match.group(1)
    return written == written.lower() or capitalised_opening and written == written.capitalize() \
        and opens_text(text, match.start())


def last_words(before: str, count: int = 2) -> list[str]:
    """The last words of `before`, in lower case (apostrophes kept: "city's")."""
    return re.findall(r"[\w'’]+", before.lower())[-count:]
