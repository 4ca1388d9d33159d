"""Model specs -> generators: "bundled:<name>" (or a bare bundled name) | a local directory | a hub id."""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .engine import ENGINE_PREFIX, load_engine
from .errors import ModelNotFound, ModelUnavailable
from .hub import hub_reachable

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "models"
FINETUNE_PREFIX = "finetune:"
# Precision variants of one model, as spec suffixes: "smollm2-135m-instruct@fp32" (generators/models/precision.py).
PRECISIONS = {"fp32": "float32", "bf16": "bfloat16", "int8": "int8", "w8a8": "w8a8", "int4": "int4"}
QUANTIZED = ("int8", "w8a8", "int4")
LEAN_PRECISIONS = ("int8", "int4")  # what SmolLM2 (Llama) takes on its lean decoder (models/llama_decoder.py)
# Quill's own archs with @int8 / @w8a8 (their Linear layers packed) and @fp32; their config.json may name a
# "cpu_precision", the precision a bare name loads at on a CPU (the NER encoder: w8a8, same F1, 1.6x the evaluation speed)
QUANTIZABLE_ARCHS = ("encoder_tagger",)

# Quill's own architectures: "quill_arch" in config.json -> (module:class with from_pretrained, task)
NATIVE_ARCHS = {
    "char_lstm": ("generators.models.char_lstm:CharLSTMStepModel", "continuation"),
    "ngram": ("generators.models.ngram:NGramStepModel", "continuation"),
    "rnn_seq2seq": ("generators.models.rnn_seq2seq:RNNSeq2SeqStepModel", "translation"),
    "encoder_tagger": ("generators.models.tagger:TaggerStepModel", "ner"),
    "poet_gpt2": ("generators.models.poet_gpt2:PoetGPT2StepModel", "verse"),
    "gguf_package": ("generators.models.gguf_package:GGUFPackageModel", "continuation"),  # takes a dtype
    "lora": ("generators.models.lora_adapter:with_adapter", "continuation"),  # over its "base" model
    "poet_lora": ("generators.models.poet_lora:poet_with_adapter", "verse"),  # over its "base" model
    "ensemble": ("generators.models.ensemble:ensemble_of", "translation"),  # over its "members" (bundled names)
}
# Hub models each task offers when the hub is reachable.
HUB_MODELS = {
    "continuation": ["gpt2", "distilgpt2", "HuggingFaceTB/SmolLM2-135M-Instruct", "HuggingFaceTB/SmolLM2-360M-Instruct"],
    "translation": ["Helsinki-NLP/opus-mt-en-fr"],
    "ner": ["dslim/bert-base-NER"],
}
TASKS = ("continuation", "translation", "ner", "verse")
# The bundled model a task's menu opens on: the best measured (see the model cards); the others follow by name.
DEFAULT_BUNDLED = {"continuation": "smollm2-135m-instruct", "translation": "ensemble-en-fr",
                   "verse": "verse-smollm2-poets"}


def finetunes_folder() -> Path:
    """Where the app looks for fine-tunes made by training.finetune: $QUILL_FINETUNES, default ./finetunes."""
    return Path(os.environ.get("QUILL_FINETUNES") or ROOT / "finetunes")


@dataclass(frozen=True)
class ModelInfo:
    name: str  # what to pass to load()
    task: str
    source: str  # "bundled" | "hub"
    available: bool
    reason: str = ""  # why it is unavailable


def bundled_models(task: str | None = None) -> list[ModelInfo]:
    """Bundled models found in assets/models, optionally for one task; each task's default first. A model whose
    config lists "menu_precisions" (e.g. ["bf16"]) is offered at those precisions too ("name@bf16")."""
    found = []
    if ASSETS.is_dir():
        for folder in sorted(ASSETS.iterdir()):
            if (folder / "config.json").is_file():
                folder_task = task_of(folder)
                if task is None or folder_task == task:
                    found.append(ModelInfo(folder.name, folder_task, "bundled", True))
                    variants = json.loads((folder / "config.json").read_text()).get("menu_precisions", [])
                    found.extend(ModelInfo(f"{folder.name}@{v}", folder_task, "bundled", True) for v in variants)
    return sorted(found, key=lambda m: (m.name != DEFAULT_BUNDLED.get(m.task), m.name))


def finetuned_models(task: str | None = None) -> list[ModelInfo]:
    """Fine-tunes found in finetunes_folder(), as "finetune:<folder name>" specs."""
    found = []
    folder = finetunes_folder()
    if folder.is_dir():
        for model in sorted(folder.iterdir()):
            if (model / "config.json").is_file():
                try:
                    model_task = task_of(model)
                except (ValueError, KeyError):  # not a model folder Quill knows: left out of the menus
                    continue
                if task is None or model_task == task:
                    found.append(ModelInfo(FINETUNE_PREFIX + model.name, model_task, "finetune", True))
    return found


