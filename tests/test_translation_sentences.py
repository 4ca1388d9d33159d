"""Sentence splitting of long translation input, byte fallback, copy augmentation and the family-held-out dev set."""

import random

import pytest
import sentencepiece as spm
import torch

from generators import DecodingConfig, TranslationRequest, load
from generators.asides import fold_asides, split_asides
from generators.clauses import OPENINGS, OpeningWords, opening_constraint, split_clauses
from generators.sentences import Sentence, join_sentences, split_sentences
from training.byte_fallback import with_byte_fallback
from training.copy_augment import augment_pair, invented_name
from training.translation_devsets import check_pairs, content_stems, unseen_pairs

TEXT = "Dr. Okafor paid $3.50 for tea. Was it good?\n\nWe think so."


def test_split_keeps_abbreviations_and_prices_and_line_breaks():
    sentences = split_sentences(TEXT)
    assert [s.text for s in sentences] == ["Dr. Okafor paid $3.50 for tea.", "Was it good?", "We think so."]
    assert join_sentences(sentences, ["A.", "B ?", "C."]) == "A. B ?\n\nC."
    assert split_sentences("   ") == []
    quoted = split_sentences('They live in the U.S. now. I met J. Smith at 3 p.m. today! "Really?" she asked.')
    assert [s.text for s in quoted] == ["They live in the U.S. now.", "I met J. Smith at 3 p.m. today!",
                                        '"Really?" she asked.']
    # "p.m." and "etc." end a sentence before a word that opens sentences (the tab's example had been one sentence:
    # "… à 18 h 45, peut-être me prendre à la gare ?"), not before a name
    evening = split_sentences("I arrive at 6:45 p.m. Can you pick me up? We met at 9 a.m. Tom was late. Tea, etc. The end.")
    assert [s.text for s in evening] == ["I arrive at 6:45 p.m.", "Can you pick me up?", "We met at 9 a.m. Tom was late.",
                                         "Tea, etc.", "The end."]
    moved = split_sentences("I moved to the U.S. We lived in Boston. The U.K. Prime Minister came.")  # a dotted country
    assert [s.text for s in moved] == ["I moved to the U.S.", "We lived in Boston.", "The U.K. Prime Minister came."]
    months = split_sentences("We met on Nov. 12. It rained.")  # an abbreviated month does not end a sentence
    assert [s.text for s in months] == ["We met on Nov. 12.", "It rained."]
    emoji = split_sentences("Happy birthday! 🎉🎂\n👋 Hi. See you! 😊")  # no letter: part of the sentence before
    assert [s.text for s in emoji] == ["Happy birthday! 🎉🎂", "👋 Hi.", "See you! 😊"]


@pytest.fixture(scope="module")
def translator():
    return load("transformer-small-en-fr", task="translation")


def test_each_sentence_translated_alone_with_its_own_attention_block(translator):
    config = DecodingConfig(num_beams=4, max_new_tokens=64)
    whole = translator.generate(TranslationRequest(TEXT, config))
    assert len(whole.parts) == 3
    alone = [translator.generate(TranslationRequest(s.text, config)) for s in split_sentences(TEXT)]
    assert [p.text for p in whole.parts] == [a.text for a in alone]
    assert whole.text == join_sentences(split_sentences(TEXT), [a.text for a in alone])
    matrix = whole.decode.best.attention  # [T, L, H, S] block-diagonal
    assert matrix.shape[0] == len(whole.target_tokens) and matrix.shape[-1] == len(whole.source_tokens)
    row = column = 0
    for part in whole.parts:
        t, s = len(part.target_tokens), len(part.source_tokens)
        assert torch.allclose(matrix[row : row + t, ..., column : column + s], part.decode.best.attention)
        assert matrix[row : row + t, ..., column + s :].abs().sum() == 0
        row, column = row + t, column + s
    streamed = list(translator.stream(TranslationRequest(TEXT, config)))
    assert streamed[-1].done and streamed[-1].text == whole.text


LONG = ("The old town is small enough to be explored on foot, and most of its museums are free on the first Sunday "
        "of each month.")


