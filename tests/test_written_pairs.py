"""The pairs written here (training/texts): well formed, and the ones trained on never a sentence of a measuring set."""

from pathlib import Path

from training.tatoeba import read_pairs

TEXTS = Path(__file__).resolve().parent.parent / "training" / "texts"


def test_every_written_pair_file_has_an_english_and_a_french_side_on_each_line():
    files = sorted(TEXTS.glob("*.en-fr.tsv"))
    assert len(files) >= 15
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines and all(line.count("\t") == 1 for line in lines), path.name
        assert len(read_pairs(path)) == len(lines), path.name  # no empty side


def test_the_phrasebooks_share_no_english_sentence_with_a_measuring_set():
    trained = {english.lower() for path in TEXTS.glob("phrasebook*.en-fr.tsv") for english, _ in read_pairs(path)}
    assert len(trained) > 300
    for path in TEXTS.glob("*.en-fr.tsv"):
        if not path.name.startswith("phrasebook"):
            measured = {english.lower() for english, _ in read_pairs(path)}
            assert not trained & measured, (path.name, sorted(trained & measured)[:5])
