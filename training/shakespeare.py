"""Tiny Shakespeare: reading the corpus, its train/validation split, and the data section of model cards."""

from __future__ import annotations

from pathlib import Path

VAL_FRACTION = 0.1  # the last 10% of the characters, as in char-rnn and nanoGPT


def read_split(path: str | Path, val_fraction: float = VAL_FRACTION) -> tuple[str, str]:
    """The corpus as (train, validation): the first 90% of its characters, then the last 10%."""
    text = Path(path).read_text(encoding="utf-8")
    cut = int(len(text) * (1 - val_fraction))
    return text[:cut], text[cut:]


def vocabulary(text: str) -> list[str]:
    """The distinct characters of `text`, sorted."""
    return sorted(set(text))


def data_card(train: str, val: str, unit: str = "characters") -> str:
    """The "Data" section shared by the model cards of the Shakespeare models."""
    return f"""## Data

Tiny Shakespeare (`input.txt`, {len(train) + len(val):,} characters of Shakespeare's plays) from the
[karpathy/char-rnn](https://github.com/karpathy/char-rnn) repository (MIT licence); the text itself is in the
public domain. Split: the first 90% of the characters ({len(train):,}) to train, the last 10% ({len(val):,}) to
validate; nothing from the validation part was used to build the {unit} or the model.
"""
