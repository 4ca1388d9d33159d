"""Fine-tunes a continuation model on your text: python -m training.finetune --model SPEC --text FILE --out DIR.

Starts from a bundled model, a local Hugging Face directory or a hub id (the character LSTM or a transformers
causal LM; the n-gram model is counted, not trained, so it cannot be fine-tuned), trains on the first 90% of the
file's characters with AdamW on random blocks, and saves a model directory that `generators.load(DIR)` and
`python -m generators continue --model DIR` load. Held-out nats per character on the file's last 10% are printed
before and after (the same figure as `python -m training.evaluate lm`).

Transformers models of more than 50 M parameters (SmolLM2) are fine-tuned with LoRA (peft) by default: only the
adapter is trained and saved (`adapter_model.safetensors`, a few MB), over the base named in its config.json.
`--checkpoint-dir` keeps a resumable checkpoint (`--resume`); `--max-minutes` stops early and still saves.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from generators.command_line import report_errors
from generators.errors import QuillError
from generators.lm_scoring import score_text

from .evaluate import read_text

VAL_FRACTION = 0.1
MIN_CHARS = 50


class HFCausalTrainable:
    """A transformers causal LM (GPT-2 and friends) as fine-tuning sees it."""

    default_lr = 3e-4

    def __init__(self, step_model):
        self.step_model = step_model
        self.module = step_model.model
        self.max_block = step_model.max_positions

    def encode(self, text: str) -> list[int]:
        return self.step_model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]

    def loss(self, blocks: torch.Tensor) -> torch.Tensor:
        """blocks [B, T+1] -> mean cross-entropy of each token given those before it in its block."""
        logits = self.module(input_ids=blocks[:, :-1]).logits  # [B, T, V]
        return F.cross_entropy(logits.flatten(0, 1).float(), blocks[:, 1:].flatten())

    def save(self, out: Path) -> None:
        self.module.save_pretrained(out)
        self.step_model.tokenizer.save_pretrained(out)


class LoRATrainable(HFCausalTrainable):
    """A transformers causal LM with LoRA adapters (peft) on its attention projections; the base stays frozen.

    The adapters go into a weight-sharing twin of the network (generators/models/lora_adapter.py), so the base
    model loaded in this process is never changed.
    """

    default_lr = 1e-3
    TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj")

    def __init__(self, step_model, spec: str, rank: int, alpha: float):
        from peft import LoraConfig, get_peft_model

        from generators.models.hf_causal import HFCausalStepModel
        from generators.models.lora_adapter import weight_sharing_twin

        targets = [t for t in self.TARGETS if any(n.endswith(t) for n, _ in step_model.model.named_modules())]
        if not targets:
            raise QuillError(f"'{spec}' has no {'/'.join(self.TARGETS)} layers for LoRA; use --method full")
        config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, target_modules=targets, bias="none")
        # float32 while training: on this CPU a bfloat16 backward pass is ~25x slower (measured: 100 s vs 4 s a step)
        self.module = get_peft_model(weight_sharing_twin(step_model.model).float(), config)
        self.base_spec = spec
        self.step_model = HFCausalStepModel(self.module, step_model.tokenizer)  # scores through the adapters
        self.max_block = step_model.max_positions

    def save(self, out: Path) -> None:
        import json

        self.module.save_pretrained(out)  # adapter_config.json + adapter_model.safetensors
        adapter_config = json.loads((out / "adapter_config.json").read_text())
        adapter_config["base_model_name_or_path"] = self.base_spec  # the spec, not this machine's cache path
        (out / "adapter_config.json").write_text(json.dumps(adapter_config, indent=2) + "\n")
        (out / "config.json").write_text(json.dumps({"quill_arch": "lora", "base": self.base_spec}, indent=1) + "\n")


class CharLSTMTrainable:
    """Quill's character LSTM (generators/models/char_lstm.py); its vocabulary stays as it is."""

    default_lr = 2e-3
    max_block = None  # truncated backpropagation through `block_size` characters, from a zero state

    def __init__(self, step_model):
        self.step_model = step_model
        self.module = step_model.model

    def encode(self, text: str) -> list[int]:
        return self.step_model.encode(text)

    def loss(self, blocks: torch.Tensor) -> torch.Tensor:
        """blocks [B, T+1] -> mean cross-entropy of each character given those before it in its block."""
        logits, _ = self.module(blocks[:, :-1])  # [B, T, V]
        return F.cross_entropy(logits.flatten(0, 1), blocks[:, 1:].flatten())

    def save(self, out: Path) -> None:
        self.step_model.save_pretrained(out)


