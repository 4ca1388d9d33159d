"""The verse constraint and end-word planning over a byte-level BPE tokenizer (a tiny random Llama with its own
tokenizer), the meter on hand-made cases, and the form rules every shown line keeps (no dangling end word)."""

from __future__ import annotations

import pytest
import torch
from tiny_models import RandomScores, tiny_llama, verse_tokenizer

from generators.decoding import DecodingConfig, generate
from generators.meter import fits_meter, line_fits_meter, stress_patterns
from generators.models.hf_causal import HFCausalStepModel
from generators.models.poet_lora import PoetLoRAStepModel
from generators.models.token_pieces import vocabulary_pieces
from generators.prosody import dangles, doubled_word, last_word, line_syllables, rhymes, words_of
from generators.verse import VerseGenerator, VerseRequest
from generators.verse_constraint import EndTrie, PieceTables, RhymeTrie, VerseConstraint, WordTrie
from generators.verse_planning import draw_end_words, score_end_words

LEXICON = ["the", "a", "light", "night", "bright", "white", "sea", "me", "free", "tree", "lantern", "silver", "moon",
           "river", "and", "over", "garden", "listens", "to", "is", "bell", "stone", "bird", "day", "away", "low"]
POETS = ["John Keats", "Emily Dickinson"]


@pytest.fixture(scope="module")
def poet():
    """A planned poet over a tiny random Llama and its byte-level BPE tokenizer."""
    tokenizer = verse_tokenizer()
    model = tiny_llama(len(tokenizer), tokenizer.convert_tokens_to_ids("<|endoftext|>"), seed=3)
    return PoetLoRAStepModel(HFCausalStepModel(model, tokenizer), POETS, LEXICON)


def test_byte_level_pieces_mark_word_starts_and_drop_unusable_tokens(poet):
    tokenizer = poet.tokenizer
    pieces, unusable = vocabulary_pieces(tokenizer, len(tokenizer))
    light = tokenizer(" light", add_special_tokens=False)["input_ids"]
    assert pieces[light[0]].startswith("▁") and "Ġ" not in "".join(pieces)
    newline = tokenizer("\n", add_special_tokens=False)["input_ids"][0]
    assert poet.eos_token_id == newline and newline not in poet.suppressed_token_ids
    fire = tokenizer("🔥", add_special_tokens=False)["input_ids"]
    assert len(fire) > 1 and all(i in unusable for i in fire)  # each holds part of the emoji's bytes
    assert all(i in unusable for i in tokenizer.all_special_ids)


def random_scores(poet) -> RandomScores:
    """Random log-probabilities over the tiny poet's vocabulary."""
    return RandomScores(poet.vocab_size, poet.eos_token_id, poet.tokenizer.decode)


@pytest.mark.parametrize("target,partner", [(6, None), (5, "night"), (7, "sea")])
def test_the_constraint_over_byte_level_bpe_keeps_syllables_rhyme_and_lexicon(poet, target, partner):
    tables = PieceTables(poet.pieces, poet.eos_token_id, poet.suppressed_token_ids)
    lexicon = WordTrie(LEXICON, poet.encode_word, tables)
    trie = RhymeTrie(partner, poet.encode_word, vocabulary=set(LEXICON)) if partner else None
    constraint = VerseConstraint(tables, target, trie, lexicon)
    config = DecodingConfig(max_new_tokens=40, do_sample=True, num_return_sequences=24, seed=target)
    result = generate(random_scores(poet), [poet.eos_token_id], config, constraint=constraint)
    finished = [h for h in result.hypotheses if h.finish_reason == "eos"]
    assert finished, "random scores under the constraint should still finish some lines"
    for h in result.hypotheses:
        assert line_syllables(h.text) <= target
    for h in finished:
        assert line_syllables(h.text) == target, h.text
        assert set(words_of(h.text)) <= set(LEXICON), h.text
        assert not dangles(h.text) and not doubled_word(h.text), h.text
        assert "  " not in h.text and "\n" not in h.text.strip()
        if partner:
            assert rhymes(last_word(h.text), partner), h.text


def test_a_planned_end_word_is_the_only_end(poet):
    tables = PieceTables(poet.pieces, poet.eos_token_id, poet.suppressed_token_ids)
    constraint = VerseConstraint(tables, 6, EndTrie(["garden"], poet.encode_word), WordTrie(LEXICON, poet.encode_word,
                                                                                           tables))
    config = DecodingConfig(max_new_tokens=40, do_sample=True, num_return_sequences=24, seed=1)
    finished = [h for h in generate(random_scores(poet), [poet.eos_token_id], config, constraint=constraint).hypotheses
                if h.finish_reason == "eos"]
    assert finished and all(last_word(h.text) == "garden" and line_syllables(h.text) == 6 for h in finished)