def hub_models(task: str) -> list[ModelInfo]:
    reachable = hub_reachable()
    reason = "" if reachable else "the Hugging Face hub is unreachable from this machine"
    return [ModelInfo(name, task, "hub", reachable, reason) for name in HUB_MODELS.get(task, [])]


def task_of(folder: Path) -> str:
    config = json.loads((folder / "config.json").read_text())
    if "quill_arch" in config:
        return NATIVE_ARCHS[config["quill_arch"]][1]
    if any(a.endswith("ForTokenClassification") for a in config.get("architectures") or []):
        return "ner"
    return "translation" if config.get("is_encoder_decoder") else "continuation"


def resolve(spec: str) -> tuple[str, str | Path]:
    """("local", path) for a bundled name or a directory; ("hub", id) for anything that looks like a hub id."""
    if not isinstance(spec, str) or not spec.strip():
        raise ModelNotFound("no model given: name a bundled model, a local directory or a hub id")
    spec = spec.strip()
    if spec.startswith(FINETUNE_PREFIX):
        name = spec.removeprefix(FINETUNE_PREFIX)
        folder = finetunes_folder() / name
        if name and "/" not in name and name not in (".", "..") and (folder / "config.json").is_file():
            return "local", folder
        found = ", ".join(m.name for m in finetuned_models()) or "(none)"
        raise ModelNotFound(f"no fine-tune named '{name}' in {finetunes_folder()}; found: {found}")
    if spec.startswith("bundled:"):
        name = spec.removeprefix("bundled:")
        folder = ASSETS / name
        if name and "/" not in name and (folder / "config.json").is_file():
            return "local", folder
        raise ModelNotFound(f"no bundled model named '{name}'; bundled: {_bundled_names()}")
    if "/" not in spec and (ASSETS / spec / "config.json").is_file():
        return "local", ASSETS / spec
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFound(f"'{spec}' is a directory without a config.json, so not a model directory")
        return "local", path
    looks_like_path = spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec
    if looks_like_path or path.exists():
        raise ModelNotFound(f"no model directory at '{spec}'")
    return "hub", spec


def _bundled_names() -> str:
    names = [m.name for m in bundled_models()]
    return ", ".join(names) if names else "(none installed)"


def split_precision(spec: str) -> tuple[str, str | None]:
    """"name@bf16" -> ("name", "bfloat16"); a spec without a suffix -> (spec, None)."""
    if not isinstance(spec, str) or "@" not in spec:
        return spec, None
    name, _, suffix = spec.rpartition("@")
    if suffix not in PRECISIONS:
        raise ModelNotFound(f"unknown precision '@{suffix[:20]}' in '{spec[:80]}'; use one of: "
                            + ", ".join("@" + p for p in PRECISIONS) + " (or no suffix for the model's default)")
    return name, PRECISIONS[suffix]


def load_step_model(spec: str, device: str = "cpu"):
    """The step model behind a spec, with the task it serves."""
    spec, dtype = split_precision(spec)
    if dtype in QUANTIZED and str(device) != "cpu":
        raise ModelUnavailable(f"@{dtype} packs weights for CPU kernels; on {device} use @bf16 or @fp32")
    kind, where = resolve(spec)
    if kind == "hub":
        return _load_hub(str(where), device, dtype)
    return _load_local(Path(where), device, dtype)


def _load_local(folder: Path, device: str, dtype: str | None = None):
    config = json.loads((folder / "config.json").read_text())
    if "quill_arch" in config:
        arch = config["quill_arch"]
        if arch not in NATIVE_ARCHS:
            raise ModelUnavailable(f"{folder}: unknown quill_arch '{arch}'")
        target, task = NATIVE_ARCHS[arch]
        module, name = target.split(":")
        loader = getattr(importlib.import_module(module), name)
        if arch in ("lora", "poet_lora"):
            base, _ = load_step_model(config["base"] + (f"@{_suffix(dtype)}" if dtype else ""), device)
            return loader(base, folder), task
        if arch == "ensemble":
            if dtype is not None:
                raise ModelUnavailable(f"{folder.name} is an ensemble: it has no precision variants (its members do)")
            members = [load_step_model(member, device)[0] for member in config["members"]]
            return loader(members, folder, config), task
        if arch == "gguf_package":
            return loader.from_pretrained(folder, dtype=dtype, device=device), task
        if arch in QUANTIZABLE_ARCHS and dtype is None and str(device) == "cpu":
            dtype = config.get("cpu_precision")
        if dtype is not None and not (arch in QUANTIZABLE_ARCHS and dtype in ("float32", "int8", "w8a8")):
            offered = "@fp32, @int8 and @w8a8" if arch in QUANTIZABLE_ARCHS else "no precision variants"
            raise ModelUnavailable(f"{folder.name} is one of Quill's own {arch} models: it offers {offered} "
                                   "(@bf16 and @int4 are for transformers models)")
        step_model = loader.from_pretrained(folder)
        step_model.precision = dtype or "float32"
        if dtype not in (None, "float32"):
            from .models.precision import at_precision

            step_model = at_precision(step_model, dtype, folder.name)
        return step_model, task
    if not any(folder.glob("*.safetensors")):
        pickled = sorted(p.name for p in folder.glob("*.bin")) + sorted(p.name for p in folder.glob("*.pt*"))
        raise ModelUnavailable(
            f"{folder}: Quill loads weights from safetensors files only, never from pickles"
            + (f" ({', '.join(pickled)} here)" if pickled else "")
            + "; save the model with save_pretrained(..., safe_serialization=True)"
        )
    return _load_transformers(str(folder), device, local_only=True, dtype=dtype)


