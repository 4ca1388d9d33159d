"""Verse by verse: the next line of a poem from 1-3 poet muses, syllables, rhyme and meter enforced while decoding.

A poet model that reads planned prompts (the SmolLM2 poet, `plans_end_words`) first chooses each suggestion's end
word among the rhymes (generators/verse_planning.py) and writes the line towards it; the small GPT-2 poet is
steered onto a rhyme by the rhyme trie at the line's end. Only lines meeting every constraint are shown: when too
few are found, a note says so.

Validation rules (each refusal is an InputError with a message for the writer):
- muses: 1 to MAX_VERSE_MUSES of the model's poets (display name or slug);
- form: couplet (2 lines, AA when a scheme is chosen), quatrain (4 lines), free verse (up to MAX_VERSE_LINES,
  the scheme repeating every 4 lines); scheme: AABB, ABAB, ABBA, ABCB or none;
- syllables: an integer in VERSE_SYLLABLES_RANGE, or None / "any";
- meter: "iambic" or none (generators/meter.py);
- lines: the poem so far, at least the first line; each non-empty, at most MAX_VERSE_LINE_CHARS; the FIRST line
  must read as English: at least 80% of its letters ASCII and at least half of its words in CMUdict.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
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
from .meter import METERS, fits_meter, line_fits_meter
from .models.guided import GuidedStepModel
from .models.prefix_cache import PrefixCachedStepModel
from .prosody import (
    can_rhyme,
    in_cmudict,
    last_word,
    line_syllables,
    rhyme_letters,
    rhyme_sound,
    rhymes,
    syllables,
    words_of,
)
from .text_input import clean_text
from .verse_constraint import WEAK_RHYMES, EndTrie, PieceTables, RhymeTrie, VerseConstraint, WordTrie
from .verse_planning import draw_end_words, score_end_words
from .verse_prompt import ANONYMOUS

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
    meter: str | None = None  # "iambic" or None (any stresses)

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
        meter = None if self.meter in (None, "", "none", "None", "any") else self.meter
        if meter is not None and meter not in METERS:
            raise InputError(f"meter must be one of none, {', '.join(METERS)} (got {self.meter!r})")
        object.__setattr__(self, "meter", meter)
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
    rhyme_sound: str  # CMUdict's rhyming part of the last word ("AY1 T"); "" when CMUdict lacks it
    rhyme_letters: str  # the same sound as a writer reads it ("-ight, as in light")
    meets_syllables: bool
    meets_rhyme: bool | None  # None: no rhyme asked, or nothing in CMUdict rhymes with the partner
    meets_meter: bool | None  # None: no meter asked
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
    end_words: list[str]  # for a planning model: the words the line may end on


# guidance of a planned line towards its poet (models/guided.py): (1 + s) log p(x | poet) - s log p(x | ANONYMOUS)
POET_GUIDANCE = 2.0
CANDIDATES_PER_END_WORD = 3  # lines sampled towards each planned end word (the likeliest is shown)
NO_REPEAT_NGRAM = 3  # a planned line repeats no three tokens of the poem so far or of itself ("in peace and love")
EXTRA_END_WORDS = 1  # end words planned beyond the suggestions asked for (a word may lead nowhere)
# a planned line never writes a word of a muse's name ("When Frost saw Robert Frost kissing", "Of William Blake"):
# guidance towards a poet leans on the names; ordinary words among them stay
ORDINARY_NAME_WORDS = frozenset({"frost"})


class VerseGenerator:
    task = "verse"

    def __init__(self, step_model, name: str):
        self.step_model = step_model
        self.name = name
        self.poets = list(step_model.poets)
        self.plans_end_words = bool(getattr(step_model, "plans_end_words", False))
        self.tables = PieceTables(step_model.pieces, step_model.eos_token_id, step_model.suppressed_token_ids)
        self.encode_word = lru_cache(maxsize=None)(lambda word: tuple(step_model.encode_word(word)))
        self._rhymes = lru_cache(maxsize=512)(self._build_rhymes)  # partner word -> its tries (bounded memory)
        words = getattr(step_model, "lexicon", None) or []
        self.vocabulary = frozenset(words) or None  # the poets' words (None: any word)
        self.lexicon = WordTrie(words, self.encode_word, self.tables) if words else None
        self._free_end_words = lru_cache(maxsize=2)(self._build_free_end_words)
        # how lines reach their rhyme (switches for training.evaluate to measure the alternatives): the end word
        # planned first (models that read plans), and no end word left alone after a pause
        self.plan_end_words = self.plans_end_words
        self.no_dangling = True
        self.guidance = POET_GUIDANCE if self.plans_end_words else 0.0  # see _decode_planned
        self.name_words = frozenset(w.lower() for poet in self.poets for w in re.findall(r"[A-Za-z]+", poet)
                                    ) - ORDINARY_NAME_WORDS
        self._unnamed = lru_cache(maxsize=8)(lambda lexicon: lexicon and lexicon.without_words(self.name_words))

    def poet_name(self, name: str) -> str:
        for poet in self.poets:
            if name.strip().lower() in (poet.lower(), poet.lower().replace(" ", "_")):
                return poet
        raise InputError(f"no muse named {name!r}; the muses are {', '.join(self.poets)}")

    def _build_rhymes(self, word: str) -> tuple[RhymeTrie, WordTrie | None, str]:
        """(rhyme trie, lexicon, note) for a partner word: rhymes the poets used (longer ones may stay, as they
        are the poets' words); when they used none, CMUdict's common rhymes, which the lexicon then admits."""
        encode = self.encode_word
        trie = RhymeTrie(word, encode, max_pieces=3 if self.vocabulary else 2, vocabulary=self.vocabulary)
        lexicon, note = self.lexicon, ""
        if self.vocabulary and not trie.words:
            trie = RhymeTrie(word, encode, max_pieces=2)
            lexicon = self.lexicon.with_words(trie.words)
            note = f"none of the poets' words rhymes with '{word}': the rhyme comes from CMUdict"
        return trie, lexicon, note

    def _build_free_end_words(self, rhymable: bool) -> list[str]:
        """End words for a line no earlier line rhymes with: the poets' words (that some word rhymes with, when a
        later line must rhyme with this one), without weak line ends ("the", "of"), CMUdict words of 3 letters
        or more."""
        words = sorted(self.vocabulary or ())
        return [w for w in words if w not in WEAK_RHYMES and "'" not in w and len(w) >= 3 and in_cmudict(w)
                and len(self.encode_word(w)) <= 3 and (not rhymable or can_rhyme(w))]

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
        return VerseConstraint(self.tables, target, trie, lexicon, request.meter, self.no_dangling), partner, note

    def generate(self, request: VerseRequest, should_stop=None) -> VerseResult:
        return self.generate_batch([request], None if should_stop is None else [should_stop])[0]

    def generate_batch(self, requests: list[VerseRequest], should_stop=None) -> list[VerseResult]:
        """Every muse of every request decoded in one batch (each under its request's constraint); each result
        equals the request generated alone. Only lines meeting the constraints are kept."""
        started = time.perf_counter()
        stops = list(should_stop) if should_stop is not None else [None] * len(requests)
        plans = [self._plan(request) for request in requests]
        jobs = [(i, k, poet) for i, plan in enumerate(plans) for k, poet in enumerate(plan.muses)]
        decode = self._decode_planned if self.plan_end_words else self._decode
        out: list[dict[str, list[Suggestion]]] = [{} for _ in requests]
        for (i, _k, poet), hypotheses in zip(jobs, decode(requests, plans, jobs, stops)):
            eos = [h for h in hypotheses if h.finish_reason == "eos"]
            wanted = requests[i].suggestions
            out[i][poet] = self._pick(eos, poet, requests[i])[:wanted]
            if len(out[i][poet]) < wanted:
                form = " and ".join(plans[i].wanted) or "these constraints"
                found = f"only {len(out[i][poet])} of {wanted} lines" if out[i][poet] else "no line"
                plans[i].notes.append(f"{poet}: {found} with {form} found this time; ask again, or loosen the form")
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
        if request.meter:
            wanted.append(f"{request.meter} meter")
        end_words = self._end_words(request, constraint) if self.plan_end_words else []
        return _Plan(muses, constraint, notes, wanted, end_words)

    def _end_words(self, request: VerseRequest, constraint: VerseConstraint) -> list[str]:
        """The words a planned line may end on: the partner's rhymes, else the poets' words; each short enough
        for the line, and keeping the meter where it would stand."""
        if constraint.trie is not None:
            words = constraint.trie.words
        else:
            later = any(partner_index(request.form, request.scheme, j) == len(request.lines)
                        for j in range(len(request.lines) + 1, FORMS[request.form]))
            words = self._free_end_words(later)
        target = constraint.target
        return [w for w in words if target is None or (
            syllables(w) < target and fits_meter(w, target - syllables(w), request.meter))]

    def _config(self, request: VerseRequest, k: int, rows: int) -> DecodingConfig:
        return DecodingConfig(
            max_new_tokens=MAX_VERSE_LINE_TOKENS, do_sample=True, temperature=0.8, top_p=0.95,
            num_return_sequences=rows, seed=None if request.seed is None else request.seed + k,
            no_repeat_ngram_size=NO_REPEAT_NGRAM if self.plans_end_words else 0,
        )

    def _decode(self, requests, plans, jobs, stops) -> list[list]:
        """One decoding batch: for each (request index, muse index, poet), lines sampled for that muse."""
        if not jobs:
            return []
        contexts, configs, constraints, job_stops = [], [], [], []
        for i, k, poet in jobs:
            request, room = requests[i], MAX_VERSE_LINE_TOKENS + 1
            if self.plans_end_words:  # a planning model asked for the line without its end word: "[10]"
                target = plans[i].constraint.target
                contexts.append(self.step_model.planned_context(poet, request.lines, target, None, room))
            else:
                contexts.append(self.step_model.context(poet, request.lines, room=room))
            configs.append(self._config(request, k, 4 * request.suggestions))
            constraints.append(plans[i].constraint)
            job_stops.append(stops[i])
        return [r.hypotheses for r in generate_batch(self.step_model, contexts, configs, constraints, job_stops)]

    def _decode_planned(self, requests, plans, jobs, stops) -> list[list]:
        """End words planned by the model for every job at once (verse_planning), then one decoding batch: a few
        lines towards each planned word, under the constraint with that word as the only line end, started from
        the planning prompts' cache."""
        step_model, room = self.step_model, MAX_VERSE_LINE_TOKENS + 1
        if not jobs:
            return []
        targets = [plans[i].constraint.target for i, _, _ in jobs]
        opened = [step_model.planned_context(poet, requests[i].lines, target, None, room, close=False)
                  for (i, _, poet), target in zip(jobs, targets)]
        candidates = [[w for w in plans[i].end_words if w.lower() not in self.name_words] for i, _, _ in jobs]
        if self.guidance:  # the same prompts under an anonymous poet: the guides (their cache is made here too)
            guides = [step_model.planned_context(ANONYMOUS, requests[i].lines, target, None, room, close=False)
                      for (i, _, _), target in zip(jobs, targets)]
            opened, candidates = [*opened, *guides], [*candidates, *([[]] * len(guides))]
        scored, cached = score_end_words(step_model, opened, candidates,
                                         self._plan_tokens(sorted({w for c in candidates for w in c})))
        contexts, configs, constraints, row_stops, owners = [], [], [], [], []
        guide_of: dict[tuple[int, ...], list[int]] = {}
        for j, ((i, k, poet), target) in enumerate(zip(jobs, targets)):
            request, plan = requests[i], plans[i]
            seed = None if request.seed is None else request.seed * 1_000 + k
            for n, word in enumerate(draw_end_words(scored[j], request.suggestions + EXTRA_END_WORDS, seed=seed)):
                contexts.append(step_model.planned_context(poet, request.lines, target, word, room))
                guide_of[tuple(contexts[-1])] = step_model.planned_context(ANONYMOUS, request.lines, target, word,
                                                                           room)
                config = self._config(request, k, CANDIDATES_PER_END_WORD)
                configs.append(config if config.seed is None else replace(config, seed=config.seed + 7919 * n))
                constraints.append(VerseConstraint(self.tables, target, EndTrie([word], self.encode_word),
                                                   self._unnamed(plan.constraint.lexicon), request.meter,
                                                   self.no_dangling))
                row_stops.append(stops[i])
                owners.append(j)
        found: list[list] = [[] for _ in jobs]
        if contexts:
            model = step_model if cached is None else PrefixCachedStepModel(step_model, cached)
            if self.guidance:
                model = GuidedStepModel(model, guide_of, self.guidance)
            for j, result in zip(owners, generate_batch(model, contexts, configs, constraints, row_stops)):
                found[j].extend(result.hypotheses)
        return found

    def _plan_tokens(self, words: list[str]) -> dict[str, list[int]]:
        close = list(self.step_model.close_plan_ids)
        return {w: [*self.encode_word(w), *close] for w in words}

    def _pick(self, hypotheses, poet: str, request: VerseRequest) -> list[Suggestion]:
        """The likeliest distinct lines, one per end word first (variety), then the rest."""
        seen, first, rest = set(), [], []
        ends = set()
        for h in sorted(hypotheses, key=lambda h: h.mean_logprob, reverse=True):
            text = h.text.strip()
            text = text[:1].upper() + text[1:]  # a line starts with a capital, as the poets' lines do
            if not text or text.lower() in seen:
                continue
            seen.add(text.lower())
            words = words_of(text)
            if any(w == words[-1] or w.startswith(words[-1] + "'") for w in words[:-1]):
                continue  # the end word said before it ("the tree's tree"): the rhyme is not earned
            end = words[-1]
            (rest if end in ends else first).append(self.describe(poet, text, request, h.mean_logprob))
            ends.add(end)
        return first + rest

    def describe(self, poet, text, request: VerseRequest, mean_logprob=0.0) -> Suggestion:
        count = line_syllables(text)
        partner = request.partner
        end = last_word(text)
        meets_rhyme = rhymes(end, partner) if partner and can_rhyme(partner) else None
        meets_syl = request.syllables is None or count == request.syllables
        meets_meter = line_fits_meter(text, request.meter) if request.meter else None
        return Suggestion(poet, text, count, rhyme_sound(end), rhyme_letters(end), meets_syl, meets_rhyme,
                          meets_meter, mean_logprob)
