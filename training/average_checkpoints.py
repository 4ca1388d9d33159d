"""Averages the weights of a trained translation transformer with those of later checkpoints (checkpoint averaging,
as in Vaswani et al. 2017), which usually adds a little BLEU at no cost:

    python -m training.average_checkpoints --model runs/marian-small-en-fr \
        --checkpoints checkpoints/marian-small-en-fr/last.safetensors --out assets/models/transformer-small-en-fr

`--model` is a folder written by training.translation_marian (its best weights and tokenizer); each checkpoint is a
`last.safetensors` that command wrote while training (tied embeddings stored once). The mean is saved like the
model (float16) with the model's tokenizer and generation files beside it.

`--checkpoints-only` leaves the folder's own weights out: one checkpoint (say the last update's, where the folder
holds the best on the dev set) is then exported as it is.

Whole model folders of one architecture (e.g. the RNN before and after a fine-tuning run, a "model soup") average
the same way, their `model.safetensors` tensor by tensor, the first folder's other files copied beside the mean:

    python -m training.average_checkpoints --folders assets/models/rnn-attention-en-fr runs/rnn-stage5b \
        --out runs/rnn-soup
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_model


def average(model_dir: str, checkpoints: list[str], with_model: bool = True):
    """The mean of the folder's weights and the checkpoints' (with_model=False: of the checkpoints only — one
    checkpoint is then saved as it is)."""
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(model_dir, dtype=torch.float32)
    total = {k: v.clone() if with_model else torch.zeros_like(v) for k, v in model.state_dict().items()}
    for path in checkpoints:
        other = MarianMTModel.from_pretrained(model_dir, dtype=torch.float32)
        load_model(other, path, strict=False)  # the tied output weight is stored once
        for k, v in other.state_dict().items():
            total[k] += v
    model.load_state_dict({k: v / (int(with_model) + len(checkpoints)) for k, v in total.items()})
    return model


def average_folders(folders: list[str], out: str) -> None:
    """The mean of the folders' model.safetensors (same tensors in each), saved in float16 to `out` with the first
    folder's other files."""
    from safetensors.torch import load_file, save_file

    weights = [load_file(str(Path(folder) / "model.safetensors")) for folder in folders]
    if any(w.keys() != weights[0].keys() or any(w[k].shape != weights[0][k].shape for k in w) for w in weights):
        raise SystemExit("the folders' model.safetensors do not hold the same tensors: not one architecture")
    mean = {k: (sum(w[k].float() for w in weights) / len(weights)).half().contiguous() for k in weights[0]}
    _copy_beside(Path(folders[0]), Path(out), skip=("model.safetensors", "README.md", "training.json"))
    save_file(mean, str(Path(out) / "model.safetensors"))
    print(f"averaged {len(folders)} model folders -> {out}")


def _copy_beside(source: Path, out: Path, skip: tuple[str, ...]) -> None:
    """The source folder's files but `skip` copied into `out` (created); nothing to copy when `out` is the source
    (the mean written over the weights it was taken from)."""
    out.mkdir(parents=True, exist_ok=True)
    if out.resolve() == source.resolve():
        return
    for file in source.iterdir():
        if file.is_file() and file.name not in skip:
            shutil.copy(file, out / file.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model")
    parser.add_argument("--checkpoints", nargs="+")
    parser.add_argument("--checkpoints-only", action="store_true",
                        help="leave the --model folder's own weights out (one checkpoint: that checkpoint, exported)")
    parser.add_argument("--folders", nargs="+", help="average whole model folders of one architecture instead")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.folders:
        average_folders(args.folders, args.out)
        return
    if not (args.model and args.checkpoints):
        parser.error("give --model and --checkpoints, or --folders")
    model = average(args.model, args.checkpoints, with_model=not args.checkpoints_only)
    out = Path(args.out)
    _copy_beside(Path(args.model), out, skip=("model.safetensors", "config.json", "README.md", "training.json"))
    model.to(torch.float16).save_pretrained(out)
    print(f"averaged {int(not args.checkpoints_only) + len(args.checkpoints)} sets of weights -> {out}")


if __name__ == "__main__":
    main()