def _suffix(dtype: str) -> str:
    return {value: key for key, value in PRECISIONS.items()}[dtype]


def _load_hub(hub_id: str, device: str, dtype: str | None = None):
    try:
        return _load_transformers(hub_id, device, local_only=not hub_reachable(), dtype=dtype)
    except OSError as error:
        if not hub_reachable():
            raise ModelUnavailable(
                f"'{hub_id}' is a Hugging Face hub id, but the hub is unreachable from here and the model is not "
                f"in the local cache; bundled models work offline: {_bundled_names()}"
            ) from None
        raise ModelNotFound(f"could not load '{hub_id}' from the hub: {str(error).splitlines()[0]}") from None


def _load_transformers(name: str, device: str, local_only: bool, dtype: str | None = None):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    from .models.hf_causal import HFCausalStepModel
    from .models.hf_seq2seq import HFSeq2SeqStepModel

    transformers_logging.disable_progress_bar()
    config = AutoConfig.from_pretrained(name, local_files_only=local_only)
    tokenizer = AutoTokenizer.from_pretrained(name, local_files_only=local_only)
    # float32 unless a precision is asked for, whatever the file holds: bundled weights are stored in float16;
    # a quantized variant is packed from the float32 network (the lean Llama decoder's from bfloat16)
    load_dtype = {"int8": "float32", "w8a8": "float32", "int4": "float32"}.get(dtype, dtype) or "float32"
    common = dict(local_files_only=local_only, use_safetensors=True, dtype=getattr(torch, load_dtype))
    if any(a.endswith("ForTokenClassification") for a in config.architectures or []):
        from .models.hf_token_classifier import load_token_classifier

        return _quantized(load_token_classifier(name, tokenizer, device, common), dtype, name), "ner"
    if config.is_encoder_decoder:
        model = AutoModelForSeq2SeqLM.from_pretrained(name, attn_implementation="eager", **common)
        return _quantized(HFSeq2SeqStepModel(model.to(device), tokenizer), dtype, name), "translation"
    if dtype in LEAN_PRECISIONS and config.model_type == "llama":
        from .models.llama_decoder import lean_step_model

        common["dtype"] = torch.bfloat16
        return lean_step_model(AutoModelForCausalLM.from_pretrained(name, **common), tokenizer, dtype), "continuation"
    model = AutoModelForCausalLM.from_pretrained(name, **common)
    step_model = _quantized(HFCausalStepModel(model.to(device), tokenizer), dtype, name)
    step_model.precision = dtype or "float32"
    return step_model, "continuation"


def _quantized(step_model, dtype: str | None, name: str):
    if dtype not in QUANTIZED:
        return step_model
    from .models.precision import at_precision

    return at_precision(step_model, dtype, name)


def load(spec: str, task: str | None = None, device: str = "cpu"):
    """A ready Generator for `spec`; `task` (if given) must match what the model does."""
    from .continuation import ContinuationGenerator
    from .ner import NERGenerator
    from .translation import TranslationGenerator
    from .verse import VerseGenerator

    if isinstance(spec, str) and spec.startswith(ENGINE_PREFIX):
        if task not in (None, "continuation"):
            raise ModelUnavailable(f"'{spec}' is a continuation model served by an engine, not a {task} model")
        return load_engine(spec)
    step_model, model_task = load_step_model(spec, device)
    network = getattr(step_model, "model", None)
    if hasattr(network, "requires_grad_"):
        # Inference only. Also needed because Gradio resumes a streaming generator on other threads, where
        # torch.inference_mode() (thread-local) is off: state made in inference mode must meet no grad-tracked weights.
        network.requires_grad_(False)
    if task is not None and task != model_task:
        raise ModelUnavailable(f"'{spec}' is a {model_task} model, not a {task} model")
    generator_class = {"continuation": ContinuationGenerator, "translation": TranslationGenerator,
                       "ner": NERGenerator, "verse": VerseGenerator}[model_task]
    return generator_class(step_model, name=spec)
