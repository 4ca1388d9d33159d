"""Verse by verse: the next line of a poem from 1-3 poet muses, syllables and rhyme enforced while decoding.

Validation rules (each refusal is an InputError with a message for the writer):
- muses: 1 to MAX_VERSE_MUSES of the model's poets (display name or slug);
- form: couplet (2 lines, AA when a scheme is chosen), quatrain (4 lines), free verse (up to MAX_VERSE_LINES,
  the scheme repeating every 4 lines); scheme: AABB, ABAB, ABBA, ABCB or none;
- syllables: an integer in VERSE_SYLLABLES_RANGE, or None / "any";
- lines: the poem so far, at least the first line; each non-empty, at most MAX_VERSE_LINE_CHARS; the FIRST line
  must read as English: at least 80% of its letters ASCII and at least half of its words in CMUdict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from .decoding import DecodingConfig, generate_batch
from .errors import InputError
from .limits import (
    MAX_VERSE_LINE_CHARS,
    MAX_VERSE_LINE_TOKENS,
    MAX_VERSE_LINES,
    MAX_VERSE_MUSES,
    VERSE_SUGGESTIONS_RANGE,
    VERSE_SYLLABLES_RANGE,
)
from .prosody import can_rhyme, in_cmudict, last_word, line_syllables, rhyme_sound, rhymes, words_of
from .text_input import clean_text
from .verse_constraint import PieceTables, RhymeTrie, VerseConstraint, WordTrie

FORMS = {"couplet": 2, "quatrain": 4, "free verse": MAX_VERSE_LINES}
SCHEMES = ("AABB", "ABAB", "ABBA", "ABCB", "none")


def partner_index(form: str, scheme: str, i: int) -> int | None:
    """The earlier line that line i (0-based) must rhyme with, or None."""
    if scheme == "none":
        return None
    letters = "AA" if form == "couplet" else scheme
    stanza = i - i % len(letters)
    mine = letters[i % len(letters)]
    for j in range(i - 1, stanza - 1, -1):
        if letters[j % len(letters)] == mine:
            return j
    return None


def check_english(line: str) -> None:
    letters = [c for c in line if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / max(1, len(letters))
    words = words_of(line)
    known = sum(in_cmudict(w) for w in words)
    if not letters or ascii_share < 0.8 or known * 2 < len(words):
        raise InputError(
            f"the first line does not read as English ({known} of its {len(words)} words are in the English "
            "pronouncing dictionary): the muses write English verse, so start with an English line"
        )


@dataclass(frozen=True)
class VerseRequest:
    poets: tuple[str, ...]
    lines: tuple[str, ...]
    form: str = "quatrain"
    scheme: str = "AABB"
    syllables: int | None = 10
    suggestions: int = 3
    seed: int | None = None

    def __post_init__(self):
        poets = tuple(self.poets) if not isinstance(self.poets, str) else (self.poets,)
        if not 1 <= len(poets) <= MAX_VERSE_MUSES:
            raise InputError(f"choose 1 to {MAX_VERSE_MUSES} muses (got {len(poets)})")
        object.__setattr__(self, "poets", poets)
        if self.form not in FORMS:
            raise InputError(f"form must be one of {', '.join(FORMS)} (got {self.form!r})")
        if self.scheme not in SCHEMES:
            raise InputError(f"rhyme scheme must be one of {', '.join(SCHEMES)} (got {self.scheme!r})")
        syl = self.syllables
        if syl in (None, "any", "", "Any"):
            syl = None
        else:
            try:
                syl = int(syl)
            except (TypeError, ValueError):
                raise InputError(f"syllables per line must be a whole number or 'any' (got {syl!r})") from None
            low, high = VERSE_SYLLABLES_RANGE
            if not low <= syl <= high:
                raise InputError(f"{syl} syllables per line is impossible here: choose {low} to {high}, or any")
        object.__setattr__(self, "syllables", syl)
        low, high = VERSE_SUGGESTIONS_RANGE
        if not low <= int(self.suggestions) <= high:
            raise InputError(f"suggestions per muse must be {low} to {high}")
        lines = tuple(clean_text(x, what="a line", allow_empty=True).strip() for x in self.lines)
        if not lines or not lines[0]:
            raise InputError("the first line is empty: write the poem's first line")
        for n, line in enumerate(lines, 1):
            if not line:
                raise InputError(f"line {n} is empty")
            if len(line) > MAX_VERSE_LINE_CHARS or "\n" in line:
                raise InputError(f"line {n} must be one line of at most {MAX_VERSE_LINE_CHARS} characters")
        check_english(lines[0])
        if len(lines) >= FORMS[self.form]:
            raise InputError(f"the {self.form} is complete ({FORMS[self.form]} lines): give it a title")
        object.__setattr__(self, "lines", lines)

    @property
    def partner_line(self) -> str | None:
        """The earlier line the requested one must rhyme with, or None."""
        j = partner_index(self.form, self.scheme, len(self.lines))
        return None if j is None else self.lines[j]

    @property
    def partner(self) -> str | None:
        line = self.partner_line
        return None if line is None else last_word(line)


@dataclass
class Suggestion:
    poet: str
    text: str
    syllables: int
    rhyme_sound: str
    meets_syllables: bool
    meets_rhyme: bool | None  # None: no rhyme asked, or nothing in CMUdict rhymes with the partner
    constrained: bool  # False: a nearest unconstrained candidate, shown because nothing satisfying was found
    mean_logprob: float


@dataclass
class VerseResult:
    request: VerseRequest
    suggestions: dict[str, list[Suggestion]]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Plan:
    """What one request asks of the decoder: its muses, the constraint, notes so far and the form wanted."""

    muses: list[str]
    constraint: VerseConstraint
    notes: list[str]
    wanted: list[str]


class VerseGenerator:
    task = "verse"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name
        self.poets = list(step_model.poets)
        self.tables = PieceTables(step_model.pieces, step_model.eos_token_id, step_model.suppressed_token_ids)
        self._rhymes = lru_cache(maxsize=512)(self._build_rhymes)  # partner word -> its tries (bounded memory)
        words = getattr(step_model, "lexicon", None) or []
        self.vocabulary = frozenset(words) or None  # the poets' words (None: any word)
        self.lexicon = WordTrie(words, step_model.sp.encode, self.tables) if words else None

    def poet_name(self, name: str) -> str:
        for poet in self.poets:
            if name.strip().lower() in (poet.lower(), poet.lower().replace(" ", "_")):
                return poet
        raise InputError(f"no muse named {name!r}; the muses are {', '.join(self.poets)}")

    def _build_rhymes(self, word: str) -> tuple[RhymeTrie, WordTrie | None, str]:
        """(rhyme trie, lexicon, note) for a partner word: rhymes the poets used (longer ones may stay, as they
        are the poets' words); when they used none, CMUdict's common rhymes, which the lexicon then admits."""
        encode = self.step_model.sp.encode
        trie = RhymeTrie(word, encode, max_pieces=3 if self.vocabulary else 2, vocabulary=self.vocabulary)
        lexicon, note = self.lexicon, ""
        if self.vocabulary and not trie.words:
            trie = RhymeTrie(word, encode, max_pieces=2)
            lexicon = self.lexicon.with_words(trie.words)
            note = f"none of the poets' words rhymes with '{word}': the rhyme comes from CMUdict"
        return trie, lexicon, note

    def constraint(self, request: VerseRequest) -> tuple[VerseConstraint, str | None, str]:
        """(the constraint for the requested line, its rhyme partner, a note for the writer or "")."""
        partner = request.partner
        trie, lexicon, note = self._rhymes(partner) if partner and can_rhyme(partner) else (None, self.lexicon, "")
        target = request.syllables
        if target is None and trie is not None:
            # "any" length, but a rhyme to reach: aim at the partner line's length, so the rhyme trie can steer
            # the last word there (a free-running line would seldom stop on a rhyme)
            low, high = VERSE_SYLLABLES_RANGE
            target = min(high, max(low, line_syllables(request.partner_line)))
        return VerseConstraint(self.tables, target, partner, trie, lexicon), partner, note

    def generate(self, request: VerseRequest, should_stop=None) -> VerseResult:
        return self.generate_batch([request], None if should_stop is None else [should_stop])[0]

    def generate_batch(self, requests: list[VerseRequest], should_stop=None) -> list[VerseResult]:
        """Every muse of every request decoded in one batch (each under its request's constraint), then one batch
        for the muses that found too few lines; each result equals the request generated alone."""
        started = time.perf_counter()
        stops = list(should_stop) if should_stop is not None else [None] * len(requests)
        plans = [self._plan(request) for request in requests]
        jobs = [(i, k, poet) for i, plan in enumerate(plans) for k, poet in enumerate(plan.muses)]
        found = self._decode(requests, plans, jobs, stops, constrained=True)
        out: list[dict[str, list[Suggestion]]] = [{} for _ in requests]
        short = []
        for (i, k, poet), result in zip(jobs, found):
            eos = [h for h in result.hypotheses if h.finish_reason == "eos"]
            out[i][poet] = self._pick(eos, poet, requests[i], True)[: requests[i].suggestions]
            if len(out[i][poet]) < requests[i].suggestions:
                short.append((i, k, poet))
                if not out[i][poet]:
                    plans[i].notes.append(
                        f"{poet}: no line with {' and '.join(plans[i].wanted) or 'these constraints'} was found; "
                        "the nearest unconstrained candidates are shown, marked as such"
                    )
        for (i, _k, poet), loose in zip(short, self._decode(requests, plans, short, stops, constrained=False)):
            missing = requests[i].suggestions - len(out[i][poet])
            out[i][poet] += self._pick(loose.hypotheses, poet, requests[i], False)[:missing]
        seconds = time.perf_counter() - started
        return [VerseResult(r, o, plan.notes, seconds) for r, o, plan in zip(requests, out, plans)]

    def _plan(self, request: VerseRequest) -> _Plan:
        muses = [self.poet_name(p) for p in request.poets]
        constraint, partner, note = self.constraint(request)
        notes = [note] if note else []
        if partner and constraint.trie is None:
            why = "has no rhyme in CMUdict" if rhyme_sound(partner) else "is not in CMUdict"
            notes.append(f"'{partner}' {why}, so this line is not held to a rhyme")
        wanted = []
        if request.syllables:
            wanted.append(f"{request.syllables} syllables")
        if constraint.trie is not None:
            wanted.append(f"a rhyme for '{partner}'")
        return _Plan(muses, constraint, notes, wanted)

    def _decode(self, requests, plans, jobs, stops, constrained: bool) -> list:
        """One decoding batch: for each (request index, muse index, poet), lines sampled for that muse."""
        if not jobs:
            return []
        contexts, configs, constraints, job_stops = [], [], [], []
        for i, k, poet in jobs:
            request = requests[i]
            contexts.append(self.step_model.context(poet, request.lines, room=MAX_VERSE_LINE_TOKENS + 1))
            configs.append(DecodingConfig(
                max_new_tokens=MAX_VERSE_LINE_TOKENS, do_sample=True, temperature=0.8, top_p=0.95,
                num_return_sequences=(4 if constrained else 1) * request.suggestions,
                seed=None if request.seed is None else request.seed + k,
            ))
            constraints.append(plans[i].constraint if constrained else None)
            job_stops.append(stops[i])
        return generate_batch(self.step_model, contexts, configs, constraints, job_stops)

    def _pick(self, hypotheses, poet: str, request: VerseRequest, constrained: bool) -> list[Suggestion]:
        seen, picked = set(), []
        for h in sorted(hypotheses, key=lambda h: h.mean_logprob, reverse=True):
            text = h.text.strip()
            if not text or text.lower() in seen:
                continue
            seen.add(text.lower())
            picked.append(self.describe(poet, text, request, constrained, h.mean_logprob))
        return picked

    def describe(self, poet, text, request: VerseRequest, constrained=True, mean_logprob=0.0) -> Suggestion:
        count = line_syllables(text)
        partner = request.partner
        end = last_word(text)
        meets_rhyme = rhymes(end, partner) if partner and can_rhyme(partner) else None
        meets_syl = request.syllables is None or count == request.syllables
        return Suggestion(poet, text, count, rhyme_sound(end), meets_syl, meets_rhyme, constrained, mean_logprob)
