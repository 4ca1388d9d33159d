"""One value per input of a batch, from either one value for all or a sequence of them."""

from __future__ import annotations

from .config import DecodingConfig


def one_per_input(value, count: int, what: str) -> list:
    """None, a DecodingConfig, a stop check (callable) or a constraint (has `allowed`) serves every input; a
    sequence must hold exactly one per input."""
    if value is None or isinstance(value, DecodingConfig) or callable(value) or hasattr(value, "allowed"):
        return [value] * count
    values = list(value)
    if len(values) != count:
        raise ValueError(f"{len(values)} {what} for {count} inputs: give one per input")
    return values
