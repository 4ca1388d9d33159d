"""The verse constraint: syllables and rhyme enforced token by token through decoding's constraint hook.

A suggested line is generated piece by piece (sentencepiece pieces: "▁word" starts a word, "ing" continues
one, "," is punctuation) and ends with the line-end token (eos). Words are what `prosody.words_of` finds in the
text, so the count the constraint keeps is exactly the count shown to the user. At every step, for every row:

1. A word may only END (by a new "▁word" piece, punctuation or the line end) when its syllables fit: the words
   so far plus it stay within the target; a new word may only start while at least one syllable is left.
2. The line end is allowed only when the count is exactly the target (with a target) and its last word is one the
   line may end on: a rhyme for the partner's last word (CMUdict rhyming part, `prosody.rhymes`) when the scheme
   pairs the line, or the end word planned for it (EndTrie).
3. A word that would fill the budget exactly must rhyme; to steer there, the pieces of every rhyming CMUdict
   word are kept in a trie keyed by its syllables, and a word may grow along that trie (it can be the last
   word) or while its estimated syllables still leave room (it is not the last word).

4. With a lexicon (the words the poets used, `WordTrie`), a word may only grow along the pieces of a lexicon word
   and only end where one ends, so a suggestion never invents a word; the rhyme trie keeps only lexicon words;
   every word starts with a "▁" piece, and punctuation comes one piece at a time (no bare space, no " .").

5. No line ends on a word standing alone after a pause (", gown"), and no word follows itself ("the the").
6. With a meter ("iambic"), a word may only end where its stresses fall on the meter's beats (generators/meter.py),
   counted from the syllables before it.

The pieces come from any tokenizer (generators/models/token_pieces.py maps byte-level BPE to them).
Rule 1 and 2 make overrunning impossible and every finished line exact; rules 3 and 4 only prune. A row with
nothing allowed is a dead end for decoding (its `finish_reason` says so).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

import torch

from .meter import fits_meter
from .prosody import WORD, dangles, ends_in_pause, normalise, pronunciations, rhymes, rhyming_words, syllables, words_of

_LETTERS = re.compile(r"[A-Za-z']+")
_PUNCT = re.compile(r"[^A-Za-z0-9<>\[\]{}|_#*@/\\=+^~`]+")
_END_WORD = re.compile(f"(?:{WORD.pattern})$")


def _estimate_vector(cores: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per piece: vowel groups, starts with a vowel, ends with a vowel (y counts as a vowel)."""
    groups = torch.tensor([len(re.findall(r"[aeiouy]+", c.lower())) for c in cores])
    starts = torch.tensor([bool(c) and c[0].lower() in "aeiouy" for c in cores])
    ends = torch.tensor([bool(c) and c[-1].lower() in "aeiouy" for c in cores])
    return groups, starts, ends


def _groups(text: str) -> int:
    return len(re.findall(r"[aeiouy]+", text.lower()))


class PieceTables:
    """What the constraint needs to know about each vocabulary piece; built once per model."""

    def __init__(self, pieces: Sequence[str], eos: int, banned: Sequence[int] = ()):
        self.pieces = list(pieces)
        self.eos = eos
        self.text = [p.replace("▁", " ") for p in pieces]
        self.cores = [p.lstrip("▁") for p in pieces]
        lead = [p.startswith("▁") for p in pieces]
        wordy = [bool(_LETTERS.fullmatch(c)) and re.search("[A-Za-z]", c) is not None for c in self.cores]
        apostrophe = [bool(re.fullmatch("'+", c)) for c in self.cores]
        punct = [bool(_PUNCT.fullmatch(c)) or c == "" for c in self.cores]
        V = len(pieces)
        self.start = torch.tensor([w and ld for w, ld in zip(wordy, lead, strict=True)])  # "▁word"
        self.cont = torch.tensor(
            [(w or a) and not ld for w, a, ld in zip(wordy, apostrophe, lead, strict=True)]
        )  # "ing", "'"
        self.punct = torch.tensor([p and not a for p, a in zip(punct, apostrophe, strict=True)])
        for i in [eos, *banned]:
            self.start[i] = self.cont[i] = self.punct[i] = False
        # punctuation as a writer types it: one or two marks ('",'), no space before them but for a dash, no "...",
        # no lone hyphen ("fairy- wight")
        self.tidy_punct = self.punct & torch.tensor([
            0 < len(c) <= 2 and ".." not in c and "…" not in c and (not ld or c.strip("-—–") == "") and c != "-"
            for ld, c in zip(lead, self.cores, strict=True)])
        self.groups, self.vowel_start, self.vowel_end = _estimate_vector(self.cores)
        self.vocab_size = V


