"""Syllables and rhymes of English words: CMUdict through `pronouncing`, with an estimator for words it lacks.

- `syllables(word)`: CMUdict's count for the word's first pronunciation; for a word CMUdict lacks (poetic
  spellings such as "utter'd", rare or invented words) `estimate_syllables`: the number of vowel groups
  (a, e, i, o, u, y) in the letters, less one for a silent final "e" (not "-le" after a consonant, not "-ee"),
  less one for a final "-ed" not after t or d and for a final "-es" not after s, x, z, ch, sh, g or c;
  at least 1.
- `rhyme_keys(word)`: CMUdict's rhyming part (the last stressed vowel and everything after it) of each of the
  word's pronunciations; two words rhyme when they share a key and are not the same word. A word CMUdict lacks
  has no key, so rhymes are only ever asserted between CMUdict words.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pronouncing

_cmu_lock = threading.Lock()
_cmu_ready = False


def _cmudict():
    """`pronouncing`, its CMUdict loaded exactly once. Its own lazy loader is not thread-safe: a second thread could
    look words up while the first was still filling the table, find none, and (through the caches here) keep that
    answer — under concurrent users, English first lines were refused as "0 of 6 words in the dictionary"."""
    global _cmu_ready
    if not _cmu_ready:
        with _cmu_lock:
            if not _cmu_ready:
                pronouncing.init_cmu()
                _cmu_ready = True
    return pronouncing

def pronunciations(word: str) -> list[str]:
    """CMUdict's pronunciations of a word (normalised first), e.g. ["N AY1 T"]; [] when it lacks the word."""
    return _cmudict().phones_for_word(normalise(word))


VOWEL_GROUP = re.compile(r"[aeiouy]+")
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*'?")


def normalise(word: str) -> str:
    """Lower case, letters and inner apostrophes only ("Night's," -> "night's")."""
    return re.sub(r"[^a-z']", "", word.lower().replace("’", "'")).strip("'") if word else ""


def words_of(line: str) -> list[str]:
    """The words of a line, as syllables() counts them (hyphens and dashes separate words)."""
    return [w.lower() for w in WORD.findall(line.replace("’", "'"))]


def estimate_syllables(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 0
    count = len(VOWEL_GROUP.findall(letters))
    if count > 1:
        if letters.endswith("e") and not letters.endswith(("ee", "ye")):
            if not (letters.endswith("le") and len(letters) > 2 and letters[-3] not in "aeiouy"):
                count -= 1
        elif letters.endswith("ed") and not letters.endswith(("ted", "ded", "eed")):
            count -= 1
        elif letters.endswith("es") and not re.search(r"(s|x|z|ch|sh|g|c)es$", letters):
            count -= 1
    return max(1, count)


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    word = normalise(word)
    if not word:
        return 0
    phones = pronunciations(word)
    if phones:
        return pronouncing.syllable_count(phones[0])
    return estimate_syllables(word)


def in_cmudict(word: str) -> bool:
    return bool(pronunciations(word))


def line_syllables(line: str) -> int:
    return sum(syllables(w) for w in words_of(line))


@lru_cache(maxsize=50_000)
def rhyme_keys(word: str) -> frozenset[str]:
    return frozenset(pronouncing.rhyming_part(p) for p in pronunciations(word))


def rhymes(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return a != b and bool(rhyme_keys(a) & rhyme_keys(b))


def rhyme_sound(word: str) -> str:
    """The first rhyming part, for display ("night" -> "AY1 T"); "" when CMUdict lacks the word."""
    keys = pronunciations(word)
    return pronouncing.rhyming_part(keys[0]) if keys else ""


def rhyme_letters(word: str) -> str:
    """The rhyme sound as a writer reads it: "-ight, as in light" (the letters from the vowel of the rhyming
    syllable, CMUdict's last stressed one, to the end); "" when CMUdict lacks the word."""
    word = normalise(word)
    phones = pronunciations(word)
    if not phones:
        return ""
    total = pronouncing.syllable_count(phones[0])
    rhyming = pronouncing.syllable_count(pronouncing.rhyming_part(phones[0]))
    letters = re.sub(r"[^a-z]", "", word)
    # "qu" and a leading "y" are consonants here ("queen" -> -een, "year" -> -ear)
    spelled = re.sub(r"^y", "j", letters.replace("qu", "qw"))
    groups = list(VOWEL_GROUP.finditer(spelled))  # silent vowels ("stone") come after the sounded ones
    index = min(max(0, total - rhyming), len(groups) - 1)
    if not groups:
        return ""
    return f"-{letters[groups[index].start():]}, as in {word}"


_DANGLING = re.compile(r"[,.;:!?][\"'”’)\]]*\s+[\"'“‘(]*[A-Za-z]+(?:'[A-Za-z]+)*'?[^A-Za-z]*$")
_PAUSE_AT_END = re.compile(r"[,.;:!?][\"'”’)\]]*\s*$")


def dangles(line: str) -> bool:
    """Whether the line's last word stands alone after a pause (, . ; : ! ?): "...the trees. oar," does."""
    return bool(_DANGLING.search(line))


def ends_in_pause(text: str) -> bool:
    """Whether the text so far ends with , . ; : ! ? (and maybe a closing quote): a word after it would dangle."""
    return bool(_PAUSE_AT_END.search(text))


def doubled_word(line: str) -> bool:
    """Whether a word follows itself ("the the")."""
    words = words_of(line)
    return any(a == b for a, b in zip(words, words[1:]))


def last_word(line: str) -> str:
    found = words_of(line)
    return found[-1] if found else ""


@lru_cache(maxsize=1)
def _rhyme_index() -> dict[str, list[str]]:
    _cmudict()
    index: dict[str, list[str]] = {}
    for word, phones in _cmudict().pronunciations:
        if re.fullmatch(r"[a-z]+(?:'[a-z]+)?", word):
            index.setdefault(pronouncing.rhyming_part(phones), []).append(word)
    return index


def rhyming_words(word: str) -> list[str]:
    """CMUdict words (letters, at most one apostrophe) that rhyme with `word`, the word itself left out."""
    word = normalise(word)
    index = _rhyme_index()
    found: dict[str, None] = {}
    for key in sorted(rhyme_keys(word)):
        for w in index.get(key, ()):
            if w != word:
                found[w] = None
    return list(found)


@lru_cache(maxsize=50_000)
def can_rhyme(word: str) -> bool:
    """Whether some other CMUdict word rhymes with `word` (false for words CMUdict lacks, and for "orange")."""
    return bool(rhyme_keys(word)) and bool(rhyming_words(word))