def test_end_word_planning_never_leaves_the_candidates(poet):
    generator = VerseGenerator(poet, "tiny-poet")
    rhymes_of_night = [w for w in LEXICON if rhymes(w, "night")]
    context = poet.planned_context("John Keats", ["The lantern sways above the town at night"], 6, None, 40,
                                   close=False)
    [scored], _ = score_end_words(poet, [context], [rhymes_of_night], generator._plan_tokens(rhymes_of_night),
                                  shortlist=2)
    assert {w for w, _ in scored} <= set(rhymes_of_night) and len(scored) == 2
    assert [s for _, s in scored] == sorted((s for _, s in scored), reverse=True)
    for seed in range(20):
        drawn = draw_end_words(scored, 3, seed=seed)
        assert len(drawn) == len(set(drawn)) == 2 and set(drawn) <= set(rhymes_of_night)


def test_the_whole_score_of_an_end_word_is_its_tokens_and_the_closing_bracket(poet):
    """score_end_words (cached, one step per token for all candidates) equals teacher forcing each candidate."""
    generator = VerseGenerator(poet, "tiny-poet")
    words = ["light", "silver", "garden", "away"]
    context = poet.planned_context("Emily Dickinson", ["I saw a boat upon the sea"], 8, None, 40, close=False)
    encoded = generator._plan_tokens(words)
    [scored], _ = score_end_words(poet, [context], [words], encoded, shortlist=4)
    scored = dict(scored)
    for word in words:
        ids = torch.tensor([context + encoded[word]])
        logprobs = poet.sequence_logprobs(ids)  # [W, V]
        expected = sum(float(logprobs[len(context) - 1 + k, t]) for k, t in enumerate(encoded[word]))
        assert scored[word] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("meter", [None, "iambic"])
def test_every_suggestion_of_a_planned_poet_meets_the_form(poet, meter):
    generator = VerseGenerator(poet, "tiny-poet")
    request = VerseRequest(tuple(POETS), ("The lantern sways above the silver light",), "quatrain", "AABB", 6, 2,
                           seed=2, meter=meter)
    result = generator.generate(request)
    assert set(result.suggestions) == set(POETS)
    assert sum(len(found) for found in result.suggestions.values()) >= 2, result.notes
    for poet_name, found in result.suggestions.items():
        if len(found) < 2:
            assert any(note.startswith(f"{poet_name}: ") and "found this time" in note for note in result.notes)
        for s in found:
            assert s.syllables == 6 and s.meets_syllables and s.meets_rhyme, s
            assert rhymes(last_word(s.text), "light") and set(words_of(s.text)) <= set(LEXICON)
            assert s.meets_meter is (True if meter else None)
            assert s.rhyme_letters.startswith("-") and ", as in " in s.rhyme_letters


@pytest.mark.parametrize("word,start,fits", [
    ("garden", 1, True), ("garden", 0, False),  # GAR-den: its stress must fall on a beat (odd position)
    ("above", 0, True), ("above", 1, False),  # a-BOVE
    ("the", 0, True), ("night", 4, True),  # monosyllables fit anywhere
    ("beautiful", 1, True), ("beautiful", 2, False),
    ("zorblan", 1, True), ("zorblan", 2, False),  # not in CMUdict: stressed on its first syllable
])
def test_iambic_meter_on_hand_made_cases(word, start, fits):
    assert fits_meter(word, start, "iambic") is fits


def test_meter_of_whole_lines_and_stress_patterns():
    assert stress_patterns("garden") == ("10",)
    assert line_fits_meter("Shall I compare thee to a summer's day")
    assert line_fits_meter("The garden sleeps beneath the quiet moon")
    assert not line_fits_meter("Garden of roses under the moon")
    with pytest.raises(ValueError, match="meter"):
        fits_meter("garden", 1, "trochaic")


@pytest.mark.parametrize("line,dangling,doubled", [
    ("and in the thousands, gown,", True, False), ("I saw my heart. Thus to him, and I, toad", True, False),
    ("The sun goes down upon the quiet town", False, False), ("O, the the sea", False, True),
    ("Where is the light? Gone.", True, False), ("The night, the stars, the quiet hill.", False, False),
])
def test_dangling_and_doubled_words(line, dangling, doubled):
    assert dangles(line) is dangling and doubled_word(line) is doubled