class WordTrie:
    """The pieces of every lexicon word (lower case and Capitalised, as sentencepiece writes it after a space):
    prefix (from the word's "▁" piece) -> the pieces that may follow, and which prefixes are whole words. For a
    meter, the same per parity of the word's first syllable: only pieces on the way to a word that keeps the
    meter there (a word's fit depends only on whether it starts on an odd or even syllable)."""

    def __init__(self, words: Sequence[str], encode_word, tables: PieceTables):
        self.vocab_size = tables.vocab_size
        self.encode_word, self.tables = encode_word, tables
        self.next: dict[tuple[int, ...], set[int]] = {}
        self.words: set[tuple[int, ...]] = set()
        self.spelled: dict[tuple[int, ...], str] = {}  # ids -> the word
        self._metered: dict[tuple[str, int], dict[tuple[int, ...], set[int]]] = {}
        self._add(words)
        self.next_mask = lru_cache(maxsize=4096)(self._next_mask)
        self.metered_mask = lru_cache(maxsize=8192)(self._metered_mask)

    def with_words(self, words: Sequence[str]) -> WordTrie:
        """This lexicon and `words` (e.g. rhymes the poets never used), as a new trie."""
        wider = WordTrie([], self.encode_word, self.tables)
        wider.next = {k: set(v) for k, v in self.next.items()}
        wider.words = set(self.words)
        wider.spelled = dict(self.spelled)
        wider._add(words)
        return wider

    def without_words(self, words: Collection[str]) -> WordTrie:
        """This lexicon less `words` (lower case), as a new trie."""
        banned = {w.lower() for w in words}
        kept = sorted({w for w in self.spelled.values() if w.lower() not in banned})
        return WordTrie(kept, self.encode_word, self.tables)

    def _add(self, words: Sequence[str]) -> None:
        tables, encode_word = self.tables, self.encode_word
        for word in words:
            for form in {word, word[:1].upper() + word[1:]}:
                ids = tuple(encode_word(form))
                if not ids or not tables.start[ids[0]] or not all(tables.cont[i] for i in ids[1:]):
                    continue  # only words written as "▁word" + continuation pieces can be steered
                self.words.add(ids)
                self.spelled[ids] = word
                for k in range(len(ids)):
                    self.next.setdefault(ids[:k], set()).add(ids[k])

    def _metered_next(self, meter: str, parity: int) -> dict[tuple[int, ...], set[int]]:
        key = (meter, parity)
        if key not in self._metered:
            table: dict[tuple[int, ...], set[int]] = {}
            for ids, word in self.spelled.items():
                if fits_meter(word, parity, meter):
                    for k in range(len(ids)):
                        table.setdefault(ids[:k], set()).add(ids[k])
            self._metered[key] = table
        return self._metered[key]

    def _metered_mask(self, prefix: tuple[int, ...], meter: str, parity: int) -> torch.Tensor:
        """bool [V]: the pieces that keep `prefix` on the way to a lexicon word that keeps `meter` when its first
        syllable is at a position of this parity."""
        mask = torch.zeros(self.vocab_size, dtype=torch.bool)
        mask[sorted(self._metered_next(meter, parity).get(prefix, ()))] = True
        return mask

    def is_word(self, prefix: tuple[int, ...]) -> bool:
        return prefix in self.words

    def _next_mask(self, prefix: tuple[int, ...]) -> torch.Tensor:
        """bool [V]: the pieces that keep `prefix` on the way to a lexicon word (prefix () = a new word)."""
        mask = torch.zeros(self.vocab_size, dtype=torch.bool)
        mask[sorted(self.next.get(prefix, ()))] = True
        return mask


# Closed-class words that rhyme but make a weak line end ("love" / "of", "trees" / "he's"): never a rhyme word.
WEAK_RHYMES = frozenset(
    "a an the of to in on at by for from with as or and but nor so if than that this these those is are was were be "
    "been am do does did has have had he she it we you they i me him her us them my his its our your their".split()
)


