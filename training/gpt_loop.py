"""The training loop the GPT-2 trainers share (training/small_gpt.py, training/verse_lm.py): resumable, with
warm-up + cosine learning rate, gradient clipping, periodic evaluation and checkpoints, and `--stop-at`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from tqdm import tqdm

from .char_lstm import hardware, lr_at
from .checkpoint import has_checkpoint, load_checkpoint, save_checkpoint


def make_optimizer(model, args) -> torch.optim.Optimizer:
    """AdamW with weight decay on matrices only (not on biases and norms)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": args.weight_decay}, {"params": other, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.95))


def lm_loss(model, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy (nats/token): x, y [B, T]."""
    logits = model(input_ids=x).logits  # [B, T, V]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)).float(), y.reshape(-1))


def train_steps(
    model,
    optimizer: torch.optim.Optimizer,
    args,
    command: str,
    device: torch.device,
    batch_at: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    on_eval: Callable[[int, float, dict, tqdm], None],
    desc: str,
) -> dict | None:
    """Runs steps up to args.steps (resuming from args.checkpoint_dir with --resume); returns the run's meta,
    or None when it stopped at --stop-at. `on_eval(step, train_loss, meta, bar)` records a validation."""
    checkpoints = Path(args.checkpoint_dir)
    meta = {"step": 0, "train_seconds": 0.0, "history": [], "command": command}
    if args.resume and has_checkpoint(checkpoints):
        tensors, meta = load_checkpoint(checkpoints, optimizer, device)
        model.load_state_dict(tensors, strict=False)  # the tied output weight is not stored twice
        meta.setdefault("resumed", []).append({"step": meta["step"], "command": command})
        print(f"resumed at step {meta['step']} from {checkpoints}", file=sys.stderr)
    meta["hardware"] = hardware(device)
    bar = tqdm(range(meta["step"], args.steps), initial=meta["step"], total=args.steps, desc=desc)
    started = time.perf_counter() - meta["train_seconds"]
    for step in bar:
        model.train()
        x, y = batch_at(step)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, args)
        loss = lm_loss(model, x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        optimizer.step()
        bar.set_postfix(loss=f"{loss.item():.3f}", lr=f"{lr_at(step, args):.1e}")
        done = step + 1
        if done % args.eval_every == 0 or done == args.steps:
            on_eval(done, loss.item(), meta, bar)
        if done % args.checkpoint_every == 0 or done in (args.steps, args.stop_at):
            meta.update(step=done, train_seconds=time.perf_counter() - started)
            weights = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}  # tied to wte
            save_checkpoint(checkpoints, weights, optimizer, meta)
        if done == args.stop_at:
            print(f"stopped at step {done}; continue with --resume", file=sys.stderr)
            return None
    meta["train_seconds"] = time.perf_counter() - started
    return meta
