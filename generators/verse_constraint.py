"""The verse constraint: syllables and rhyme enforced token by token through decoding's constraint hook.

A suggested line is generated piece by piece (sentencepiece pieces: "▁word" starts a word, "ing" continues
one, "," is punctuation) and ends with the line-end token (eos). Words are what `prosody.words_of` finds in the
text, so the count the constraint keeps is exactly the count shown to the user. At every step, for every row:

1. A word may only END (by a new "▁word" piece, punctuation or the line end) when its syllables fit: the words
   so far plus it stay within the target; a new word may only start while at least one syllable is left.
2. The line end is allowed only when the count is exactly the target (with a target) and, when the scheme pairs
   the line, its last word rhymes with the partner's last word (CMUdict rhyming part, `prosody.rhymes`).
3. A word that would fill the budget exactly must rhyme; to steer there, the pieces of every rhyming CMUdict
   word are kept in a trie keyed by its syllables, and a word may grow along that trie (it can be the last
   word) or while its estimated syllables still leave room (it is not the last word).

4. With a lexicon (the words the poets used, `WordTrie`), a word may only grow along the pieces of a lexicon word
   and only end where one ends, so a suggestion never invents a word; the rhyme trie keeps only lexicon words;
   every word starts with a "▁" piece, and punctuation comes one piece at a time (no bare space, no " .").

Rule 1 and 2 make overrunning impossible and every finished line exact; rules 3 and 4 only prune. A row with
nothing allowed is a dead end for decoding (its `finish_reason` says so).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

import torch

from .prosody import WORD, rhymes, rhyming_words, syllables, words_of

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
        self.tidy_punct = self.punct & torch.tensor([p not in ("▁", "▁.") for p in pieces])
        self.groups, self.vowel_start, self.vowel_end = _estimate_vector(self.cores)
        self.vocab_size = V


class WordTrie:
    """The pieces of every lexicon word (lower case and Capitalised, as sentencepiece writes it after a space):
    prefix (from the word's "▁" piece) -> the pieces that may follow, and which prefixes are whole words."""

    def __init__(self, words: Sequence[str], encode_word, tables: PieceTables):
        self.vocab_size = tables.vocab_size
        self.encode_word, self.tables = encode_word, tables
        self.next: dict[tuple[int, ...], set[int]] = {}
        self.words: set[tuple[int, ...]] = set()
        self._add(words)
        self.next_mask = lru_cache(maxsize=4096)(self._next_mask)

    def with_words(self, words: Sequence[str]) -> WordTrie:
        """This lexicon and `words` (e.g. rhymes the poets never used), as a new trie."""
        wider = WordTrie([], self.encode_word, self.tables)
        wider.next = {k: set(v) for k, v in self.next.items()}
        wider.words = set(self.words)
        wider._add(words)
        return wider

    def _add(self, words: Sequence[str]) -> None:
        tables, encode_word = self.tables, self.encode_word
        for word in words:
            for form in {word, word[:1].upper() + word[1:]}:
                ids = tuple(encode_word(form))
                if not ids or not tables.start[ids[0]] or not all(tables.cont[i] for i in ids[1:]):
                    continue  # only words written as "▁word" + continuation pieces can be steered
                self.words.add(ids)
                for k in range(len(ids)):
                    self.next.setdefault(ids[:k], set()).add(ids[k])

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


class RhymeTrie:
    """Pieces of every word rhyming with `partner`, as prefix -> next pieces, per syllable count (None = any)."""

    def __init__(self, partner: str, encode_word, max_pieces: int = 0, vocabulary: Collection[str] | None = None):
        """`max_pieces` > 0 keeps only rhymes of at most that many pieces (the vocabulary's common words);
        `vocabulary` (a lexicon) keeps only the rhymes in it."""
        self.partner = partner
        self.next: dict[tuple[int | None, tuple[int, ...]], set[int]] = {}
        self.words: list[str] = []
        for word in rhyming_words(partner):
            if (vocabulary is not None and word not in vocabulary) or word in WEAK_RHYMES or "'" in word:
                continue  # not the poets' word, or a function word or contraction ("he's") that rhymes weakly
            ids = tuple(encode_word(word))
            if max_pieces and len(ids) > max_pieces:
                continue
            self.words.append(word)
            n = syllables(word)
            for k in range(len(ids)):
                for key in ((n, ids[:k]), (None, ids[:k])):
                    self.next.setdefault(key, set()).add(ids[k])
        self.size = len(self.next)

    def allowed_next(self, syllables_left: int | None, prefix: tuple[int, ...]) -> list[int]:
        return sorted(self.next.get((syllables_left, prefix), ()))


class VerseConstraint:
    """`allowed(generated[B, t], V) -> bool[B, V]`: syllables (exact at the line end) and rhyme (see module doc)."""

    def __init__(self, tables: PieceTables, target: int | None, partner: str | None, trie: RhymeTrie | None,
                 lexicon: WordTrie | None = None):
        if target is not None and target < 1:
            raise ValueError(f"a syllable target must be >= 1 (got {target})")
        self.tables = tables
        self.target = target
        self.partner = partner if trie is not None else None
        self.trie = trie
        self.lexicon = lexicon

    # -- the state of one row, recomputed from its tokens (lines are a few dozen pieces) ----------------------
    def _parse(self, ids: list[int]) -> tuple[str, str, int, tuple[int, ...], bool]:
        """-> (text, partial word at the end or "", syllables of the finished words, the partial's pieces
        from its "▁" piece (empty if it did not start with one), whether the last piece was punctuation)."""
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
        return text, partial, done, word_ids, last_punct

    def _rhyme_ok(self, word: str) -> bool:
        return self.partner is None or rhymes(word, self.partner)

    def allowed(self, generated: torch.Tensor, vocab_size: int) -> torch.Tensor:
        t = self.tables
        rows = generated.tolist()
        out = torch.zeros(len(rows), vocab_size, dtype=torch.bool)
        target = self.target
        for r, ids in enumerate(rows):
            text, partial, done, word_ids, last_punct = self._parse(ids)
            total = done + (syllables(partial) if partial else 0)  # if the line ended here
            last = partial or (words_of(text)[-1] if words_of(text) else "")
            fits = target is None or total <= target
            # a word written from its "▁" piece must be a lexicon word to end (a word after punctuation is free)
            known = not (partial and word_ids and self.lexicon is not None) or self.lexicon.is_word(word_ids)
            # ending the partial word here (punctuation or the line end) is fine while it fits; if it fills the
            # budget it is the last word, so it must rhyme
            if partial:
                can_end_word = known and fits and (target is None or total < target or self._rhyme_ok(last))
            else:
                can_end_word = True
            row = out[r]
            # punctuation, only once a word has been written: at most two pieces running (one with a lexicon,
            # which also keeps out a bare space and a spaced full stop)
            run = 1 if self.lexicon is not None else 2
            if can_end_word and last and not (len(ids) >= run and all(t.punct[i] for i in ids[-run:])):
                row |= t.punct if self.lexicon is None else t.tidy_punct
            # the line end
            if last and known and (target is None or total == target) and self._rhyme_ok(last):
                row[t.eos] = True
            # a new word: the partial (if any) must leave room for at least one more syllable
            left = None if target is None else target - total
            if known and fits and (left is None or left >= 1):
                row |= self._word_pieces(t.groups, self._lexical(t.start, ()), left, ())
            # continuing the partial word (or a word after punctuation such as an opening quote)
            if partial:
                join = t.vowel_start & (partial[-1].lower() in "aeiouy")
                groups = _groups(partial) + t.groups - join.long()
                room = None if target is None else target - done
                candidates = self._lexical(t.cont, word_ids) if word_ids else t.cont
                row |= self._word_pieces(groups, candidates, room, word_ids)
            elif last_punct and ids and self.lexicon is None:  # with a lexicon, every word starts with "▁"
                room = None if target is None else target - done
                row |= self._word_pieces(t.groups, t.cont, room, None)
        return out

    def _lexical(self, candidates: torch.Tensor, prefix: tuple[int, ...]) -> torch.Tensor:
        """`candidates` that keep the word `prefix` on the way to a lexicon word (all of them without a lexicon)."""
        return candidates if self.lexicon is None else candidates & self.lexicon.next_mask(prefix)

    def _word_pieces(self, groups, candidates, room: int | None, prefix) -> torch.Tensor:
        """Candidates whose word may still end within `room` syllables: estimated to leave at least one more
        syllable (then it is not the last word), or growing along the rhyme trie towards a word of exactly
        `room` syllables (then it may be the last); with no rhyme to find, an estimate of exactly `room` too."""
        if room is None:
            return candidates.clone()
        estimate = groups.clamp(min=1)
        allowed = candidates & (estimate < room)
        if self.trie is None:
            allowed |= candidates & (estimate <= room)
        elif prefix is not None:
            nxt = self.trie.allowed_next(room, prefix)
            if nxt:
                extra = torch.zeros_like(candidates)
                extra[nxt] = True
                allowed |= candidates & extra
        return allowed
