"""Lexicon augmentation: an anchor noun swapped, in both sentences, for a new noun of the same kind."""

import random

import pytest

from training import translation_marian, translation_rnn
from training.lexicon_augment import DEFAULT_LEXICON, Lexicon, Noun, lexicon_pairs, swap_noun

LEXICON_DIR = DEFAULT_LEXICON.parent

LEXICON_LINES = [
    "# English\tFrench\tgender\tnumber\trole",
    "tent\ttente\tf\tsg\tnew",
    "harbor\tport\tm\tsg\tnew",
    "hut\tcabane\tf\tsg\tnew",
    "house\tmaison\tf\tsg\tanchor",
    "garden\tjardin\tm\tsg\tanchor",
    "idea\tidée\tf\tsg\tanchor",  # no new noun of its kind ("une idée" / "l'idée", "an idea"): never swapped
]


def _lexicon(tmp_path) -> Lexicon:
    path = tmp_path / "nouns.tsv"
    path.write_text("\n".join(LEXICON_LINES) + "\n", encoding="utf-8")
    return Lexicon.read(path)


def test_the_bundled_lexicon_has_anchors_for_every_kind_it_teaches():
    lexicon = Lexicon.read()
    assert sum(len(nouns) for nouns in lexicon.new.values()) >= 60
    taught = {kind for kind, nouns in lexicon.new.items() if nouns}
    assert taught == {anchor.kind for anchor in lexicon.anchors}
    assert Noun("residents", "habitants", "m", "pl") in lexicon.new[Noun("students", "étudiants", "m", "pl").kind]


def test_a_second_file_adds_nouns_that_swap_for_the_first_files_anchors(tmp_path):
    first, second = tmp_path / "nouns.tsv", tmp_path / "more.tsv"
    first.write_text("\n".join(LEXICON_LINES) + "\n", encoding="utf-8")
    second.write_text("# more\nferry\tferry\tm\tsg\tnew\nisland\tîle\tf\tsg\tnew\n", encoding="utf-8")
    lexicon = Lexicon.read(first, second)
    garden = Noun("garden", "jardin", "m", "sg")
    assert [noun.english for noun in lexicon.new[garden.kind]] == ["harbor", "ferry"]
    assert [noun.english for noun in lexicon.anchors] == ["house", "garden", "idea"]  # "an island" / "l'île"
    assert swap_noun("I have an idea.", "J'ai une idée.", lexicon, random.Random(0)) == \
        ("I have an island.", "J'ai une île.")
    bundled = Lexicon.read(LEXICON_DIR / "news_nouns.tsv", LEXICON_DIR / "news_nouns_more.tsv")
    assert sum(len(nouns) for nouns in bundled.new.values()) >= 180
    assert {kind for kind, nouns in bundled.new.items() if nouns} == {anchor.kind for anchor in bundled.anchors}


def test_a_swap_keeps_gender_number_elision_and_capitals(tmp_path):
    lexicon = _lexicon(tmp_path)
    assert [noun.english for noun in lexicon.anchors] == ["house", "garden"]
    swaps = {swap_noun("The house is near the river.", "La maison est près du fleuve.", lexicon, random.Random(s))
             for s in range(20)}
    assert swaps == {("The tent is near the river.", "La tente est près du fleuve."),
                     ("The hut is near the river.", "La cabane est près du fleuve.")}
    assert swap_noun("Garden parties are fun.", "Les fêtes au jardin sont amusantes.", lexicon,
                     random.Random(0)) == ("Harbor parties are fun.", "Les fêtes au port sont amusantes.")
    assert swap_noun("I have an idea.", "J'ai une idée.", lexicon, random.Random(0)) is None
    assert swap_noun("My house, your house.", "Ma maison, ta maison.", lexicon, random.Random(0)) is None
    assert swap_noun("The household is big.", "Le foyer est grand.", lexicon, random.Random(0)) is None


def test_a_share_of_the_pairs_with_an_anchor_is_swapped(tmp_path):
    lexicon = _lexicon(tmp_path)
    pairs = [("The house is big.", "La maison est grande."), ("It is cold.", "Il fait froid.")] * 50
    swapped = lexicon_pairs(pairs, lexicon, random.Random(3), 0.5)
    changed = [new for new, old in zip(swapped, pairs) if new != old]
    assert 10 < len(changed) < 40 and all(english.split()[1] in ("tent", "hut") for english, _ in changed)
    assert lexicon_pairs(pairs, lexicon, random.Random(3), 0.0) == pairs


TRAINERS = {
    "transformer": (translation_marian, ["--eval-every", "1000", "--warmup", "5", "--d-model", "32", "--layers", "1",
                                         "--heads", "2", "--ffn", "64"]),
    "rnn": (translation_rnn, ["--n-embd", "16", "--n-hidden", "32", "--n-attn", "16", "--patience", "9"]),
}


@pytest.mark.parametrize("trainer", sorted(TRAINERS))
def test_both_trainers_read_the_swapped_pairs(tmp_path, monkeypatch, trainer):
    module, options = TRAINERS[trainer]
    data = tmp_path / "pairs.tsv"
    data.write_text("The house is big.\tLa maison est grande.\nThe garden is small.\tLe jardin est petit.\n" * 20,
                    encoding="utf-8")
    (tmp_path / "nouns.tsv").write_text("\n".join(LEXICON_LINES) + "\n", encoding="utf-8")
    seen = []
    encode = module.encode_pairs
    monkeypatch.setattr(module, "encode_pairs", lambda tok, pairs, n: seen.append(pairs) or encode(tok, pairs, n))
    module.main(["--train", str(data), "--dev", str(data), "--tokens-per-batch", "300", "--dev-bleu-limit", "2",
                 "--threads", "1", "--vocab-size", "30", "--out", str(tmp_path / "out"), "--epochs", "1",
                 "--lexicon-augment", "1.0", "--lexicon", str(tmp_path / "nouns.tsv"),
                 "--checkpoint-dir", str(tmp_path / "c"), *options])
    trained = seen[-1]
    assert len(trained) == 40
    assert {fr for _, fr in trained} == {"La tente est grande.", "La cabane est grande.", "Le port est petit."}
