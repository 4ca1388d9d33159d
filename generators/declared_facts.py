"""What a model's config.json states about it (its attention layout, its poets), known without loading its weights.

The app builds its menus from these while the models themselves load in the background.
"""

from __future__ import annotations

import json

from .registry import resolve, split_precision

UNDECLARED = object()  # the config does not say: load the model to find out


def local_config(spec: str) -> dict | None:
    """The config.json of a local model spec (precision suffix allowed); None for a hub id or an unusual spec."""
    try:
        kind, folder = resolve(split_precision(spec)[0])
    except Exception:  # noqa: BLE001 - an unusual spec: the loaded model will tell
        return None
    return json.loads((folder / "config.json").read_text()) if kind == "local" else None


def declared_fact(spec: str, fact: str):
    """`fact` ("attention_layout" or "poets") as the local model's config.json states it, else UNDECLARED."""
    config = local_config(spec)
    if config is None:
        return UNDECLARED
    arch = config.get("quill_arch")
    if arch == "ensemble" and fact == "attention_layout":
        return declared_fact(config["members"][0], fact)  # the heatmap is the leading member's
    if fact == "attention_layout":
        if arch == "rnn_seq2seq":
            return None  # one attention: nothing to choose
        if arch is None and config.get("is_encoder_decoder"):
            return (config["decoder_layers"], config["decoder_attention_heads"])
    if fact == "poets" and arch in ("poet_gpt2", "poet_lora"):
        return list(config["poets"])
    return UNDECLARED
