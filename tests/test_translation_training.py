"""A training smoke test of the RNN translation model on hand-written pairs: the loss falls, the model loads."""

import json

import pytest
import torch

from generators import TranslationRequest, load

PAIRS = [
    ("The cat sleeps.", "Le chat dort."), ("The dog sleeps.", "Le chien dort."),
    ("The cat eats.", "Le chat mange."), ("The dog eats.", "Le chien mange."),
    ("I am tired.", "Je suis fatigué."), ("I am happy.", "Je suis heureux."),
    ("We are tired.", "Nous sommes fatigués."), ("We are happy.", "Nous sommes heureux."),
    ("The house is big.", "La maison est grande."), ("The house is small.", "La maison est petite."),
    ("The car is big.", "La voiture est grande."), ("The car is small.", "La voiture est petite."),
    ("I see the cat.", "Je vois le chat."), ("I see the dog.", "Je vois le chien."),
    ("We see the house.", "Nous voyons la maison."), ("We see the car.", "Nous voyons la voiture."),
    ("It is raining.", "Il pleut."), ("It is cold.", "Il fait froid."), ("It is hot.", "Il fait chaud."),
    ("Thank you.", "Merci."), ("Good night.", "Bonne nuit."), ("Good morning.", "Bonjour."),
    ("Where is the cat?", "Où est le chat ?"), ("Where is the dog?", "Où est le chien ?"),
]

TINY_RNN = ["--vocab-size", "90", "--n-embd", "32", "--n-hidden", "64", "--n-attn", "32"]


def _pairs_file(tmp_path):
    """The hand-written pairs (4 times over) as a training file."""
    data = tmp_path / "pairs.tsv"
    data.write_text("\n".join(f"{en}\t{fr}" for en, fr in PAIRS * 4) + "\n", encoding="utf-8")
    return data


def _rnn_run(tmp_path):
    """The pairs file, and the options the RNN runs below share (train and dev on that file)."""
    data = _pairs_file(tmp_path)
    return data, ["--train", str(data), "--dev", str(data), "--tokens-per-batch", "300", "--dev-bleu-limit", "4",
                  "--threads", "1", "--patience", "99", "--dropout", "0"]


def test_loss_falls_and_the_model_translates(tmp_path):
    from training import translation_rnn

    data = _pairs_file(tmp_path)
    out = tmp_path / "model"
    translation_rnn.main([
        "--train", str(data), "--dev", str(data), "--out", str(out), "--epochs", "6", "--vocab-size", "90",
        "--n-embd", "32", "--n-hidden", "64", "--n-attn", "32", "--dropout", "0", "--tokens-per-batch", "300",
        "--lr", "0.01", "--dev-bleu-limit", "8", "--checkpoint-dir", str(tmp_path / "checkpoints"), "--threads", "1",
        "--patience", "99",
    ])
    history = json.loads((out / "training.json").read_text())["history"]
    losses = [epoch["train_loss"] for epoch in history]
    assert losses[-1] < losses[0] * 0.7, losses
    generator = load(str(out), task="translation")
    result = generator.generate(TranslationRequest("The cat sleeps."))
    assert result.text.strip()
    assert result.attention().shape == (len(result.target_tokens), len(result.source_tokens))