LORA_MIN_PARAMETERS = 50_000_000  # --method auto: LoRA above this size, full fine-tuning below


def trainable_for(step_model, spec: str, method: str = "auto", rank: int = 16, alpha: float = 32.0):
    from generators.models.char_lstm import CharLSTMStepModel
    from generators.models.hf_causal import HFCausalStepModel

    if isinstance(step_model, HFCausalStepModel):
        size = sum(p.numel() for p in step_model.model.parameters())
        if method == "lora" or (method == "auto" and size > LORA_MIN_PARAMETERS):
            return LoRATrainable(step_model, spec, rank, alpha)
        step_model.model.requires_grad_(True)
        return HFCausalTrainable(step_model)
    if method == "lora":
        raise QuillError(f"'{spec}' is not a transformers model: LoRA needs one; use --method full")
    if isinstance(step_model, CharLSTMStepModel):
        return CharLSTMTrainable(step_model)
    if type(step_model).__name__ == "NGramStepModel":
        raise QuillError(
            f"'{spec}' is an n-gram model: it is counted, not trained, so it cannot be fine-tuned; "
            "build one from your text with: python -m training.ngram --data FILE --out DIR"
        )
    raise QuillError(f"'{spec}' ({type(step_model).__name__}) cannot be fine-tuned; use the char LSTM or a GPT")


def split(text: str, val_fraction: float = VAL_FRACTION) -> tuple[str, str]:
    cut = int(len(text) * (1 - val_fraction))
    return text[:cut], text[cut:]


def random_blocks(ids: torch.Tensor, block_size: int, batch_size: int, generator: torch.Generator) -> torch.Tensor:
    """ids [N] -> batch_size random windows of block_size + 1 consecutive ids [B, T+1]."""
    starts = torch.randint(len(ids) - block_size, (batch_size,), generator=generator)
    return torch.stack([ids[s : s + block_size + 1] for s in starts.tolist()])


