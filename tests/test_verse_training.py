"""A training smoke test of the verse model on hand-written lines: the loss falls, the lexicon is written, the
model loads and suggests a line; a second run goes on from the first one's weights (--init-from)."""

from generators import load
from generators.verse import VerseRequest
from training.poetry import POETS

LINES = [
    "The moon is low above the sleeping town", "and every window keeps a little light",
    "I hear the river running to the sea", "the wind is soft and slow among the trees",
    "A bird is singing on the garden wall", "the morning comes and all the shadows fall",
    "My heart is glad to see the summer sky", "the roses bloom and then the roses die",
    "We walked together down the quiet lane", "and heard the gentle music of the rain",
    "The night is long, the stars are cold and bright", "and all the world is sleeping in the night",
]


def write_corpus(folder):
    folder.mkdir()
    for k, slug in enumerate(POETS):
        stanzas = []
        for repeat in range(40):  # quatrains: enough for the training and the held-out split
            start = (k + 5 * repeat) % len(LINES)
            stanzas.append("\n".join((LINES[start:] + LINES[:start])[:4]))
        (folder / f"{slug}.txt").write_text("\n\n".join(stanzas) + "\n", encoding="utf-8")
    return folder


def train(tmp_path, out, *extra):
    from training import verse_lm

    verse_lm.main([
        "--data", str(tmp_path / "poetry"), "--out", str(out), "--vocab-size", "120", "--n-layer", "1",
        "--n-embd", "32", "--n-head", "2", "--block-size", "32", "--batch-size", "8", "--steps", "40",
        "--eval-every", "20", "--warmup", "4", "--lr", "0.01", "--min-lr", "0.001", "--dropout", "0",
        "--checkpoint-every", "1000", "--checkpoint-dir", str(out.parent / (out.name + "-checkpoint")), *extra,
    ])


def test_loss_falls_the_lexicon_is_written_and_the_model_suggests(tmp_path):
    write_corpus(tmp_path / "poetry")
    first = tmp_path / "model"
    train(tmp_path, first)
    card = (first / "README.md").read_text()
    rows = [line for line in card.splitlines() if line.startswith("| 20 |") or line.startswith("| 40 |")]
    val = [float(row.split("|")[3]) for row in rows]
    assert len(val) == 2 and val[1] < val[0], card
    lexicon = (first / "lexicon.txt").read_text().split()
    assert {"moon", "river", "night"} <= set(lexicon) and lexicon == sorted(lexicon)

    generator = load(str(first), task="verse")
    assert generator.vocabulary == frozenset(lexicon)
    result = generator.generate(VerseRequest(("John Keats",), ("The night is long and cold",), "couplet", "none",
                                             None, 2, seed=1))
    assert result.suggestions["John Keats"]

    second = tmp_path / "model-2"
    train(tmp_path, second, "--init-from", str(first))
    assert "started from the weights and tokenizer" in (second / "README.md").read_text()
    assert (second / "spiece.model").read_bytes() == (first / "spiece.model").read_bytes()


def test_the_smollm2_poet_trains_resumes_and_loads_as_the_verse_tab_model(tmp_path):
    """A few LoRA steps over SmolLM2 on hand-written lines, stopped and resumed from its checkpoint; the saved
    adapter loads as a planning verse model whose suggestions meet the form."""
    import json

    from training import verse_smollm2

    write_corpus(tmp_path / "poetry")
    out, checkpoints = tmp_path / "poet", tmp_path / "poet-checkpoint"
    common = ["--data", str(tmp_path / "poetry"), "--out", str(out), "--batch-size", "2", "--max-tokens", "48",
              "--lr", "3e-3", "--checkpoint-every", "2", "--checkpoint-dir", str(checkpoints), "--seed", "1"]
    verse_smollm2.main([*common, "--steps", "2"])
    assert json.loads((checkpoints / "checkpoint.json").read_text())["step"] == 2
    verse_smollm2.main([*common, "--steps", "4", "--resume"])
    report = json.loads((out / "training.json").read_text())
    assert report["steps"] == 4 and report["val_nats_per_token_after"] < report["val_nats_per_token_before"]
    config = json.loads((out / "config.json").read_text())
    assert config["quill_arch"] == "poet_lora" and len(config["poets"]) == 12
    assert (out / "adapter_model.safetensors").stat().st_size < 25_000_000

    generator = load(str(out), task="verse")
    assert generator.plans_end_words and {"moon", "river", "night"} <= generator.vocabulary
    result = generator.generate(VerseRequest(("John Keats",), ("The night is long, the stars are cold and bright",),
                                             "couplet", "AABB", 10, 2, seed=1))
    found = result.suggestions["John Keats"]
    assert found or any("found this time" in note for note in result.notes)
    for s in found:
        assert s.meets_syllables and s.meets_rhyme, s


def test_a_second_smollm2_stage_starts_from_the_first_adapter_and_hides_some_poets(tmp_path):
    """--init-from copies a saved adapter into the new run (its first validation equals the adapter's), and
    --anonymous replaces a share of the training headers by "Poet: Anonymous" (condition dropout)."""
    import json

    import torch
    from safetensors.torch import load_file

    from generators.verse_prompt import ANONYMOUS, header
    from training import verse_smollm2
    from training.poetry import read_poets

    write_corpus(tmp_path / "poetry")
    first = tmp_path / "first"
    common = ["--data", str(tmp_path / "poetry"), "--batch-size", "2", "--max-tokens", "48", "--lr", "3e-3",
              "--checkpoint-every", "100", "--seed", "1"]
    verse_smollm2.main([*common, "--out", str(first), "--steps", "3", "--checkpoint-dir", str(tmp_path / "c1")])
    second = tmp_path / "second"
    verse_smollm2.main([*common, "--out", str(second), "--steps", "1", "--lr", "0", "--init-from", str(first),
                        "--checkpoint-dir", str(tmp_path / "c2")])
    a, b = load_file(first / "adapter_model.safetensors"), load_file(second / "adapter_model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)  # lr 0: the same adapter
    report = json.loads((second / "training.json").read_text())
    assert report["init_from"] == str(first)
    assert report["val_nats_per_token_after"] == json.loads((first / "training.json").read_text())[
        "val_nats_per_token_after"]

    class Words:  # a tokenizer stand-in: only the headers are read here
        def __call__(self, text, add_special_tokens=False):
            return {"input_ids": list(range(len(text.split())))}

    data = verse_smollm2.PlannedStanzas(read_poets(str(tmp_path / "poetry")), "train", 0.5, Words())
    g = torch.Generator().manual_seed(0)
    heads = [data.text(g, 4, 0.1, anonymous=0.3)[0] for _ in range(400)]
    hidden = sum(h == header(ANONYMOUS) for h in heads) / len(heads)
    assert 0.22 < hidden < 0.38
    g = torch.Generator().manual_seed(0)
    assert not any(data.text(g, 4, 0.1)[0] == header(ANONYMOUS) for _ in range(200))
