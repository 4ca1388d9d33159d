"""What every task's result shares: the decoding result behind it and shortcuts to its best hypothesis."""

from __future__ import annotations

from .decoding import DecodeResult, Hypothesis


class TaskResult:
    decode: DecodeResult

    @property
    def text(self) -> str:
        return self.decode.best.text

    @property
    def hypotheses(self) -> list[Hypothesis]:
        return self.decode.hypotheses

    @property
    def done(self) -> bool:
        return self.decode.done
