"""A span of the source that goes to the model as a stand-in (source_forms, number_words, calendar_words, …)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SwappedForm:
    """A span of the source to swap: what the model reads in its place and what the translation writes for it."""

    start: int
    end: int
    written: str  # the span as the user wrote it (the tab's note, the heatmap)
    kind: str  # the stand-in pool: "number", "person", "woman", "place", or an article class of KNOWN_NAMES
    french: str  # what replaces the stand-in in the translation
    the: int = 0  # length of the "the " the span starts with (0: none)