class EndTrie:
    """Pieces of every word a line may end on, as (syllables or None for any, prefix) -> next pieces."""

    def __init__(self, words: Sequence[str], encode_word, max_pieces: int = 0):
        """`max_pieces` > 0 keeps only words of at most that many pieces (the vocabulary's common words)."""
        self.next: dict[tuple[int | None, tuple[int, ...]], set[int]] = {}
        self.words: list[str] = []
        for word in words:
            ids = tuple(encode_word(word))
            if not ids or (max_pieces and len(ids) > max_pieces):
                continue
            self.words.append(word)
            n = syllables(word)
            for k in range(len(ids)):
                for key in ((n, ids[:k]), (None, ids[:k])):
                    self.next.setdefault(key, set()).add(ids[k])
        self.word_set = frozenset(self.words)
        self.min_syllables = min((syllables(w) for w in self.words), default=1)  # room the last word needs
        self.size = len(self.next)

    def accepts(self, word: str) -> bool:
        """Whether a line may end on `word` (as words_of writes it: lower case)."""
        return normalise(word) in self.word_set

    def allowed_next(self, syllables_left: int | None, prefix: tuple[int, ...]) -> list[int]:
        return sorted(self.next.get((syllables_left, prefix), ()))


def strong_rhymes(partner: str, vocabulary: Collection[str] | None = None) -> list[str]:
    """CMUdict's rhymes for `partner` (in `vocabulary` when given), without weak line ends, contractions and words
    of one or two letters (CMUdict's "ee", "au": a strong line end has three letters or more) and words that sound
    the same ("see" for "sea")."""
    return [w for w in rhyming_words(partner)
            if (vocabulary is None or w in vocabulary) and w not in WEAK_RHYMES and "'" not in w and len(w) >= 3
            and not same_sound(w, partner)]


def same_sound(a: str, b: str) -> bool:
    """Whether two words share a whole pronunciation ("sea", "see"): an identical rhyme, not a rhyme."""
    return bool(set(pronunciations(a)) & set(pronunciations(b)))


class RhymeTrie(EndTrie):
    """An EndTrie of every word rhyming with `partner`; a line may end on any word that rhymes with it."""

    def __init__(self, partner: str, encode_word, max_pieces: int = 0, vocabulary: Collection[str] | None = None):
        """`vocabulary` (a lexicon) keeps only the rhymes in it."""
        self.partner = partner
        super().__init__(strong_rhymes(partner, vocabulary), encode_word, max_pieces)

    def accepts(self, word: str) -> bool:
        return rhymes(word, self.partner)


