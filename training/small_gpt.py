"""Trains a small GPT-2 from scratch: python -m training.small_gpt --data input.txt --out assets/models/gpt-shakespeare.

A byte-level BPE tokenizer (the `tokenizers` library) learnt on the training split only, then a
`transformers` GPT2LMHeadModel on random windows of it (AdamW, warm-up, cosine decay). The output folder is a plain
Hugging Face model (AutoModelForCausalLM / AutoTokenizer). Validation loss is per CHARACTER (total nats over the
held-out text / its characters), so it compares with the character models. Resumable with `--resume`.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

from generators.lm_scoring import score_text
from generators.models.hf_causal import HFCausalStepModel

from .char_lstm import resumed_note
from .gpt_loop import make_optimizer, train_steps
from .shakespeare import data_card, read_split

EOT = "<|endoftext|>"


def train_tokenizer(text: str, vocab_size: int) -> PreTrainedTokenizerFast:
    """Byte-level BPE learnt on `text` (line by line), with <|endoftext|> as id 0 (bos = eos)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(text.splitlines(keepends=True), trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=EOT, eos_token=EOT)


def build_model(args, vocab_size: int, eot_id: int) -> GPT2LMHeadModel:
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=args.block_size,
        n_embd=args.n_embd,
        n_layer=args.n_layer,
        n_head=args.n_head,
        resid_pdrop=args.dropout,
        embd_pdrop=args.dropout,
        attn_pdrop=args.dropout,
        bos_token_id=eot_id,
        eos_token_id=eot_id,
    )
    model = GPT2LMHeadModel(config)
    model.generation_config = GenerationConfig(
        bos_token_id=eot_id, eos_token_id=eot_id, pad_token_id=eot_id, do_sample=True, top_k=50, max_new_tokens=100
    )
    return model


def batch_at(ids: torch.Tensor, step: int, args) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows of step `step` (its own seeded generator, so a resumed run draws the same ones): [B, T] x2."""
    g = torch.Generator().manual_seed(args.seed * 1_000_003 + step)
    starts = torch.randint(len(ids) - args.block_size - 1, (args.batch_size,), generator=g)  # [B]
    rows = starts[:, None] + torch.arange(args.block_size + 1)  # [B, T+1]
    window = ids[rows.to(ids.device)]  # [B, T+1]
    return window[:, :-1], window[:, 1:]


def evaluate(model, tokenizer, text: str) -> float:
    """Nats per character of `text` (sliding windows, every character after the first token scored)."""
    model.eval()
    with torch.inference_mode():
        return score_text(HFCausalStepModel(model, tokenizer), text).nats_per_char


def model_card(model, tokenizer, args, meta: dict, nats: float, train: str, val: str, size_bytes: int) -> str:
    cfg = model.config
    n_params = model.num_parameters()
    chars_per_token = len(val) / len(tokenizer(val, verbose=False)["input_ids"])
    rows = "\n".join(
        f"| {h['step']} | {h['train_nats_per_token']:.4f} | {h['val_nats_per_char']:.4f} | "
        f"{h['val_nats_per_char'] / math.log(2):.4f} |"
        for h in meta["history"]
    )
    tokens = args.steps * args.batch_size * args.block_size
    return f"""# gpt-shakespeare — small GPT-2 trained from scratch

A {cfg.n_layer}-layer GPT-2 (`transformers` GPT2LMHeadModel: {cfg.n_embd} wide, {cfg.n_head} heads, context
{cfg.n_positions} tokens) with its own byte-level BPE tokenizer of {cfg.vocab_size:,} tokens. Loads with
`AutoModelForCausalLM.from_pretrained` and `AutoTokenizer.from_pretrained`.

{data_card(train, val, "tokenizer")}
## Command

```
{meta["command"]}
```
{resumed_note(meta)}
## Model and training

- tokenizer: byte-level BPE (`tokenizers`), learnt on the training split only; `<|endoftext|>` (id
  {cfg.eos_token_id}) is bos, eos and pad; {chars_per_token:.2f} characters per token on the validation text.
- {n_params:,} parameters (input and output embeddings tied), float32 `model.safetensors` ({size_bytes / 1e6:.1f}
  MB); dropout {args.dropout}.
- {args.steps:,} steps of {args.batch_size} random windows of {args.block_size} tokens ({tokens:,} tokens seen);
  AdamW (betas 0.9, 0.95, weight decay {args.weight_decay} on matrices), learning rate warmed up over
  {args.warmup} steps to {args.lr} then cosine-decayed to {args.min_lr}; gradient norm clipped at {args.grad_clip};
  seed {args.seed}.
- training time: {meta["train_seconds"] / 60:.1f} min on {meta["hardware"]} (torch {torch.__version__}).

## Validation

{nats:.4f} nats/char = {nats / math.log(2):.4f} bits/char on the held-out 10%: total negative log-likelihood of
the validation text (every character after its first token, windows of {cfg.n_positions} tokens moving by half a
window) divided by the characters scored — the same figure as the character models' (`generators/lm_scoring.py`).

| step | train nats/token (last batch) | val nats/char | val bits/char |
|---|---|---|---|
{rows}
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training.small_gpt", description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="the corpus, a UTF-8 text file")
    p.add_argument("--out", required=True, help="folder for the Hugging Face model, tokenizer and README.md")
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0 = torch's default)")
    p.add_argument("--vocab-size", type=int, default=2048)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=256)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--block-size", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--checkpoint-every", type=int, default=50)
    p.add_argument("--checkpoint-dir", default="checkpoints/gpt-shakespeare")
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint-dir")
    p.add_argument("--stop-at", type=int, default=0, help="checkpoint and exit at this step (0 = run to --steps)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    command = "python -m training.small_gpt " + shlex.join(sys.argv[1:] if argv is None else argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    train, val = read_split(args.data)
    tokenizer = train_tokenizer(train, args.vocab_size)
    model = build_model(args, len(tokenizer), tokenizer.eos_token_id).to(device)
    train_ids = torch.tensor(tokenizer(train, verbose=False)["input_ids"], device=device)  # [N]
    optimizer = make_optimizer(model, args)

    def record(done: int, train_loss: float, meta: dict, bar) -> None:
        val_nats = evaluate(model, tokenizer, val)
        meta["history"].append({"step": done, "train_nats_per_token": train_loss, "val_nats_per_char": val_nats})
        bar.write(f"step {done}: train {train_loss:.4f} nats/token, val {val_nats:.4f} nats/char")

    meta = train_steps(model, optimizer, args, command, device, lambda step: batch_at(train_ids, step, args),
                       record, desc=f"{len(train_ids):,} tokens")
    if meta is None:
        return
    out = Path(args.out)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    size = (out / "model.safetensors").stat().st_size
    nats = evaluate(GPT2LMHeadModel.from_pretrained(out).to(device), tokenizer, val)  # as shipped
    (out / "README.md").write_text(model_card(model, tokenizer, args, meta, nats, train, val, size))
    minutes = round(meta["train_seconds"] / 60, 1)
    print(json.dumps({"out": str(out), "val_nats_per_char": round(nats, 4), "bytes": size, "minutes": minutes}))


if __name__ == "__main__":
    main()
