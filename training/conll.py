"""CoNLL files (CoNLL-2003, WNUT-17): sentences of (word, tag), the NER tag in the last column, IOB1 -> BIO.

CoNLL-2003 is IOB1: an entity starts with `I-` and `B-` appears only between two adjacent entities of the same
type. `iob1_to_bio` rewrites it to BIO (IOB2), where every entity starts with `B-`; BIO input passes unchanged.
"""

from __future__ import annotations

from pathlib import Path


def read_conll(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (words, tags in BIO); `-DOCSTART-` lines and blank lines separate, tags converted from IOB1."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if words:
                sentences.append((words, iob1_to_bio(tags)))
            words, tags = [], []
            continue
        if len(parts) < 2:
            raise ValueError(f"{path}: a line with a word but no tag: {line!r}")
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        sentences.append((words, iob1_to_bio(tags)))
    return sentences


def iob1_to_bio(tags: list[str]) -> list[str]:
    """IOB1 (or BIO) tags -> BIO: an `I-X` that does not continue an entity of type X becomes `B-X`."""
    out = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-"):
            kind = tag[2:]
            if previous == "O" or previous[2:] != kind:
                tag = "B-" + kind
        elif tag != "O" and not tag.startswith("B-"):
            raise ValueError(f"not an IOB tag: {tag!r}")
        out.append(tag)
        previous = tag
    return out