def test_a_long_sentence_is_cut_at_its_clauses_and_joined_with_a_comma():
    clauses = split_clauses(Sentence(LONG, "\n"))
    assert [c.text for c in clauses] == ["The old town is small enough to be explored on foot",
                                         "and most of its museums are free on the first Sunday of each month."]
    assert [c.joiner for c in clauses] == [", ", "\n"] and [c.clause for c in clauses] == [True, False]
    assert join_sentences(clauses, ["La vieille ville est petite.", "Et ses musées sont gratuits."]) == \
        "La vieille ville est petite, et ses musées sont gratuits."
    named = [Sentence("a b c", ", ", clause=True), Sentence("and Mary comes", " ")]
    assert join_sentences(named, ["A.", "Mary vient."]) == "A, Mary vient."  # a name the clause has: as written
    assert join_sentences([Sentence("a b c", ", ", clause=True), Sentence("and the EU", " ")],
                          ["A b.", "UE ici."]) == "A b, UE ici."  # an acronym keeps its capitals
    short = Sentence("I was tired, and I went home.", " ")  # under 15 words: what the models learned from
    assert split_clauses(short) == [short]
    tail = Sentence("We visited the museum, the park and the old harbour on our first day, and so on.", " ")
    assert split_clauses(tail) == [tail]  # "and so on." is no clause of its own
    several = split_clauses(Sentence("The fire started in the kitchen, but the firefighters came quickly, which "
                                     "saved the rest of the building.", " "))
    assert [c.text for c in several] == ["The fire started in the kitchen", "but the firefighters came quickly",
                                         "which saved the rest of the building."]
    participle = split_clauses(Sentence("The volcano erupted early on Wednesday, sending a cloud of ash several "
                                        "kilometres into the sky.", " "))  # "…, à l'envoyer un clou …"
    assert [c.text for c in participle] == ["The volcano erupted early on Wednesday",
                                            "sending a cloud of ash several kilometres into the sky."]
    pronoun = Sentence("We looked for the keys in every room of the house, everything was in its usual place.", " ")
    assert split_clauses(pronoun) == [pronoun]  # "everything" opens no participle clause


def test_a_long_sentence_is_translated_clause_by_clause_each_with_its_heatmap(translator):
    config = DecodingConfig(num_beams=4, max_new_tokens=64)
    cut = translator.generate(TranslationRequest(LONG, config))
    assert [p.source for p in cut.parts] == [c.text for c in split_clauses(Sentence(LONG, ""))]
    assert cut.text.count(",") >= 1 and cut.text.count(".") == 1 and cut.text.endswith(".")
    assert cut.decode.best.attention.shape[-1] == len(cut.source_tokens)
    whole = translator.generate(TranslationRequest(LONG, config, clauses=False))
    assert whole.parts == [] and whole.source_tokens.count("</s>") == 1 < cut.source_tokens.count("</s>")


def test_words_in_parentheses_are_a_part_of_their_own_put_back_at_the_end_in_parentheses():
    """"Tom (who is my brother) lives here." had come out "Tom est à l'hotiteur de mon frère à côté d'ici."."""
    parts = split_asides(Sentence("Tom (who is my brother) lives here (now).", " "))
    assert [(p.text, p.aside, p.joiner) for p in parts] == [("Tom lives here.", "", " "),
                                                             ("who is my brother", "end", ""), ("now", "end", "")]
    sentences, texts = fold_asides(parts, ["Tom vit ici.", "Qui est mon frère ?", "Maintenant."])
    assert join_sentences(sentences, texts) == "Tom vit ici (qui est mon frère) (maintenant)."
    assert fold_asides([Sentence("See the WHO", "", aside="end")], ["Voir l'OMS"])[1] == ["Voir l'OMS"]  # nothing before
    for whole in ("Yes (really).", "(Note) This is it.", "It is (UTC+2) late."):  # too short; opening; a code
        assert split_asides(Sentence(whole, "")) == [Sentence(whole, "")], whole