def test_a_bad_meter_is_refused_with_a_clear_message():
    from generators.errors import InputError

    with pytest.raises(InputError, match="meter"):
        VerseRequest(("John Keats",), ("I walked alone beside the sea",), meter="dactylic hexameter")


@pytest.mark.parametrize("precision,tolerance", [("float32", 2e-4), ("int8", 1e-2)])
def test_prompts_started_from_cached_prefixes_decode_as_prompts_started_from_scratch(tiny_llama_dir, precision,
                                                                                     tolerance):
    """The lean decoder's start_batch_from (copied prefix rows + a few fed tokens, left-padded) gives the same
    next-token scores as start_batch over the whole prompts, and so does the wrapper the Verse tab uses (exactly in
    float32; in int8 the fed tokens take the decode kernel, with bfloat16 activations, not the prompt's float32)."""
    from generators.models.llama_decoder import LeanLlamaStepModel
    from generators.models.prefix_cache import CachedPrompts, PrefixCachedStepModel
    from generators.registry import load_step_model

    reference, _ = load_step_model(str(tiny_llama_dir))
    lean = LeanLlamaStepModel(reference.model, reference.tokenizer, precision)
    prefixes = [lean.encode("The rain on the roof"), lean.encode("A cat")]
    state, ids = lean.start_batch(prefixes)
    _, state, _ = lean.step(state, torch.tensor([c[-1] for c in ids]))  # every prefix token now cached
    tails = [lean.encode(" is kind"), lean.encode(" sleeps by the door, and"), lean.encode("!")]
    prompts = [prefixes[0] + tails[0], prefixes[1] + tails[1], prefixes[0] + tails[2]]
    fresh_state, fresh_ids = lean.start_batch(prompts)
    fresh, *_ = lean.step(fresh_state, torch.tensor([c[-1] for c in fresh_ids]))
    wrapped = PrefixCachedStepModel(lean, CachedPrompts(state, ids))
    cached_state, cached_ids = wrapped.start_batch(prompts)
    assert cached_ids == fresh_ids
    cached, *_ = lean.step(cached_state, torch.tensor([c[-1] for c in cached_ids]))
    torch.testing.assert_close(cached, fresh, atol=tolerance, rtol=1e-4)
    # and on through a few steps, with a reorder in between
    index = torch.tensor([2, 0, 1])
    fresh_state, cached_state = lean.reorder(fresh_state, index), lean.reorder(cached_state, index)
    for token in lean.encode(" over and over"):
        fresh, fresh_state, _ = lean.step(fresh_state, torch.full((3,), token))
        cached, cached_state, _ = lean.step(cached_state, torch.full((3,), token))
        torch.testing.assert_close(cached, fresh, atol=tolerance, rtol=1e-4)


def test_a_planned_line_never_writes_a_word_of_a_poets_name():
    """The muses' names are in this lexicon ("keats", "emily", ...), as they are in the poets' own words; guidance
    towards a poet leans on them, so a planned line may not write them (an ordinary word like "frost" stays)."""
    tokenizer = verse_tokenizer()
    model = tiny_llama(len(tokenizer), tokenizer.convert_tokens_to_ids("<|endoftext|>"), seed=3)
    names = ["john", "keats", "emily", "dickinson"]
    named = PoetLoRAStepModel(HFCausalStepModel(model, tokenizer), POETS, [*LEXICON, *names, "frost"])
    generator = VerseGenerator(named, "tiny-poet")
    assert set(names) <= generator.name_words and "frost" not in generator.name_words
    request = VerseRequest(tuple(POETS), ("The lantern sways above the silver light",), "quatrain", "AABB", 6, 4,
                           seed=5)
    shown = [s for found in generator.generate(request).suggestions.values() for s in found]
    assert len(shown) >= 4
    for s in shown:
        assert s.meets_syllables and s.meets_rhyme and not set(words_of(s.text.lower())) & set(names), s.text
    trie = generator.lexicon.without_words(names)
    assert all(not trie.is_word(tuple(named.encode_word(form))) for w in names for form in (w, w.title()))
    kept = [tuple(named.encode_word(form)) for w in [*LEXICON, "frost"] for form in (w, w.title())]
    assert [trie.is_word(ids) for ids in kept] == [generator.lexicon.is_word(ids) for ids in kept]
    assert trie.is_word(tuple(named.encode_word("frost")))
