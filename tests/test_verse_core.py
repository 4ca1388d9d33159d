"""Verse: syllables and rhyme keys, scheme partners, request validation, the constraint, and whole poems."""

from pathlib import Path

import pytest
import sentencepiece as spm
from tiny_models import RandomScores

from generators.decoding import DecodingConfig, generate
from generators.errors import InputError
from generators.prosody import (
    estimate_syllables,
    last_word,
    line_syllables,
    rhyme_letters,
    rhyme_sound,
    rhymes,
    syllables,
    words_of,
)
from generators.verse import FORMS, VerseRequest, partner_index
from generators.verse_constraint import PieceTables, RhymeTrie, VerseConstraint, WordTrie

BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "models" / "verse-poets"


@pytest.mark.parametrize(
    "word,count",
    [("fire", 2), ("beautiful", 3), ("evening", 2), ("little", 2), ("horses", 2), ("thee", 1), ("Night,", 1),
     ("glimmering", 3)],
)
def test_syllables_of_hand_checked_words(word, count):
    assert syllables(word) == count


@pytest.mark.parametrize("word,count", [("utter'd", 2), ("wandered", 2), ("moonlike", 2), ("fleetest", 2)])
def test_estimator_for_words_cmudict_lacks_or_spells_oddly(word, count):
    assert estimate_syllables(word) == count


def test_line_syllables_and_rhymes():
    assert line_syllables("The lantern swings above the quiet lane") == 10
    assert rhyme_sound("night") == "AY1 T" and rhyme_sound("qwzx") == ""
    assert rhyme_letters("night") == "-ight, as in night" and rhyme_letters("stone") == "-one, as in stone"
    assert rhyme_letters("nation") == "-ation, as in nation" and rhyme_letters("qwzx") == ""
    assert rhymes("night", "light") and rhymes("sea", "thee")
    assert not rhymes("night", "night") and not rhymes("night", "lane")


@pytest.mark.parametrize(
    "form,scheme,expected",
    [("quatrain", "AABB", [None, 0, None, 2]), ("quatrain", "ABAB", [None, None, 0, 1]),
     ("quatrain", "ABBA", [None, None, 1, 0]), ("quatrain", "ABCB", [None, None, None, 1]),
     ("couplet", "ABAB", [None, 0]), ("quatrain", "none", [None] * 4),
     ("free verse", "AABB", [None, 0, None, 2, None, 4])],
)
def test_rhyme_partners_follow_the_scheme(form, scheme, expected):
    assert [partner_index(form, scheme, i) for i in range(len(expected))] == expected


@pytest.mark.parametrize(
    "kwargs,message",
    [(dict(lines=("",)), "first line is empty"), (dict(lines=("Небо синее над тихим домом",)), "English"),
     (dict(lines=("Zorbly quanth vexilur mirnoth daskel",)), "English"),
     (dict(syllables=0), "impossible"), (dict(syllables=100), "impossible"), (dict(poets=()), "1 to 3"),
     (dict(poets=("a", "b", "c", "d")), "1 to 3"), (dict(scheme="XYZ"), "scheme"),
     (dict(form="couplet", lines=("I walked alone beside the sea", "and heard the gulls")), "complete")],
)
def test_requests_are_refused_with_a_clear_message(kwargs, message):
    base = dict(poets=("John Keats",), lines=("I walked alone beside the sea",))
    with pytest.raises(InputError, match=message):
        VerseRequest(**{**base, **kwargs})


def RandomModel(sp, eos):
    """Random log-probabilities over the bundled vocabulary: the constraint alone must keep lines in shape."""
    return RandomScores(sp.get_piece_size(), eos, sp.decode)


@pytest.fixture(scope="module")
def sp_tables():
    sp = spm.SentencePieceProcessor(model_file=str(BUNDLE / "spiece.model"))
    eos = sp.piece_to_id("<nl>")
    return sp, PieceTables([sp.id_to_piece(i) for i in range(sp.get_piece_size())], eos, [0, *range(2, 14)]), eos


@pytest.mark.parametrize("target,partner", [(4, None), (7, "night"), (10, "sea")])
def test_the_constraint_never_lets_a_line_overrun(sp_tables, target, partner):
    sp, tables, eos = sp_tables
    trie = RhymeTrie(partner, sp.encode, max_pieces=2) if partner else None
    constraint = VerseConstraint(tables, target, trie)
    model = RandomModel(sp, eos)
    config = DecodingConfig(max_new_tokens=30, do_sample=True, num_return_sequences=12, seed=target)
    result = generate(model, [eos], config, constraint=constraint)
    finished = [h for h in result.hypotheses if h.finish_reason == "eos"]
    assert finished, "random scores under the constraint should still finish some lines"
    for h in result.hypotheses:
        assert line_syllables(h.text) <= target  # never over, finished or not
    for h in finished:
        assert line_syllables(h.text) == target
        if partner:
            assert rhymes(last_word(h.text), partner)


@pytest.fixture(scope="module")
def verse_generator():
    from generators.registry import load

    return load("verse-poets", task="verse")