def test_a_clause_between_commas_after_the_subject_is_read_as_a_sentence_and_put_back_after_the_subject():
    """"The factory, which employs …, will close …" had come out "L'usine, quels emplois environ …, ferment …"."""
    parts = split_asides(Sentence("The factory, which employs about five hundred people, will close in May.", " "))
    assert [(p.text, p.aside) for p in parts] == [
        ("The factory", "subject"), ("The factory employs about five hundred people", "relative"),
        ("The factory will close in May.", "")]
    texts = ["L'usine.", "L'usine emploie environ cinq cents personnes.", "L'usine fermera en mai."]
    assert join_sentences(*fold_asides(parts, texts)) == \
        "L'usine, qui emploie environ cinq cents personnes, fermera en mai."
    treaty = split_asides(Sentence("The treaty, signed by twelve countries, aims to protect fish.", ""))
    assert [(p.text, p.aside) for p in treaty][1] == ("The treaty was signed by twelve countries", "participle")
    texts = ["Le traité.", "Le traité a été signé par douze pays.", "Le pacte vise à protéger les poissons."]
    assert join_sentences(*fold_asides(treaty, texts)) == \
        "Le pacte, signé par douze pays, vise à protéger les poissons."  # no "Le traité" in it: after two words
    walls = split_asides(Sentence("The old city walls, built in 1350, can still be seen.", ""))
    assert [(p.text, p.aside) for p in walls][1] == ("The old city walls were built in 1350", "participle")
    texts = ["Le vieux mur de la ville.", "Les murs de vieilles villes ont été construits en 1350.",
             "Les vieux murs peuvent encore être vus."]  # the subject found by its words in any number or gender
    assert join_sentences(*fold_asides(walls, texts)) == \
        "Les vieux murs, construits en 1350, peuvent encore être vus."  # by the count: "Les vieux murs peuvent, …"
    lopez = split_asides(Sentence("Dr. Maria Lopez, a professor at Yale, led the study.", ""))
    assert [(p.text, p.aside) for p in lopez][1] == ("Dr. Maria Lopez is a professor at Yale", "apposition")
    quake = split_asides(Sentence("The quake, which measured 6.3 at 4:15 a.m., struck at 4:20 a.m. near the coast.", ""))
    assert [p.text for p in quake][1:] == ["The quake measured 6.3 at 4:15 a.m.",  # a clock time's colon is no mark
                                           "The quake struck at 4:20 a.m. near the coast."]
    town = split_asides(Sentence("The old town, with its narrow streets, is a World Heritage Site.", ""))
    assert [(p.text, p.aside) for p in town][1] == ("with its narrow streets", "inserted")
    for whole in ("The city is famous for its markets, where visitors can buy fruit, spices and clothes.",
                  "In the end, after all we did, nothing changed.", "Tom got out of the bath, dried himself off, and left.",
                  "The cathedral, whose construction began in 1150, was damaged."):
        assert split_asides(Sentence(whole, "")) == [Sentence(whole, "")], whole


def test_an_aside_is_translated_with_its_own_heatmap(translator):
    config = DecodingConfig(num_beams=4, max_new_tokens=64)
    result = translator.generate(TranslationRequest("The castle (now a museum) is open every day.", config))
    assert [p.source for p in result.parts] == ["The castle is open every day.", "now a museum"]
    assert result.text.startswith("Le château") and result.text.endswith(").") and "musée" in result.text
    assert result.decode.best.attention.shape[-1] == len(result.source_tokens)
    factory = translator.generate(TranslationRequest(
        "The factory, which employs about five hundred people, will close at the end of the month.", config))
    assert factory.text.startswith("L'usine, qui ") and len(factory.parts) == 3


def test_a_clause_opening_constraint_allows_only_its_words_then_lets_go():
    def word_starts(vocab_size):  # subwords 0-7 start a word, 8 and 9 go on one ("et" + "d" -> "etd")
        return torch.arange(vocab_size) < 8

    opening = OpeningWords([[5, 6], [7]], word_starts)  # two opening words: ids 5 then 6, or 7
    assert opening.allowed(torch.zeros(2, 0, dtype=torch.long), 10)[0].nonzero().flatten().tolist() == [5, 7]
    after = opening.allowed(torch.tensor([[5], [7]]), 10)  # [B, V]: row 0 must go on with 6, row 1 with a new word
    assert after[0].nonzero().flatten().tolist() == [6] and after[1].tolist() == word_starts(10).tolist()
    later = opening.allowed(torch.tensor([[5, 6], [7, 1]]), 10)
    assert later[0].tolist() == word_starts(10).tolist() and later[1].all()  # row 1 is past its word: free
    assert opening.allowed(torch.tensor([[5, 6, 1]]), 10) is None  # past the longest word and the next: free
    barred = OpeningWords([[5, 6], [7]], word_starts, not_next=[[4, 2]])  # and no word starting with 4 after it
    assert barred.allowed(torch.tensor([[7]]), 10)[0].nonzero().flatten().tolist() == [0, 1, 2, 3, 5, 6, 7]
    elided = OpeningWords([[5, 6]], word_starts, not_next=[[4]], elided={6})  # "qu'" + "il": anything may follow
    assert elided.allowed(torch.tensor([[5, 6]]), 10).all()
    so = opening_constraint("so we missed the train", lambda word: [len(word)], word_starts)
    assert so.words == [[5], [5], [4], [4], [2], [2]] and so.not_next == [3]  # alors, donc, si; not que, qu'
    when = opening_constraint("when we left", lambda word: [len(word), 99 if word.endswith("'") else 98],
                              word_starts)
    assert when.elided == {99}  # "lorsqu'"
    assert opening_constraint("as we said", lambda word: [1], word_starts) is None  # "as": left to the model
    gerund = opening_constraint("sending a cloud of ash", lambda word: [len(word)], word_starts)
    assert gerund.words == [[2], [2]]  # "en", "En": "en envoyant un nuage …"
    assert opening_constraint("according to the police", lambda word: [len(word)], word_starts).words == \
        [[5], [5], [7], [7]]  # "selon", "d'après"


