"""Cleaning and checking user text before any model sees it."""

from __future__ import annotations

import unicodedata

from .errors import InputError
from .limits import MAX_INPUT_CHARS

_KEEP_CONTROLS = {"\n", "\t"}


def clean_text(text: object, *, what: str = "text", allow_empty: bool = False, max_chars: int = MAX_INPUT_CHARS) -> str:
    """NFC-normalised text without control characters or lone surrogates; refuses empty or over-long input."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string, got {type(text).__name__}")
    if len(text) > max_chars:
        raise InputError(f"{what} is {len(text):,} characters long; the limit is {max_chars:,}")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    text = unicodedata.normalize("NFC", text)
    if not allow_empty and not text.strip():
        raise InputError(f"{what} is empty: type something first")
    return text