@pytest.mark.parametrize("form,scheme", [("couplet", "AABB"), ("quatrain", "ABAB"), ("free verse", "none")])
def test_a_poem_completes_for_each_form(verse_generator, form, scheme):
    lines = ["I walked alone beside the sea"]
    total = FORMS[form] if form != "free verse" else 3
    while len(lines) < total:
        request = VerseRequest(("Emily Dickinson",), tuple(lines), form, scheme, 8, 2, seed=len(lines))
        best = verse_generator.generate(request).suggestions["Emily Dickinson"][0]
        assert best.syllables == 8 and best.meets_rhyme in (True, None)
        lines.append(best.text)
    assert len(lines) == total
    if form != "free verse":
        with pytest.raises(InputError, match="complete"):
            VerseRequest(("Emily Dickinson",), tuple(lines), form, scheme, 8)


LEXICON = ["night", "light", "bright", "the", "a", "sea", "moon", "o'er", "silver", "over", "and", "is"]


@pytest.mark.parametrize("target,partner", [(6, None), (5, "night")])
def test_with_a_lexicon_random_scores_write_only_lexicon_words(sp_tables, target, partner):
    """Random scores would invent words at every step; the lexicon lets only its own words be written."""
    sp, tables, eos = sp_tables
    lexicon = WordTrie(LEXICON, sp.encode, tables)
    trie = RhymeTrie(partner, sp.encode, max_pieces=3, vocabulary=set(LEXICON)) if partner else None
    constraint = VerseConstraint(tables, target, trie, lexicon)
    config = DecodingConfig(max_new_tokens=30, do_sample=True, num_return_sequences=16, seed=target)
    result = generate(RandomModel(sp, eos), [eos], config, constraint=constraint)
    finished = [h for h in result.hypotheses if h.finish_reason == "eos"]
    assert finished, "random scores under the lexicon should still finish some lines"
    for h in finished:
        assert set(words_of(h.text)) <= set(LEXICON), h.text
        assert line_syllables(h.text) == target
        if partner:
            assert last_word(h.text) in {"light", "bright"}


def test_the_word_trie_knows_whole_words_and_their_capitalised_forms(sp_tables):
    sp, tables, _ = sp_tables
    lexicon = WordTrie(["silver", "moon"], sp.encode, tables)
    assert lexicon.is_word(tuple(sp.encode("silver"))) and lexicon.is_word(tuple(sp.encode("Moon")))
    assert not lexicon.is_word(tuple(sp.encode("silvery")))
    first = sp.encode("silver")[0]
    assert lexicon.next_mask(())[first] and not lexicon.next_mask(())[sp.encode("sea")[0]]


def test_bundled_suggestions_use_only_the_poets_words(verse_generator):
    assert verse_generator.lexicon is not None and len(verse_generator.vocabulary) > 10_000
    request = VerseRequest(("John Keats", "Walt Whitman"), ("Beneath the stars the silent city sleeps",), "quatrain",
                           "AABB", 10, 3, seed=11)
    for suggestions in verse_generator.generate(request).suggestions.values():
        for s in suggestions:
            assert set(words_of(s.text)) <= verse_generator.vocabulary, s.text


def test_a_partner_without_rhymes_is_said_and_the_poets_lack_of_a_rhyme_falls_back_to_cmudict(verse_generator):
    orange = verse_generator.generate(VerseRequest(("John Keats",), ("I ate a ripe and juicy orange",), "couplet",
                                                   "AABB", 8, 2, seed=1))
    assert any("'orange' has no rhyme in CMUdict" in note for note in orange.notes)
    assert all(s.meets_rhyme is None and s.syllables == 8 for s in orange.suggestions["John Keats"])
    cups = verse_generator.generate(VerseRequest(("John Keats",), ("The train goes by and shakes the empty cups",),
                                                 "couplet", "AABB", 10, 2, seed=1))
    assert any("rhyme comes from CMUdict" in note for note in cups.notes)
    assert all(s.meets_rhyme for s in cups.suggestions["John Keats"])


def test_any_length_with_a_rhyme_still_finds_rhyming_lines(verse_generator):
    result = verse_generator.generate(VerseRequest(("Emily Dickinson", "Robert Frost"),
                                                   ("The autumn wind is blowing through the trees",), "quatrain",
                                                   "AABB", None, 2, seed=5))
    for suggestions in result.suggestions.values():
        assert suggestions and all(s.meets_rhyme for s in suggestions), suggestions


def test_cmudict_loads_once_for_concurrent_first_lookups():
    """pronouncing's own lazy loader races: threads looking words up during the load found none (and the caches
    kept it). Fresh module state, 16 threads at once: every one finds the words."""
    import importlib
    import threading

    import pronouncing

    from generators import prosody

    pronouncing.pronunciations = pronouncing.lookup = pronouncing.rhyme_lookup = None
    prosody = importlib.reload(prosody)
    found, gate = [], threading.Barrier(16)

    def look():
        gate.wait()
        found.append(prosody.in_cmudict("river") and prosody.syllables("beneath") == 2)

    threads = [threading.Thread(target=look) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert found == [True] * 16
