"""LoRA fine-tunes (peft) over a causal LM, sharing the base model's weights in memory.

A fine-tune folder holds peft's `adapter_config.json` + `adapter_model.safetensors`, a `config.json` with
"quill_arch": "lora" and the base model's spec ("base"), and a model card. Loading it costs only the weights the
adapter changes: the network is a twin of the base whose parameters share the base's tensors, and the adapter is
merged into fresh tensors for the layers it targets (peft `merge_and_unload(safe_merge=True)`), so the base model
answers exactly as before and the fine-tune decodes as fast as the base.
"""

from __future__ import annotations

import copy
from pathlib import Path

import torch

from .hf_causal import HFCausalStepModel

LORA_ARCH = "lora"


def weight_sharing_twin(model: torch.nn.Module) -> torch.nn.Module:
    """A deep copy of `model` whose parameters are new Parameter objects over the SAME tensors (no weight memory).

    New Parameter objects, not the same ones: re-binding a twin's `weight.data` (as a merge does) must leave the
    base untouched. Tied weights stay tied (one id, one twin). Buffers and configs are copied.
    """
    memo = {id(p): torch.nn.Parameter(p.detach(), requires_grad=False) for p in model.parameters()}
    return copy.deepcopy(model, memo)


def with_adapter(base: HFCausalStepModel, folder: str | Path) -> HFCausalStepModel:
    """The base step model with the adapter in `folder` merged into a weight-sharing twin of its network."""
    from peft import PeftModel

    source = getattr(base, "source_network", None)  # a lean (quantized) base: merge into what it was packed from
    twin = weight_sharing_twin(base.model if source is None else source)
    merged = PeftModel.from_pretrained(twin, str(folder), is_trainable=False).merge_and_unload(safe_merge=True)
    merged = merged.eval().requires_grad_(False)
    if source is not None:
        from .llama_decoder import LeanLlamaStepModel, step_compilation

        # packs the layers the adapter changed; the others are the base's packed layers. Its step runs through the
        # base's prepared artifacts (same network shape and code) where they exist; never a second just-in-time
        # compile right after start-up (it held the GIL for tens of seconds, slowing first answers)
        return LeanLlamaStepModel(merged, base.tokenizer, base.precision, packer=base.model.packer,
                                  precompiled=step_compilation() == "prepared")
    step_model = HFCausalStepModel(merged, base.tokenizer)
    step_model.precision = getattr(base, "precision", None)
    return step_model
