"""The poetry corpus (../shared/data/poetry/<poet>.txt): poets, cleaning, the per-poet train/validation split.

One file per poet, one verse line per line, blank lines between stanzas (see ../shared/data/SOURCES.md §3).
Cleaning here is a small, documented filter over the residue the corpus notes list — lines that are not verse:

- a line with a digit (dates, section numbers, "First published in 1830."),
- a line with no lowercase letter (titles in capitals, Roman numerals, signatures such as "E.A.P."),
- a line that opens with "[" (stage directions, editorial brackets).

A dropped line leaves a stanza break behind, so the verse around it is not glued together. Runs of blank lines
collapse to one: a "stanza" is then the text between two blank lines.

The split is per poet: the last `VAL_SHARE` of each poet's kept lines (moved forward to the next stanza break)
is validation; the tokenizer and the model only ever see the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "poetry"
VAL_SHARE = 0.05

# The twelve poets, in a fixed order (the control tokens are numbered in this order): slug -> display name.
POETS = {
    "alfred_tennyson": "Alfred Tennyson",
    "christina_rossetti": "Christina Rossetti",
    "edgar_allan_poe": "Edgar Allan Poe",
    "elizabeth_barrett_browning": "Elizabeth Barrett Browning",
    "emily_dickinson": "Emily Dickinson",
    "henry_wadsworth_longfellow": "Henry Wadsworth Longfellow",
    "john_keats": "John Keats",
    "robert_frost": "Robert Frost",
    "walt_whitman": "Walt Whitman",
    "william_blake": "William Blake",
    "william_shakespeare_sonnets": "William Shakespeare",
    "william_wordsworth": "William Wordsworth",
}


def poet_token(slug: str) -> str:
    return f"<{slug}>"


@dataclass
class PoetSplit:
    slug: str
    train: list[str]  # verse lines, "" = stanza break
    val: list[str]


def is_verse(line: str) -> bool:
    return not re.search(r"\d", line) and re.search(r"[a-z]", line) is not None and not line.startswith("[")


def clean_lines(text: str) -> list[str]:
    """Verse lines with "" between stanzas (no leading, trailing or repeated "")."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and is_verse(line):
            out.append(line)
        elif out and out[-1] != "":
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def split_lines(lines: list[str], val_share: float = VAL_SHARE) -> tuple[list[str], list[str]]:
    cut = int(len(lines) * (1 - val_share))
    while cut < len(lines) and lines[cut] != "":
        cut += 1  # a stanza is never split between train and validation
    train, val = lines[:cut], lines[cut:]
    while val and val[0] == "":
        val = val[1:]
    return train, val


def read_poets(data_dir: str | Path = DEFAULT_DATA, val_share: float = VAL_SHARE) -> dict[str, PoetSplit]:
    data_dir = Path(data_dir)
    missing = [slug for slug in POETS if not (data_dir / f"{slug}.txt").is_file()]
    if missing:
        raise FileNotFoundError(f"{data_dir} lacks {', '.join(m + '.txt' for m in missing)}")
    splits = {}
    for slug in POETS:
        train, val = split_lines(clean_lines((data_dir / f"{slug}.txt").read_text(encoding="utf-8")), val_share)
        splits[slug] = PoetSplit(slug, train, val)
    return splits


def data_card(splits: dict[str, PoetSplit]) -> str:
    """A markdown table of kept lines per poet and split."""
    rows = "\n".join(
        f"| {POETS[s.slug]} | {sum(1 for x in s.train if x):,} | {sum(1 for x in s.val if x):,} |"
        for s in splits.values()
    )
    return "| poet | train lines | validation lines |\n|---|---|---|\n" + rows + "\n"
