"""Fine-tunes SmolLM2-135M-Instruct into the Verse tab's poet model (LoRA, peft):

    python -m training.verse_smollm2 --out assets/models/verse-smollm2-poets --steps 600 --seed 0 \
        --checkpoint-dir checkpoints/verse-smollm2-poets --max-minutes 90   [--resume]

Training text is the structure the tab asks of the model (generators/verse_prompt.py): a poet's header, then a run
of consecutive lines of one stanza of that poet, each line led by its plan — its syllable count and its last word,
"[10 day] ...". Lines come from the training split of training/poetry.py (the last 5% of each poet is held out).
Poets are balanced as in training.verse_lm (P(poet) ∝ lines ** alpha). The loss covers every token after the
header: the plans too, so the model also learns which end word a poet reaches for next (the tab ranks the rhyme
candidates with it) and writes a line that lands on its planned word. A plan's syllables or end word is left out
with probability `--drop-plan` each, as the tab does for "any" length or no rhyme.

Each step's batch is drawn from its own seeded generator, so a resumed run sees the batches it would have seen.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from pathlib import Path

import torch
from tqdm import tqdm

from generators.prosody import last_word, line_syllables
from generators.verse_prompt import ANONYMOUS, header, plan

from .checkpoint import has_checkpoint, load_checkpoint, save_checkpoint
from .finetune import LoRATrainable
from .poetry import DEFAULT_DATA, POETS, read_poets
from .verse_lexicon import LEXICON_NAME, corpus_lexicon, write_lexicon

BASE = "smollm2-135m-instruct"
POET_ARCH = "poet_lora"


def stanzas(lines: list[str]) -> list[list[str]]:
    out, run = [], []
    for line in [*lines, ""]:
        if line:
            run.append(line)
        elif run:
            out.append(run)
            run = []
    return out


class PlannedStanzas:
    """Every poet's stanzas; draws training texts: header + up to `max_lines` planned lines from one stanza."""

    def __init__(self, splits: dict, part: str, alpha: float, tokenizer):
        self.slugs = list(POETS)
        self.tokenizer = tokenizer
        self.stanzas = [[s for s in stanzas(getattr(splits[slug], part)) if s] for slug in self.slugs]
        sizes = torch.tensor([sum(len(s) for s in st) for st in self.stanzas], dtype=torch.float64)
        self.weights = sizes**alpha / (sizes**alpha).sum()

    def text(self, g: torch.Generator, max_lines: int, drop: float, anonymous: float = 0.0) -> tuple[str, str]:
        """-> (header, planned lines) of a random run of lines of a random poet (balanced); the header names
        ANONYMOUS instead with probability `anonymous`."""
        p = int(torch.multinomial(self.weights, 1, generator=g))
        stanza = self.stanzas[p][int(torch.randint(len(self.stanzas[p]), (1,), generator=g))]
        start = int(torch.randint(len(stanza), (1,), generator=g))
        lines = stanza[start : start + max_lines]
        body = []
        for line in lines:
            keep_syl, keep_end = (torch.rand(2, generator=g) >= drop).tolist()
            body.append(f"{plan(line_syllables(line) if keep_syl else None, last_word(line) if keep_end else None)}"
                        f" {line}\n")
        hidden = anonymous > 0 and float(torch.rand(1, generator=g)) < anonymous
        return header(ANONYMOUS if hidden else POETS[self.slugs[p]]), "".join(body)

    def encode(self, head: str, body: str, max_tokens: int) -> tuple[list[int], int]:
        ids_head = self.tokenizer(head, add_special_tokens=False)["input_ids"]
        ids_body = self.tokenizer(body, add_special_tokens=False)["input_ids"]
        return (ids_head + ids_body)[:max_tokens], len(ids_head)

    def batch(self, g: torch.Generator, size: int, max_lines: int, drop: float, max_tokens: int, pad: int,
              anonymous: float = 0.0):
        """-> input ids [B, T], labels [B, T] (-100 on the header and the padding), attention mask [B, T]."""
        rows = [self.encode(*self.text(g, max_lines, drop, anonymous), max_tokens) for _ in range(size)]
        width = max(len(ids) for ids, _ in rows)
        ids = torch.full((size, width), pad)
        labels = torch.full((size, width), -100)
        mask = torch.zeros(size, width, dtype=torch.long)
        for r, (row, head) in enumerate(rows):
            ids[r, : len(row)] = torch.tensor(row)
            labels[r, head : len(row)] = torch.tensor(row[head:])
            mask[r, : len(row)] = 1
        return ids, labels, mask