def finetune(trainable, train_text, steps, lr, block_size, batch_size, seed, device, checkpoint_dir=None,
             resume=False, checkpoint_every=25, max_minutes=None) -> tuple[float, int]:
    """Trains in place -> (mean training loss in nats per token of the last 10% of steps, steps done).

    Cosine learning rate after a 5% warm-up; with `checkpoint_dir`, a resumable checkpoint every
    `checkpoint_every` steps and at the end (trained tensors, AdamW moments, both RNGs, the losses so far).
    """
    from .checkpoint import has_checkpoint, load_checkpoint, save_checkpoint

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    ids = torch.tensor(trainable.encode(train_text))  # [N]
    block_size = min(block_size, len(ids) - 1, trainable.max_block or block_size)
    module = trainable.module
    trained = {name: p for name, p in module.named_parameters() if p.requires_grad}
    optimizer = torch.optim.AdamW(list(trained.values()), lr=lr, weight_decay=0.0)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(
        (step + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(1.0, step / steps)))))
    losses, done = [], 0
    if resume and checkpoint_dir and has_checkpoint(checkpoint_dir):
        tensors, meta = load_checkpoint(checkpoint_dir, optimizer, device)
        with torch.no_grad():
            for name, p in trained.items():
                p.copy_(tensors[name])
        generator.set_state(tensors["rng.batches"])
        losses, done = meta["losses"], meta["step"]
        schedule.last_epoch = done - 1
        schedule.step()
        print(f"resumed from {checkpoint_dir} at step {done}", flush=True)

    def checkpoint() -> None:
        if checkpoint_dir:
            save_checkpoint(checkpoint_dir, {**trained, "rng.batches": generator.get_state()}, optimizer,
                            {"step": done, "losses": losses, "seed": seed})

    deadline = time.monotonic() + max_minutes * 60 if max_minutes else None
    module.train()
    try:
        with tqdm(total=steps, initial=done, desc="fine-tuning", unit="step") as bar:
            while done < steps:
                blocks = random_blocks(ids, block_size, batch_size, generator).to(device)
                loss = trainable.loss(blocks)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(list(trained.values()), 1.0)
                optimizer.step()
                schedule.step()
                done += 1
                losses.append(loss.item())
                bar.update(1)
                bar.set_postfix(loss=f"{loss.item():.3f}")
                if done % checkpoint_every == 0:
                    checkpoint()
                if deadline is not None and time.monotonic() > deadline:
                    print(f"--max-minutes reached after {done} steps", flush=True)
                    break
        checkpoint()
    finally:
        module.eval()
    tail = losses[-max(1, len(losses) // 10) :]
    return sum(tail) / len(tail), done


def held_out(step_model, val_text: str) -> float:
    try:
        return score_text(step_model, val_text).nats_per_char
    except ValueError as error:
        raise QuillError(f"cannot score the held-out 10% of the text: {error}; give a longer text") from None


def model_card(spec, text_path, command, train_chars, val_chars, before, after, steps, seconds) -> str:
    return f"""# Fine-tuned from `{spec}`

Fine-tuned on `{Path(text_path).name}`: the first 90% of its characters ({train_chars:,}) to train, the last
10% ({val_chars:,}) held out.

## Command

```
{command}
```

## Held-out

| | nats/char | bits/char |
|---|---|---|
| before ({spec}) | {before:.4f} | {before / math.log(2):.4f} |
| after ({steps} steps, {seconds:.0f} s) | {after:.4f} | {after / math.log(2):.4f} |
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training.finetune", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="bundled name, local model directory or hub id")
    parser.add_argument("--text", required=True, help="your text, a UTF-8 file")
    parser.add_argument("--out", required=True, help="folder for the fine-tuned model")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--lr", type=float, help="AdamW learning rate (default: 3e-4 for transformers, 2e-3 LSTM)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--block-size", type=int, default=128, help="tokens per training window")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--method", choices=["auto", "full", "lora"], default="auto",
                        help=f"auto: LoRA for transformers models over {LORA_MIN_PARAMETERS // 1_000_000} M "
                             "parameters, full fine-tuning otherwise")
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--lora-alpha", type=float, default=32.0)
    parser.add_argument("--checkpoint-dir", help="keep a resumable checkpoint here (e.g. checkpoints/NAME)")
    parser.add_argument("--checkpoint-every", type=int, default=25, help="steps between checkpoints")
    parser.add_argument("--resume", action="store_true", help="go on from the checkpoint in --checkpoint-dir")
    parser.add_argument("--max-minutes", type=float, help="stop after this long (the model is still saved)")
    parser.add_argument("--overwrite", action="store_true", help="write into --out even if it is not empty")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = "python -m training.finetune " + shlex.join(sys.argv[1:] if argv is None else argv)

    def fine_tune() -> None:
        run(args, command)

    return report_errors(fine_tune)


def run(args, command: str = "") -> dict:
    """Fine-tunes and saves as `args` say; -> held-out nats per char before and after, and the training loss."""
    from generators.registry import load_step_model

    if args.steps < 1 or args.block_size < 1 or args.batch_size < 1:
        raise QuillError("--steps, --block-size and --batch-size must be at least 1")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not args.overwrite:
        raise QuillError(f"'{out}' is not empty; choose a new folder or pass --overwrite")
    text = read_text(args.text)
    if len(text) < MIN_CHARS:
        raise QuillError(f"'{args.text}' has {len(text)} characters; fine-tuning needs at least {MIN_CHARS}")
    train_text, val_text = split(text)

    step_model, task = load_step_model(args.model, args.device)
    if task != "continuation":
        raise QuillError(f"'{args.model}' is a {task} model; fine-tuning takes continuation models")
    trainable = trainable_for(step_model, args.model, args.method, args.lora_rank, args.lora_alpha)
    unknown = sorted(set(text) - set(getattr(step_model, "vocab", text)))
    if unknown:
        print(f"note: {len(unknown)} characters of the text are not in the model's vocabulary and are read as the "
              f"nearest it has (accent-free form or a space): {''.join(unknown)!r}")
    before = held_out(trainable.step_model, val_text)
    print(f"held-out (last 10%, {len(val_text):,} chars) before: {before:.4f} nats/char", flush=True)

    started = time.perf_counter()
    lr = args.lr or trainable.default_lr
    train_loss, steps = finetune(trainable, train_text, args.steps, lr, args.block_size, args.batch_size, args.seed,
                                 args.device, args.checkpoint_dir, args.resume, args.checkpoint_every,
                                 args.max_minutes)
    seconds = time.perf_counter() - started
    after = held_out(trainable.step_model, val_text)
    print(f"held-out after {steps} steps: {after:.4f} nats/char (was {before:.4f}); "
          f"training loss {train_loss:.4f} nats/token; {seconds:.1f} s")

    out.mkdir(parents=True, exist_ok=True)
    trainable.save(out)
    card = model_card(args.model, args.text, command, len(train_text), len(val_text), before, after, steps,
                      seconds)
    (out / "README.md").write_text(card, encoding="utf-8")
    print(f"wrote {out}")
    return {"before": before, "after": after, "train_loss": train_loss}


if __name__ == "__main__":
    sys.exit(main())
