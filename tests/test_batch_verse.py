"""Verse in batches: several requests (several muses each) decoded together give what each gives alone."""

from __future__ import annotations

import pytest

from generators import load
from generators.verse import VerseRequest

pytestmark = pytest.mark.usefixtures("one_thread")


def test_verse_batch_equals_each_request_alone():
    generator = load("verse-poets", task="verse")
    requests = [
        VerseRequest(("John Keats", "Emily Dickinson"), ("The lamp burns low beside the window pane",), "couplet",
                     "AABB", 10, 2, seed=4),
        VerseRequest(("Walt Whitman",), ("I walk the shore",), "quatrain", "none", None, 1, seed=9),
        VerseRequest(("Robert Frost", "John Keats", "Emily Dickinson"),
                     ("A crow sat on the fence at noon", "And watched the farmer plough"), "quatrain", "ABAB", 8, 2,
                     seed=1),
    ]
    batched = generator.generate_batch(requests)
    for request, result in zip(requests, batched):
        alone = generator.generate(request)
        assert result.notes == alone.notes
        assert {poet: [(s.text, s.meets_syllables, s.meets_rhyme) for s in lines]
                for poet, lines in result.suggestions.items()} == {
            poet: [(s.text, s.meets_syllables, s.meets_rhyme) for s in lines]
            for poet, lines in alone.suggestions.items()}
        assert list(result.suggestions) == list(request.poets)