def loss_of(module, ids, labels, mask) -> tuple[torch.Tensor, int]:
    """Mean cross-entropy of the labelled tokens given those before them; -> (loss, tokens counted)."""
    logits = module(input_ids=ids, attention_mask=mask).logits[:, :-1]  # [B, T-1, V]
    target = labels[:, 1:]
    loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1).float(), target.flatten(), ignore_index=-100)
    return loss, int((target != -100).sum())


def validation(module, data: PlannedStanzas, args, pad: int, batches: int = 12) -> float:
    """Nats per token of a fixed sample of held-out planned stanzas (the same sample for every call)."""
    g = torch.Generator().manual_seed(12345)
    total = count = 0.0
    module.eval()
    with torch.inference_mode():
        for _ in range(batches):
            loss, n = loss_of(module, *data.batch(g, args.batch_size, args.max_lines, args.drop_plan,
                                                   args.max_tokens, pad))
            total, count = total + loss.item() * n, count + n
    module.train()
    return total / count


def init_from_adapter(trained: dict[str, torch.Tensor], folder: Path) -> None:
    """Copies a saved adapter's LoRA tensors into the trainable ones (peft names them without the adapter name)."""
    from safetensors.torch import load_file

    saved = load_file(folder / "adapter_model.safetensors")
    missing = []
    with torch.no_grad():
        for name, p in trained.items():
            key = name.replace(".default.", ".")
            if key not in saved or saved[key].shape != p.shape:
                missing.append(name)
                continue
            p.copy_(saved[key])
    if missing:
        raise SystemExit(f"--init-from {folder}: {len(missing)} LoRA tensors missing or of another shape "
                         f"(first: {missing[0]}); use the same --lora-rank")
    print(f"started from the adapter in {folder} ({len(trained)} tensors)", flush=True)


