"""Resumable training checkpoints without pickle: tensors in safetensors, everything else in json."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

TENSORS_NAME = "checkpoint.safetensors"
META_NAME = "checkpoint.json"


def save_checkpoint(folder: str | Path, tensors: dict[str, torch.Tensor], optimizer, meta: dict) -> None:
    """`tensors` (weights and any extra state), the optimizer's moments and the torch RNG; `meta` (json) beside."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = dict(tensors)
    opt = optimizer.state_dict()
    for i, moments in opt["state"].items():
        tensors.update({f"optim.{i}.{k}": v for k, v in moments.items()})
    tensors["rng.torch"] = torch.get_rng_state()
    tensors = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    save_file(tensors, str(folder / (TENSORS_NAME + ".tmp")))
    (folder / (TENSORS_NAME + ".tmp")).replace(folder / TENSORS_NAME)  # a crash never leaves half a checkpoint
    meta = {**meta, "param_groups": opt["param_groups"]}
    (folder / META_NAME).write_text(json.dumps(meta, indent=1) + "\n")


def load_checkpoint(folder: str | Path, optimizer, device: str | torch.device) -> tuple[dict[str, torch.Tensor], dict]:
    """Restores the optimizer and the RNG -> (the other tensors, meta)."""
    folder = Path(folder)
    meta = json.loads((folder / META_NAME).read_text())
    tensors = load_file(str(folder / TENSORS_NAME), device=str(device))
    moments: dict[int, dict] = {}
    for key in [k for k in tensors if k.startswith("optim.")]:
        _, i, name = key.split(".", 2)
        value = tensors.pop(key)
        moments.setdefault(int(i), {})[name] = value.cpu() if name == "step" else value
    optimizer.load_state_dict({"state": moments, "param_groups": meta.pop("param_groups")})
    torch.set_rng_state(tensors.pop("rng.torch").cpu())
    return tensors, meta


def has_checkpoint(folder: str | Path) -> bool:
    return (Path(folder) / META_NAME).exists() and (Path(folder) / TENSORS_NAME).exists()
