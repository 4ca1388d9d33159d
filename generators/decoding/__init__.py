"""The one shared decoding module: every generator in Quill decodes through `stream` / `generate`.

It knows no task and no model: a model is anything that follows the step-model contract (`contract.py`).
"""

from .config import DecodingConfig, DecodingError
from .contract import Constraint, StepModel
from .loop import generate, generate_batch, stream, stream_batch
from .per_input import one_per_input
from .results import DecodeResult, Hypothesis
from .transforms import (
    ConstraintMask,
    NoRepeatNGram,
    RepetitionPenalty,
    SuppressTokens,
    Temperature,
    TopK,
    TopP,
    build_transforms,
)

__all__ = [
    "Constraint",
    "ConstraintMask",
    "DecodeResult",
    "DecodingConfig",
    "DecodingError",
    "Hypothesis",
    "NoRepeatNGram",
    "RepetitionPenalty",
    "StepModel",
    "SuppressTokens",
    "Temperature",
    "TopK",
    "TopP",
    "build_transforms",
    "generate",
    "generate_batch",
    "one_per_input",
    "stream",
    "stream_batch",
]