def test_small_transformer_training_loss_falls_and_the_model_loads_with_layers_and_heads(tmp_path):
    from training import translation_marian

    data = _pairs_file(tmp_path)
    out = tmp_path / "model"
    translation_marian.main([
        "--train", str(data), "--dev", str(data), "--out", str(out), "--epochs", "12", "--vocab-size", "90",
        "--d-model", "32", "--layers", "2", "--heads", "2", "--ffn", "64", "--dropout", "0",
        "--tokens-per-batch", "300", "--lr", "0.005", "--warmup", "5", "--eval-every", "1000",
        "--dev-bleu-limit", "8", "--checkpoint-dir", str(tmp_path / "checkpoints"), "--threads", "1",
    ])
    history = json.loads((out / "training.json").read_text())["history"]
    losses = [epoch["train_loss"] for epoch in history]
    assert len(losses) == 12 and losses[-1] < losses[0] * 0.75, losses
    generator = load(str(out), task="translation")
    assert generator.attention_layout == (2, 2)
    result = generator.generate(TranslationRequest("The cat sleeps."))
    assert result.decode.best.attention.shape[1:3] == (2, 2)  # [T, layers, heads, S]
    assert result.attention(layer=1, head=0).shape == (len(result.target_tokens), len(result.source_tokens))

    from training import average_checkpoints

    averaged = tmp_path / "averaged"
    average_checkpoints.main(["--model", str(out), "--checkpoints", str(tmp_path / "checkpoints" / "last.safetensors"),
                              "--out", str(averaged)])
    mean = load(str(averaged), task="translation").generate(TranslationRequest("The cat sleeps."))
    assert mean.text.strip() and mean.attention().shape == (len(mean.target_tokens), len(mean.source_tokens))

    from safetensors.torch import load_file

    last = tmp_path / "last"  # one checkpoint exported as it is: its weights, the folder's tokenizer
    average_checkpoints.main(["--model", str(out), "--checkpoints", str(tmp_path / "checkpoints" / "last.safetensors"),
                              "--checkpoints-only", "--out", str(last)])
    exported, saved = load_file(str(last / "model.safetensors")), load_file(str(tmp_path / "checkpoints" / "last.safetensors"))
    name = "model.encoder.layers.0.fc1.weight"
    assert torch.equal(exported[name], saved[name].half()) and not torch.equal(exported[name], load_file(str(averaged / "model.safetensors"))[name])
    assert load(str(last), task="translation").generate(TranslationRequest("The cat sleeps.")).text.strip()


def test_rnn_continued_with_byte_pieces_and_copy_augmentation_spells_an_unknown_name(tmp_path):
    from training import translation_rnn

    _, common = _rnn_run(tmp_path)
    base = tmp_path / "base"
    translation_rnn.main([*common, "--out", str(base), "--epochs", "1", *TINY_RNN, "--checkpoint-dir", str(tmp_path / "c1")])
    grown = tmp_path / "grown"
    translation_rnn.main([*common, "--out", str(grown), "--epochs", "2", "--init-from", str(base), "--byte-fallback",
                          "--copy-augment", "0.5", "--checkpoint-dir", str(tmp_path / "c2")])
    old, new = load(str(base), task="translation"), load(str(grown), task="translation")
    assert new.step_model.model.config.vocab_size == old.step_model.model.config.vocab_size + 256
    tokenizer = new.step_model.tokenizer
    assert tokenizer.decode(tokenizer.encode("Łódź")) == "Łódź"  # spelt in bytes, not <unk>
    result = new.generate(TranslationRequest("The cat sleeps."))
    assert result.attention().shape == (len(result.target_tokens), len(result.source_tokens))

    from safetensors.torch import load_file

    from training import average_checkpoints

    more = tmp_path / "more"  # a further run from the grown weights: the same tensors, so a soup of the two
    translation_rnn.main([*common, "--out", str(more), "--epochs", "1", "--init-from", str(grown), "--lr", "0.005",
                          "--checkpoint-dir", str(tmp_path / "c3")])
    average_checkpoints.main(["--folders", str(grown), str(more), "--out", str(tmp_path / "soup")])
    a, b, soup = (load_file(str(folder / "model.safetensors")) for folder in (grown, more, tmp_path / "soup"))
    for name, tensor in soup.items():
        assert (tensor.float() - (a[name].float() + b[name].float()) / 2).abs().max() < 1e-2, name
    mean = load(str(tmp_path / "soup"), task="translation").generate(TranslationRequest("The cat sleeps."))
    assert mean.attention().shape == (len(mean.target_tokens), len(mean.source_tokens))
    average_checkpoints.main(["--folders", str(more), str(grown), "--out", str(more)])  # in place, as the card does
    in_place = load_file(str(more / "model.safetensors"))
    assert all((in_place[name].float() - tensor.float()).abs().max() < 1e-2 for name, tensor in soup.items())
    with pytest.raises(SystemExit, match="not one architecture"):  # the byte pieces grew the embeddings
        average_checkpoints.main(["--folders", str(base), str(grown), "--out", str(tmp_path / "mixed")])