class VerseConstraint:
    """`allowed(generated[B, t], V) -> bool[B, V]`: syllables (exact at the line end) and rhyme (see module doc)."""

    def __init__(self, tables: PieceTables, target: int | None, ends: EndTrie | None, lexicon: WordTrie | None = None,
                 meter: str | None = None, no_dangling: bool = True):
        """`ends`: the words the line may end on (a RhymeTrie, or the one planned end word); None: any word.
        `meter`: "iambic" holds every word to the meter (generators/meter.py); None: any stresses.
        `no_dangling`: rule 5's end word never alone after a pause (off only to measure what it prevents)."""
        if target is not None and target < 1:
            raise ValueError(f"a syllable target must be >= 1 (got {target})")
        self.tables = tables
        self.target = target
        self.trie = ends
        self.lexicon = lexicon
        self.meter = meter
        self.no_dangling = no_dangling

    # -- the state of one row, recomputed from its tokens (lines are a few dozen pieces) ----------------------
    def _parse(self, ids: list[int]) -> tuple[str, str, str, int, tuple[int, ...], bool]:
        """-> (text, the text before the partial word, partial word at the end or "", syllables of the finished
        words, the partial's pieces from its "▁" piece (empty if it did not start with one), whether the last
        piece was punctuation)."""
        text = "".join(self.tables.text[i] for i in ids)
        match = _END_WORD.search(text)
        partial = match.group(0) if match else ""
        done_text = text[: match.start()] if match else text
        done = sum(syllables(w) for w in words_of(done_text))
        word_ids: tuple[int, ...] = ()
        if partial:
            for k in range(len(ids) - 1, -1, -1):
                if self.tables.start[ids[k]]:
                    word_ids = tuple(ids[k:])
                    break
                if not self.tables.cont[ids[k]]:
                    break
        last_punct = bool(ids) and bool(self.tables.punct[ids[-1]])
        return text, done_text, partial, done, word_ids, last_punct

    def _end_room(self) -> int:
        """Syllables a word that is not the last must leave: room for the shortest word the line may end on."""
        return 1 if self.trie is None else self.trie.min_syllables

    def _rhyme_ok(self, word: str) -> bool:
        return self.trie is None or self.trie.accepts(word)

    def allowed(self, generated: torch.Tensor, vocab_size: int) -> torch.Tensor:
        t = self.tables
        rows = generated.tolist()
        out = torch.zeros(len(rows), vocab_size, dtype=torch.bool)
        target = self.target
        for r, ids in enumerate(rows):
            text, before, partial, done, word_ids, last_punct = self._parse(ids)
            total = done + (syllables(partial) if partial else 0)  # if the line ended here
            last = partial or (words_of(text)[-1] if words_of(text) else "")
            fits = target is None or total <= target
            # a word written from its "▁" piece must be a lexicon word to end (a word after punctuation is free)
            known = not (partial and word_ids and self.lexicon is not None) or self.lexicon.is_word(word_ids)
            # with a meter, a word may only end where its stresses fall on the meter's beats
            if partial and self.meter:
                known = known and fits_meter(partial, done, self.meter)
            # a word never follows itself ("the the")
            if partial and known:
                previous = words_of(before)
                known = not previous or previous[-1] != partial.lower()
            # a word right after a pause (, . ; : ! ?) may not be the line's last: it would dangle
            partial_after_pause = self.no_dangling and bool(partial) and ends_in_pause(before)
            # ending the partial word here (punctuation or the line end) is fine while it fits; if it fills the
            # budget it is the last word, so it must rhyme (and not dangle)
            if partial:
                can_end_word = known and fits and (target is None or target - total >= self._end_room() or (
                    total == target and self._rhyme_ok(last) and not partial_after_pause))
            else:
                can_end_word = True
            row = out[r]
            # punctuation, only once a word has been written: at most two pieces running (one with a lexicon,
            # which also keeps out a bare space and a spaced full stop)
            run = 1 if self.lexicon is not None else 2
            # (and, before the line is full, only with room left for a word and the last word after it: a last
            # word right after a pause would dangle)
            room_after_pause = (not self.no_dangling or target is None or total == target
                                or target - total >= self._end_room() + 1)
            if can_end_word and last and room_after_pause and not (
                    len(ids) >= run and all(t.punct[i] for i in ids[-run:])):
                row |= t.punct if self.lexicon is None else t.tidy_punct
            # the line end
            if last and known and (target is None or total == target) and self._rhyme_ok(last) and not (
                    self.no_dangling and dangles(text)):
                row[t.eos] = True
            # a new word: the partial (if any) must leave room for at least one more syllable
            left = None if target is None else target - total
            if known and fits and (left is None or left >= 1):
                may_be_last = not (self.no_dangling and ends_in_pause(text))
                row |= self._word_pieces(t.groups, self._lexical(t.start, (), total), left,
                                         () if may_be_last else None, may_be_last)
            # continuing the partial word (or a word after punctuation such as an opening quote)
            if partial:
                join = t.vowel_start & (partial[-1].lower() in "aeiouy")
                groups = _groups(partial) + t.groups - join.long()
                room = None if target is None else target - done
                candidates = self._lexical(t.cont, word_ids, done) if word_ids else t.cont
                row |= self._word_pieces(groups, candidates, room, None if partial_after_pause else word_ids,
                                         not partial_after_pause)
            elif last_punct and ids and self.lexicon is None:  # with a lexicon, every word starts with "▁"
                room = None if target is None else target - done
                row |= self._word_pieces(t.groups, t.cont, room, None, not (self.no_dangling and ends_in_pause(text)))
        return out

    def _lexical(self, candidates: torch.Tensor, prefix: tuple[int, ...], start: int = 0) -> torch.Tensor:
        """`candidates` that keep the word `prefix` on the way to a lexicon word (all of them without a lexicon);
        with a meter, to one keeping the meter from syllable `start` on."""
        if self.lexicon is None:
            return candidates
        if self.meter:
            return candidates & self.lexicon.metered_mask(prefix, self.meter, start % 2)
        return candidates & self.lexicon.next_mask(prefix)

    def _word_pieces(self, groups, candidates, room: int | None, prefix, may_be_last: bool = True) -> torch.Tensor:
        """Candidates whose word may still end within `room` syllables: estimated to leave room for the shortest
        end word (then it is not the last word), or growing along the rhyme trie towards a word of exactly
        `room` syllables (then it may be the last); with no rhyme to find, an estimate of exactly `room` too.
        A word that may not be the last (it follows a pause) must leave room."""
        if room is None:
            return candidates.clone()
        estimate = groups.clamp(min=1)
        allowed = candidates & (estimate <= room - self._end_room())
        if not may_be_last:
            return allowed
        if self.trie is None:
            allowed |= candidates & (estimate <= room)
        elif prefix is not None:
            nxt = self.trie.allowed_next(room, prefix)
            if nxt:
                extra = torch.zeros_like(candidates)
                extra[nxt] = True
                allowed |= candidates & extra
        return allowed
