"""Quill's generators, usable without Gradio: `from generators import load`."""

from .continuation import ContinuationGenerator, ContinuationResult
from .decoding import DecodingConfig, DecodingError
from .errors import InputError, ModelNotFound, ModelUnavailable, QuillError
from .ner import NERGenerator, NERRequest, NERResult
from .registry import bundled_models, hub_models, load
from .requests import ContinuationRequest, TranslationRequest
from .translation import TranslationGenerator, TranslationResult

__all__ = [
    "ContinuationGenerator",
    "ContinuationRequest",
    "ContinuationResult",
    "DecodingConfig",
    "DecodingError",
    "InputError",
    "ModelNotFound",
    "ModelUnavailable",
    "NERGenerator",
    "NERRequest",
    "NERResult",
    "QuillError",
    "TranslationGenerator",
    "TranslationRequest",
    "TranslationResult",
    "bundled_models",
    "hub_models",
    "load",
]