def train(args, command: str) -> dict:
    from generators.registry import load_step_model

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    splits = read_poets(args.data)
    step_model, _ = load_step_model(BASE + "@fp32")  # float32: the trained copy (LoRATrainable)
    trainable = LoRATrainable(step_model, BASE, args.lora_rank, args.lora_alpha)
    module, tokenizer = trainable.module, step_model.tokenizer
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    data = PlannedStanzas(splits, "train", args.alpha, tokenizer)
    val = PlannedStanzas(splits, "val", args.alpha, tokenizer)
    trained = {name: p for name, p in module.named_parameters() if p.requires_grad}
    if args.init_from:
        init_from_adapter(trained, Path(args.init_from))
    optimizer = torch.optim.AdamW(list(trained.values()), lr=args.lr, weight_decay=0.0)
    warmup = max(1, args.steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(
        (s + 1) / warmup, 0.1 + 0.45 * (1 + math.cos(math.pi * min(1.0, s / args.steps)))))
    meta = {"step": 0, "losses": [], "seconds": 0.0, "val_before": None, "seed": args.seed, "command": command}
    if args.resume and has_checkpoint(args.checkpoint_dir):
        tensors, meta = load_checkpoint(args.checkpoint_dir, optimizer, "cpu")
        with torch.no_grad():
            for name, p in trained.items():
                p.copy_(tensors[name])
        schedule.last_epoch = meta["step"] - 1
        schedule.step()
        print(f"resumed from {args.checkpoint_dir} at step {meta['step']}", flush=True)
    if meta["val_before"] is None:
        with torch.no_grad(), module.disable_adapter():
            meta["val_before"] = validation(module, val, args, pad)
        print(f"held-out planned stanzas before: {meta['val_before']:.4f} nats/token", flush=True)

    def checkpoint() -> None:
        if args.checkpoint_dir:
            save_checkpoint(args.checkpoint_dir, trained, optimizer, meta)

    deadline = time.monotonic() + args.max_minutes * 60 if args.max_minutes else None
    started = time.monotonic() - meta["seconds"]
    module.train()
    with tqdm(total=args.steps, initial=meta["step"], desc="verse fine-tune", unit="step") as bar:
        while meta["step"] < args.steps:
            g = torch.Generator().manual_seed(args.seed * 1_000_003 + meta["step"])
            loss, _ = loss_of(module, *data.batch(g, args.batch_size, args.max_lines, args.drop_plan,
                                                   args.max_tokens, pad, args.anonymous))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(trained.values()), 1.0)
            optimizer.step()
            schedule.step()
            meta["step"] += 1
            meta["losses"].append(round(loss.item(), 4))
            meta["seconds"] = time.monotonic() - started
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}")
            if meta["step"] % args.checkpoint_every == 0:
                checkpoint()
            if deadline is not None and time.monotonic() > deadline:
                bar.write(f"--max-minutes reached after {meta['step']} steps")
                break
    checkpoint()
    module.eval()
    meta["val_after"] = validation(module, val, args, pad)
    print(f"held-out planned stanzas after {meta['step']} steps: {meta['val_after']:.4f} nats/token "
          f"(before {meta['val_before']:.4f})", flush=True)
    save(trainable, args, meta, splits)
    return meta


def save(trainable, args, meta: dict, splits) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    trainable.save(out)  # adapter_config.json + adapter_model.safetensors; config.json rewritten below
    config = {"quill_arch": POET_ARCH, "base": BASE, "poets": list(POETS.values()), "lexicon_file": LEXICON_NAME}
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    write_lexicon(corpus_lexicon(splits), out)
    tail = meta["losses"][-max(1, len(meta["losses"]) // 10):]
    (out / "training.json").write_text(json.dumps({
        "command": meta["command"], "steps": meta["step"], "seconds": round(meta["seconds"]),
        "batch_size": args.batch_size, "max_lines": args.max_lines, "lr": args.lr, "lora_rank": args.lora_rank,
        "seed": args.seed, "anonymous": args.anonymous, "init_from": args.init_from,
        "train_loss_last_10pct": round(sum(tail) / len(tail), 4),
        "val_nats_per_token_before": round(meta["val_before"], 4),
        "val_nats_per_token_after": round(meta["val_after"], 4),
    }, indent=1) + "\n")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training.verse_smollm2", description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="folder of <poet>.txt files")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--max-lines", type=int, default=6, help="lines per training text (one stanza's run)")
    p.add_argument("--max-tokens", type=int, default=160)
    p.add_argument("--drop-plan", type=float, default=0.1, help="chance a plan's count or end word is left out")
    p.add_argument("--anonymous", type=float, default=0.0,
                   help="chance a text's header says Anonymous instead of its poet (condition dropout)")
    p.add_argument("--init-from", help="a trained adapter folder to start from (a second stage)")
    p.add_argument("--alpha", type=float, default=0.5, help="poet balance: P(poet) ∝ lines ** alpha")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lora-rank", type=int, default=16)
    p.add_argument("--lora-alpha", type=float, default=32.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint-dir", default="checkpoints/verse-smollm2-poets")
    p.add_argument("--checkpoint-every", type=int, default=20)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--max-minutes", type=float, help="stop after this long (the model is still saved)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = "python -m training.verse_smollm2 " + shlex.join(sys.argv[1:] if argv is None else argv)
    train(args, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