@pytest.mark.parametrize("name", ["transformer-small-en-fr", "ensemble-en-fr"])
def test_each_clause_opens_with_a_french_word_for_its_english_one(name):
    generator = load(name, task="translation")
    sentence = ("My brother moved to Canada last year, and he says that the winters there are much colder than he "
                "expected.")
    result = generator.generate(TranslationRequest(sentence))
    assert len(result.parts) == 2
    second = result.parts[1].text
    assert second.split()[0].lower() in OPENINGS["and"]
    assert not second.split()[1].startswith("qu")  # not "et qu'il dit que …"
    assert ", " + second[0].lower() + second[1:].rstrip(".") in result.text  # joined with a comma, in lower case
    assert result.text.count(".") == 1


def test_a_participle_clause_is_translated_as_a_french_gerund():
    generator = load("ensemble-en-fr", task="translation")
    result = generator.generate(TranslationRequest("The workers have been on strike for three weeks, demanding "
                                                   "higher wages and better working conditions."))
    assert len(result.parts) == 2 and result.parts[1].text.lower().startswith("en ")  # "exige de plus élevés …" before
    assert "conditions de travail" in result.text


def test_one_sentence_has_no_parts(translator):
    result = translator.generate(TranslationRequest("I like tea.", DecodingConfig(num_beams=2)))
    assert result.parts == [] and result.text


def test_byte_fallback_spells_an_unknown_name_and_keeps_old_ids(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text("I like tea.\nWe like coffee.\nThe cat likes milk.\nJ'aime le thé.\nLe chat aime le lait.\n" * 20,
                    encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(tmp_path / "m"), vocab_size=40,
                                   hard_vocab_limit=False, character_coverage=1.0, minloglevel=2)
    path = tmp_path / "m.model"
    old = spm.SentencePieceProcessor(model_file=str(path))
    new = spm.SentencePieceProcessor(model_proto=with_byte_fallback(path.read_bytes()))
    name = "Zofia from Łódź met 東京"
    assert old.unk_id() in old.encode(name)
    ids = new.encode(name)
    assert new.unk_id() not in ids and new.decode(ids) == name
    assert new.get_piece_size() == old.get_piece_size() + 256
    assert new.encode("I like tea.") == old.encode("I like tea.")
    again = spm.SentencePieceProcessor(model_proto=with_byte_fallback(new.serialized_model_proto()))
    assert again.get_piece_size() == new.get_piece_size()  # already spelling bytes: unchanged


def test_both_bundled_translators_spell_any_character():
    for model in ("rnn-attention-en-fr", "transformer-small-en-fr"):
        step_model = load(model, task="translation").step_model
        tokens = step_model.token_strings(step_model.encode("Zofia from Łódź met 東京"))
        assert "<unk>" not in tokens, (model, tokens)


def test_copy_augmentation_swaps_names_and_numbers_on_both_sides():
    rng = random.Random(3)
    english, french = augment_pair("Tom bought 12 apples in Boston.", "Tom a acheté 12 pommes à Boston.", rng)
    assert "Tom" not in english and "Boston" not in english and "12" not in english
    for word in english.rstrip(".").split():
        if word[0].isupper() or word.isdigit():
            assert word in french
    assert augment_pair("I like tea.", "J'aime le thé.", rng) == ("I like tea.", "J'aime le thé.")
    assert all(invented_name(random.Random(i))[0].isupper() for i in range(50))


def test_dev_pairs_with_a_near_duplicate_in_training_are_left_out():
    assert content_stems("We met Tom yesterday.") == content_stems("We met Mary yesterday!")
    train = [("Tom is happy.", "Tom est heureux."), ("I play football every day.", "Je joue au foot chaque jour.")]
    dev = [("Tom was happy.", "Tom était heureux."), ("The bridge collapsed last night.", "Le pont s'est effondré."),
           ("I played football every day.", "Je jouais au foot chaque jour.")]
    assert unseen_pairs(train, dev) == [dev[1]]
    check = check_pairs(dev, [dev[1]], seed=1)
    assert sorted(check) == sorted([dev[0], dev[2]])  # every other dev pair, none of the unseen ones
    assert check_pairs(dev, [dev[1]], seed=1) == check  # the same order for the same seed
