"""Trains the character LSTM: python -m training.char_lstm --data input.txt --out assets/models/char-lstm-shakespeare.

Truncated backpropagation through time over `batch_size` contiguous streams of the training text (the LSTM state
is carried from one window to the next within an epoch), AdamW with warm-up and cosine decay, gradient clipping.
Resumable: `--resume` continues from the checkpoint in `--checkpoint-dir` (safetensors + json).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from generators.models.char_lstm import WEIGHTS_NAME, CharLSTM, CharLSTMConfig, CharLSTMStepModel, no_onednn

from .checkpoint import has_checkpoint, load_checkpoint, save_checkpoint
from .shakespeare import data_card, read_split, vocabulary


def streams(ids: torch.Tensor, batch_size: int, epoch: int, seq_len: int, seed: int) -> torch.Tensor:
    """ids [N] -> [B, S]: B contiguous streams, starting at an offset in [0, seq_len) drawn per epoch."""
    offset = random.Random(seed * 1_000_003 + epoch).randrange(seq_len)
    per_stream = (len(ids) - offset) // batch_size
    return ids[offset : offset + batch_size * per_stream].view(batch_size, per_stream)


def windows_per_epoch(n_ids: int, batch_size: int, seq_len: int) -> int:
    """How many [B, T] windows (with their shifted targets) every epoch's streams hold."""
    return ((n_ids - seq_len) // batch_size - 1) // seq_len


def batch_at(ids: torch.Tensor, step: int, args) -> tuple[torch.Tensor, torch.Tensor, bool]:
    """Inputs [B, T], targets [B, T] of training step `step`, and whether it opens an epoch (state reset)."""
    per_epoch = windows_per_epoch(len(ids), args.batch_size, args.seq_len)
    epoch, k = divmod(step, per_epoch)
    data = streams(ids, args.batch_size, epoch, args.seq_len, args.seed)  # [B, S]
    t = k * args.seq_len
    return data[:, t : t + args.seq_len], data[:, t + 1 : t + 1 + args.seq_len], k == 0


def lr_at(step: int, args) -> float:
    """Linear warm-up to `lr`, then cosine decay to `min_lr` at `steps`."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * progress))


def train_step(model, optimizer, x, y, state, grad_clip: float):
    """One TBPTT window: x, y [B, T]; state (h, c) or None -> (loss in nats/char, detached state)."""
    model.train()
    with no_onednn():
        logits, state = model(x, state)  # [B, T, V]
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    return loss.item(), tuple(s.detach() for s in state)


def evaluate(model, ids: torch.Tensor) -> float:
    """Validation nats per predicted character."""
    model.eval()
    return model.nats(ids) / (len(ids) - 1)


def make_optimizer(model, args) -> torch.optim.Optimizer:
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": args.weight_decay}, {"params": other, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.99))


# -- checkpoints ------------------------------------------------------------------------------------------------


def checkpoint_tensors(model, state) -> dict[str, torch.Tensor]:
    """The weights and the carried LSTM state, named for `save_checkpoint`."""
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    if state is not None:
        tensors["state.h"], tensors["state.c"] = state
    return tensors


def restore(folder: Path, model, optimizer, device) -> tuple[tuple | None, dict]:
    """Loads a checkpoint into the model and optimizer -> (carried LSTM state or None, meta)."""
    tensors, meta = load_checkpoint(folder, optimizer, device)
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    state = (tensors["state.h"], tensors["state.c"]) if "state.h" in tensors else None
    return state, meta


# -- model card -------------------------------------------------------------------------------------------------


def model_card(step_model, args, meta: dict, nats: float, train: str, val: str, size_bytes: int) -> str:
    cfg = step_model.model.config
    n_params = sum(p.numel() for p in step_model.model.parameters())
    rows = "\n".join(
        f"| {h['step']} | {h['train_nats_per_char']:.4f} | {h['val_nats_per_char']:.4f} | "
        f"{h['val_nats_per_char'] / math.log(2):.4f} |"
        for h in meta["history"]
    )
    chars = args.steps * args.batch_size * args.seq_len
    return f"""# char-lstm-shakespeare — character LSTM ({cfg.n_layer} x {cfg.n_hidden})

The classic char-RNN: embedding ({cfg.n_embd}) -> {cfg.n_layer}-layer LSTM ({cfg.n_hidden} units) -> linear, over
{cfg.vocab_size} characters. Generates Shakespeare-like text one character at a time.

{data_card(train, val, "vocabulary")}
## Command

```
{meta["command"]}
```
{resumed_note(meta)}
## Model and training

- {n_params:,} parameters; `model.safetensors` stores them in float16 ({size_bytes / 1e6:.1f} MB); they load as
  float32. Dropout {cfg.dropout} between the LSTM layers and before the output layer.
- truncated backpropagation through time: {args.batch_size} contiguous streams, windows of {args.seq_len}
  characters, the LSTM state carried between windows within an epoch; {args.steps:,} steps
  ({chars:,} characters, {chars / len(train):.1f} epochs).
- AdamW (betas 0.9, 0.99, weight decay {args.weight_decay} on matrices), learning rate warmed up over
  {args.warmup} steps to {args.lr} then cosine-decayed to {args.min_lr}; gradient norm clipped at {args.grad_clip};
  seed {args.seed}.
- training time: {meta["train_seconds"] / 60:.1f} min on {meta["hardware"]} (torch {torch.__version__}).
- characters outside the vocabulary fold to their accent-free form when that is known (é -> e), else to a space.

## Validation

{nats:.4f} nats/char = {nats / math.log(2):.4f} bits/char on the held-out 10% (teacher-forced, every character
after the first; the float16 weights as shipped). During training (float32):

| step | train nats/char (last window) | val nats/char | val bits/char |
|---|---|---|---|
{rows}
"""


def resumed_note(meta: dict) -> str:
    """Lists the commands that continued the run from a checkpoint, if any."""
    lines = [f"- at step {r['step']}: `{r['command']}`" for r in meta.get("resumed", [])]
    return "\nResumed from its checkpoint:\n\n" + "\n".join(lines) + "\n" if lines else ""


def hardware(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    threads = torch.get_num_threads()
    return f"CPU ({platform.machine()}, {threads} thread{'s' if threads > 1 else ''})"


# -- command line -----------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training.char_lstm", description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="the corpus, a UTF-8 text file")
    p.add_argument("--out", required=True, help="folder for config.json, model.safetensors, README.md")
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0 = torch's default)")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--min-lr", type=float, default=2e-4)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--n-embd", type=int, default=64)
    p.add_argument("--n-hidden", type=int, default=512)
    p.add_argument("--n-layer", type=int, default=2)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--checkpoint-dir", default="checkpoints/char-lstm-shakespeare")
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint-dir")
    p.add_argument("--stop-at", type=int, default=0, help="checkpoint and exit at this step (0 = run to --steps)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    command = "python -m training.char_lstm " + shlex.join(sys.argv[1:] if argv is None else argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    train, val = read_split(args.data)
    vocab = vocabulary(train)
    config = CharLSTMConfig(len(vocab), args.n_embd, args.n_hidden, args.n_layer, args.dropout)
    model = CharLSTM(config).to(device)
    step_model = CharLSTMStepModel(model, vocab)
    train_ids = torch.tensor(step_model.encode(train), device=device)  # [N]
    val_ids = torch.tensor(step_model.encode(val), device=device)  # [M]
    optimizer = make_optimizer(model, args)
    checkpoints = Path(args.checkpoint_dir)
    state, meta = None, {"step": 0, "train_seconds": 0.0, "history": [], "command": command}
    if args.resume and has_checkpoint(checkpoints):
        state, meta = restore(checkpoints, model, optimizer, device)
        meta.setdefault("resumed", []).append({"step": meta["step"], "command": command})
        print(f"resumed at step {meta['step']} from {checkpoints}", file=sys.stderr)
    meta["hardware"] = hardware(device)
    n_params = sum(p.numel() for p in model.parameters())
    bar = tqdm(range(meta["step"], args.steps), initial=meta["step"], total=args.steps, desc=f"{n_params:,} params")
    started, loss = time.perf_counter() - meta["train_seconds"], float("nan")
    for step in bar:
        x, y, fresh = batch_at(train_ids, step, args)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        loss, state = train_step(model, optimizer, x, y, None if fresh else state, args.grad_clip)
        bar.set_postfix(loss=f"{loss:.3f}", lr=f"{lr_at(step, args):.1e}")
        done = step + 1
        if done % args.eval_every == 0 or done == args.steps:
            val_nats = evaluate(model, val_ids)
            meta["history"].append({"step": done, "train_nats_per_char": loss, "val_nats_per_char": val_nats})
            bar.write(f"step {done}: train {loss:.4f}, val {val_nats:.4f} nats/char")
        if done % args.checkpoint_every == 0 or done in (args.steps, args.stop_at):
            meta.update(step=done, train_seconds=time.perf_counter() - started)
            save_checkpoint(checkpoints, checkpoint_tensors(model, state), optimizer, meta)
        if done == args.stop_at:
            print(f"stopped at step {done}; continue with --resume", file=sys.stderr)
            return
    meta["train_seconds"] = time.perf_counter() - started
    out = Path(args.out)
    step_model.save_pretrained(out)
    size = (out / WEIGHTS_NAME).stat().st_size
    nats = CharLSTMStepModel.from_pretrained(out, device).nats_on(val) / (len(val) - 1)  # as shipped
    (out / "README.md").write_text(model_card(step_model, args, meta, nats, train, val, size))
    minutes = round(meta["train_seconds"] / 60, 1)
    print(json.dumps({"out": str(out), "val_nats_per_char": round(nats, 4), "bytes": size, "minutes": minutes}))


if __name__ == "__main__":
    main()