def test_small_transformer_continued_with_byte_pieces_keeps_its_rows_and_spells_an_unknown_name(tmp_path):
    import torch

    from training import translation_marian

    data = _pairs_file(tmp_path)
    common = ["--train", str(data), "--dev", str(data), "--tokens-per-batch", "300", "--dev-bleu-limit", "4",
              "--threads", "1", "--dropout", "0", "--eval-every", "1000", "--warmup", "5", "--d-model", "32",
              "--layers", "2", "--heads", "2", "--ffn", "64"]
    base = tmp_path / "base"
    translation_marian.main([*common, "--out", str(base), "--epochs", "1", "--vocab-size", "90",
                             "--checkpoint-dir", str(tmp_path / "c1")])
    grown = tmp_path / "grown"
    translation_marian.main([*common, "--out", str(grown), "--epochs", "1", "--init-from", str(base), "--lr", "0",
                             "--byte-fallback", "--checkpoint-dir", str(tmp_path / "c2")])
    old, new = load(str(base), task="translation"), load(str(grown), task="translation")
    old_rows = old.step_model.model.get_input_embeddings().weight
    new_rows = new.step_model.model.get_input_embeddings().weight
    assert new_rows.shape[0] == old_rows.shape[0] + 256
    assert torch.allclose(new_rows[: old_rows.shape[0]], old_rows, atol=1e-3)  # lr 0: the old rows as they were
    tokens = new.step_model.token_strings(new.step_model.encode("Łódź"))
    assert "<unk>" not in tokens


def test_distillation_writes_the_teachers_translations_resumes_and_trains_a_student_on_them(tmp_path):
    import random

    from training import translation_distill, translation_rnn
    from training.tatoeba import read_pairs

    data, common = _rnn_run(tmp_path)
    teacher = tmp_path / "teacher"
    translation_rnn.main([*common, "--out", str(teacher), "--epochs", "4", *TINY_RNN, "--lr", "0.01",
                          "--checkpoint-dir", str(tmp_path / "c1")])
    distilled = tmp_path / "distilled.tsv"
    args = ["--teacher", str(teacher), "--train", str(data), "--out", str(distilled), "--chunk", "40", "--threads", "1"]
    translation_distill.main(args)
    pairs = read_pairs(data)
    lines = distilled.read_text(encoding="utf-8").splitlines()
    from generators import DecodingConfig

    beam = DecodingConfig(num_beams=4, max_new_tokens=96)  # as the command decodes, one sentence at a time here
    expected = [load(str(teacher), task="translation").generate(TranslationRequest(en, beam, stand_ins=False)).text
                for en, _ in pairs[:3]]
    assert len(lines) == len(pairs) and [line.split("\t")[0] for line in lines] == [en for en, _ in pairs]
    assert [line.split("\t")[1] for line in lines[:3]] == [" ".join(text.split()) for text in expected]

    distilled.write_text("\n".join(lines[:50]) + "\n" + lines[50][:5], encoding="utf-8")  # stopped mid-line
    translation_distill.main(args)
    assert distilled.read_text(encoding="utf-8").splitlines() == lines  # resumed after the last complete line

    teacher_french = translation_distill.teacher_targets(distilled, pairs)
    rng = random.Random(0)
    assert translation_distill.with_teacher_targets(pairs, teacher_french, rng, 0.0) == pairs
    every = translation_distill.with_teacher_targets(pairs, teacher_french, rng, 1.0)
    assert [fr for _, fr in every] == [t or fr for t, (_, fr) in zip(teacher_french, pairs)]
    with pytest.raises(SystemExit, match="line for line"):
        translation_distill.teacher_targets(distilled, pairs[1:])
    garbled = tmp_path / "garbled.tsv"  # a teacher that drops a number the reference carries over
    garbled.write_text("Tom died in 2003.\tTom est mort en 23.\nTom died.\tTom est mort.\n", encoding="utf-8")
    two = [("Tom died in 2003.", "Tom est décédé en 2003."), ("Tom died.", "Tom est décédé.")]
    assert translation_distill.teacher_targets(garbled, two) == ["Tom est mort en 23.", "Tom est mort."]
    assert translation_distill.teacher_targets(garbled, two, keep_copies=True) == ["", "Tom est mort."]

    student = tmp_path / "student"
    translation_rnn.main([*common, "--out", str(student), "--epochs", "2", "--init-from", str(teacher), "--lr", "0.005",
                          "--distilled", str(distilled), "--distilled-share", "1", "--distilled-keep-copies",
                          "--copy-augment", "0.5",
                          "--checkpoint-dir", str(tmp_path / "c2")])
    result = load(str(student), task="translation").generate(TranslationRequest("The cat sleeps."))
    assert result.attention().shape == (len(result.target_tokens), len(result.source_tokens))


