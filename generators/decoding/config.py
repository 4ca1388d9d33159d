"""DecodingConfig: every decoding option, named as in `transformers.GenerationConfig`, checked once."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Literal


class DecodingError(ValueError):
    """A decoding option is out of range; the message says what to use instead."""


@dataclass(frozen=True)
class DecodingConfig:
    max_new_tokens: int = 50
    do_sample: bool = False
    temperature: float = 1.0
    top_k: int = 0  # 0 = off
    top_p: float = 1.0  # 1.0 = off
    num_beams: int = 1
    num_return_sequences: int = 1
    length_penalty: float = 1.0
    early_stopping: bool | Literal["never"] = False
    repetition_penalty: float = 1.0  # 1.0 = off
    no_repeat_ngram_size: int = 0  # 0 = off
    seed: int | None = None

    def __post_init__(self) -> None:
        _check_int("max_new_tokens", self.max_new_tokens, minimum=1)
        _check_int("top_k", self.top_k, minimum=0, hint="use 0 to switch top-k off")
        _check_int("num_beams", self.num_beams, minimum=1, hint="use 1 for greedy decoding or sampling")
        _check_int("num_return_sequences", self.num_return_sequences, minimum=1)
        _check_int("no_repeat_ngram_size", self.no_repeat_ngram_size, minimum=0, hint="use 0 to switch it off")
        if not isinstance(self.do_sample, bool):
            raise DecodingError(f"do_sample must be true or false, got {self.do_sample!r}")
        _check_float("temperature", self.temperature)
        if self.temperature <= 0:
            raise DecodingError(
                f"temperature must be > 0 (got {self.temperature}); for greedy decoding use do_sample=False"
            )
        _check_float("top_p", self.top_p)
        if not 0 < self.top_p <= 1:
            raise DecodingError(f"top_p must be in (0, 1] (got {self.top_p}); use 1.0 to switch top-p off")
        _check_float("length_penalty", self.length_penalty)
        _check_float("repetition_penalty", self.repetition_penalty)
        if self.repetition_penalty <= 0:
            raise DecodingError(
                f"repetition_penalty must be > 0 (got {self.repetition_penalty}); use 1.0 to switch it off"
            )
        if self.early_stopping not in (True, False, "never"):
            raise DecodingError(f"early_stopping must be true, false or 'never', got {self.early_stopping!r}")
        if self.seed is not None:
            _check_int("seed", self.seed, minimum=0, hint="use a seed between 0 and 2**63 - 1, or none")
            if self.seed >= 2**63:
                raise DecodingError(f"seed must be below 2**63 (got {self.seed})")
        if self.do_sample and self.num_beams > 1:
            raise DecodingError(
                "sampling and beam search do not combine here: use do_sample=True with num_beams=1, "
                "or do_sample=False with num_beams > 1"
            )
        if self.num_beams > 1 and self.num_return_sequences > self.num_beams:
            raise DecodingError(
                f"num_return_sequences ({self.num_return_sequences}) cannot exceed num_beams ({self.num_beams}); "
                "raise num_beams or ask for fewer sequences"
            )
        if self.strategy == "greedy" and self.num_return_sequences > 1:
            raise DecodingError(
                "greedy decoding gives one sequence; for several use num_beams >= num_return_sequences "
                "or do_sample=True"
            )

    @property
    def strategy(self) -> Literal["greedy", "sample", "beam"]:
        if self.num_beams > 1:
            return "beam"
        return "sample" if self.do_sample else "greedy"

    def ignored_settings(self) -> list[str]:
        """Settings that have no effect under the chosen strategy (so a UI can say so)."""
        notes = []
        if self.strategy != "sample":
            if self.temperature != 1.0:
                notes.append(f"temperature has no effect under {self.strategy} decoding")
            if self.top_k:
                notes.append(f"top_k has no effect under {self.strategy} decoding")
            if self.top_p != 1.0:
                notes.append(f"top_p has no effect under {self.strategy} decoding")
        if self.strategy == "greedy" and self.seed is not None:
            notes.append("seed has no effect under greedy decoding")
        if self.strategy != "beam":
            if self.length_penalty != 1.0:
                notes.append("length_penalty only applies to beam search")
            if self.early_stopping is not False:
                notes.append("early_stopping only applies to beam search")
        return notes

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> DecodingConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise DecodingError(f"unknown decoding option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)


def _check_int(name: str, value: object, minimum: int, hint: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DecodingError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise DecodingError(f"{name} must be >= {minimum} (got {value})" + (f"; {hint}" if hint else ""))


def _check_float(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DecodingError(f"{name} must be a finite number, got {value!r}")
