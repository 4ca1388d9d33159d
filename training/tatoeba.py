"""Tatoeba English-French pairs: reading the TSV files (2-column, or the 4-column Tatoeba-Challenge format)."""

from __future__ import annotations

from pathlib import Path


def read_pairs(path: str | Path) -> list[tuple[str, str]]:
    """(english, french) pairs from `en<TAB>fr` lines or `eng<TAB>fra<TAB>English<TAB>French` lines."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) >= 4 and len(columns[0]) == 3 and len(columns[1]) == 3:
            english, french = columns[2], columns[3]
        elif len(columns) >= 2:
            english, french = columns[0], columns[1]
        else:
            continue
        if english.strip() and french.strip():
            pairs.append((english.strip(), french.strip()))
    return pairs


def with_extra_pairs(pairs: list[tuple[str, str]], teacher: list[str], paths: str | Path | list | None,
                     repeat: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The training pairs with pairs written here (`training/texts/phrasebook.en-fr.tsv`, one file or several) added
    `repeat` times — or N times for a file given as `PATH:N` — and the teacher's French list padded with "" (their
    own reference) so it stays line for line."""
    if not paths or repeat < 1:
        return pairs, teacher
    extra = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path, times = _with_repeat(str(path), repeat)
        extra += read_pairs(path) * times
    return pairs + extra, (teacher + [""] * len(extra)) if teacher else teacher


def add_extra_arguments(parser) -> None:
    """The trainers' `--extra FILE…` and `--extra-repeat N` (read by `with_extra_pairs`)."""
    parser.add_argument("--extra", nargs="+",
                        help="files of pairs written here to add to --train (e.g. training/texts/phrasebook.en-fr.tsv; "
                             "FILE:N adds that file N times instead of --extra-repeat)")
    parser.add_argument("--extra-repeat", type=int, default=1, help="how many times --extra's pairs are added")


def _with_repeat(path: str, repeat: int) -> tuple[str, int]:
    """"texts/news.tsv:3" -> ("texts/news.tsv", 3); a path without a count keeps `repeat`."""
    name, colon, count = path.rpartition(":")
    return (name, int(count)) if colon and count.isdigit() else (path, repeat)


def data_card(train_pairs: int, dev_pairs: int) -> str:
    return f"""## Data

Tatoeba English-French pairs (the manythings.org `fra-eng` Anki file of 2019-04-07, from tatoeba.org,
CC-BY 2.0 FR; attribution: www.manythings.org/anki and tatoeba.org), decontaminated against the Tatoeba-Challenge
and FLORES-200 test sets by the data provider. Train: {train_pairs:,} pairs; dev: {dev_pairs:,} pairs (every
translation of one English sentence lies in one split). No test data was used.
"""