def test_pairs_written_here_are_added_to_the_training_pairs_line_for_line_with_a_teacher(tmp_path):
    from training import translation_rnn
    from training.tatoeba import with_extra_pairs

    extra = tmp_path / "phrasebook.tsv"
    extra.write_text("Happy birthday!\tJoyeux anniversaire !\nGoodbye!\tAu revoir !\n", encoding="utf-8")
    pairs, teacher = [("The cat sleeps.", "Le chat dort.")], ["Le chat dort."]
    added, padded = with_extra_pairs(pairs, teacher, extra, 2)
    written = [("Happy birthday!", "Joyeux anniversaire !"), ("Goodbye!", "Au revoir !")]
    assert added == pairs + written * 2
    assert padded == ["Le chat dort.", "", "", "", ""]  # "": trained on the written reference
    assert with_extra_pairs(pairs, [], extra, 1) == (pairs + written, [])  # no teacher: none made up
    assert with_extra_pairs(pairs, teacher, None, 3) == (pairs, teacher)
    second = tmp_path / "technology.tsv"
    second.write_text("The robot is here.\tLe robot est là.\n", encoding="utf-8")
    assert with_extra_pairs(pairs, [], [extra, second], 1)[0] == pairs + written + [("The robot is here.",
                                                                                    "Le robot est là.")]
    # "FILE:N" repeats that file N times whatever --extra-repeat says
    assert with_extra_pairs(pairs, [], [extra, f"{second}:3"], 2)[0] == pairs + written * 2 + [
        ("The robot is here.", "Le robot est là.")] * 3

    data, common = _rnn_run(tmp_path)
    out = tmp_path / "rnn"
    translation_rnn.main([*common, "--out", str(out), "--epochs", "1", *TINY_RNN, "--extra", str(extra),
                          str(second), "--extra-repeat", "3", "--checkpoint-dir", str(tmp_path / "c")])
    assert json.loads((out / "training.json").read_text())["train_pairs"] == len(PAIRS) * 4 + 9


def test_concatenation_joins_pairs_on_both_sides_as_two_sentences_or_two_clauses(tmp_path):
    import random

    from training import translation_marian
    from training.concat_augment import concatenated_pairs, joined_pair

    first, second = ("I am tired.", "Je suis fatigué."), ("The house is big.", "La maison est grande.")
    joined = {joined_pair(first, second, random.Random(seed)) for seed in range(20)}
    assert ("I am tired. The house is big.", "Je suis fatigué. La maison est grande.") in joined
    assert {("I am tired, and the house is big.", "Je suis fatigué, et la maison est grande."),
            ("I am tired, but the house is big.", "Je suis fatigué, mais la maison est grande.")} & joined
    named = ("Tom is happy.", "Tom est heureux.")  # a name keeps its capital: never a clause after a comma
    assert {joined_pair(first, named, random.Random(seed)) for seed in range(10)} == {
        ("I am tired. Tom is happy.", "Je suis fatigué. Tom est heureux.")}
    question = ("Where is the cat?", "Où est le chat ?")
    assert joined_pair(question, second, random.Random(0)) == (
        "Where is the cat? The house is big.", "Où est le chat ? La maison est grande.")

    longer = concatenated_pairs(PAIRS, random.Random(1), 0.5)
    assert len(longer) == len(PAIRS) and longer != PAIRS
    for (english, french), original in zip(longer, PAIRS):
        assert english.startswith(original[0].rstrip(".?")) and french.startswith(original[1].rstrip(".?"))
    assert concatenated_pairs(PAIRS, random.Random(1), 0.0) == PAIRS

    data = _pairs_file(tmp_path)
    out = tmp_path / "joined"
    translation_marian.main(["--train", str(data), "--dev", str(data), "--tokens-per-batch", "300",
                             "--dev-bleu-limit", "4", "--threads", "1", "--eval-every", "1000", "--warmup", "5",
                             "--d-model", "32", "--layers", "2", "--heads", "2", "--ffn", "64", "--vocab-size", "90",
                             "--out", str(out), "--epochs", "1", "--concat-augment", "0.5",
                             "--checkpoint-dir", str(tmp_path / "c")])
    assert json.loads((out / "training.json").read_text())["train_pairs"] == len(PAIRS) * 4
