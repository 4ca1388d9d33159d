"""Trains the poet-conditioned verse model: python -m training.verse_lm --out assets/models/verse-poets.

One small `transformers` GPT-2 over all twelve poets of ../shared/data/poetry (training/poetry.py reads, cleans and
splits them), with a sentencepiece BPE tokenizer learnt on the training split only. Every verse line is its pieces
followed by the `<nl>` token (the end of a line, so the end of a suggestion); a stanza break is one more `<nl>`.
Every training window opens with a poet's control token (`<emily_dickinson>`, ...) followed by that poet's text
from the start of one of their lines, so the model always knows whose verse it continues.

Poets are balanced: a window's poet is drawn with probability proportional to (their training tokens) ** alpha
(alpha 0.5 by default: Longfellow, 30% of the tokens, gets about 20% of the windows, and the smallest poets
several times their raw share). Validation: nats per token of each poet's held-out last 5%, in windows of the
context length that open with the poet's token (every token of the held-out text scored once).
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from pathlib import Path

import sentencepiece as spm
import torch
from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel

from .char_lstm import resumed_note
from .gpt_loop import make_optimizer, train_steps
from .poetry import DEFAULT_DATA, POETS, data_card, poet_token, read_poets
from .verse_lexicon import LEXICON_NAME, corpus_lexicon, write_lexicon

NL = "<nl>"
SPM_NAME = "spiece.model"


def train_tokenizer(lines: list[str], vocab_size: int, seed: int) -> spm.SentencePieceProcessor:
    """Sentencepiece BPE on the training lines; ids: 0 = <unk>, 1 = <nl>, 2.. = the poets' tokens."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="bpe",
        character_coverage=0.9995,
        user_defined_symbols=[NL] + [poet_token(s) for s in POETS],
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        split_digits=True,
        num_threads=1,
        minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


def encode_lines(sp: spm.SentencePieceProcessor, lines: list[str]) -> tuple[list[int], list[int]]:
    """-> (ids of the text, the offsets where a verse line starts); "" lines add a lone <nl>."""
    nl = sp.piece_to_id(NL)
    ids: list[int] = []
    starts: list[int] = []
    for line, pieces in zip(lines, sp.encode(lines), strict=True):
        if line:
            starts.append(len(ids))
            ids.extend(pieces)
        ids.append(nl)
    return ids, starts


class PoetStreams:
    """Every poet's token stream and line starts; draws balanced training windows."""

    def __init__(self, sp, splits: dict, part: str, alpha: float):
        self.slugs = list(POETS)
        self.poet_ids = [sp.piece_to_id(poet_token(s)) for s in self.slugs]
        encoded = [encode_lines(sp, getattr(splits[s], part)) for s in self.slugs]
        self.ids = [torch.tensor(ids) for ids, _ in encoded]
        self.starts = [torch.tensor(starts) for _, starts in encoded]
        sizes = torch.tensor([len(i) for i in self.ids], dtype=torch.float64)
        self.weights = sizes**alpha / (sizes**alpha).sum()

    def batch_at(self, step: int, batch_size: int, block: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
        """[B, T] inputs and targets of training step `step` (its own seeded generator, so resumable)."""
        g = torch.Generator().manual_seed(seed * 1_000_003 + step)
        poets = torch.multinomial(self.weights, batch_size, replacement=True, generator=g).tolist()
        xs, ys = [], []
        for p in poets:
            starts = self.starts[p][self.starts[p] <= len(self.ids[p]) - block]
            s = int(starts[torch.randint(len(starts), (1,), generator=g)])
            text = self.ids[p][s : s + block]  # [T]
            xs.append(torch.cat([torch.tensor([self.poet_ids[p]]), text[:-1]]))
            ys.append(text)
        return torch.stack(xs), torch.stack(ys)


def poet_nats(model, poet_id: int, ids: torch.Tensor, block: int, batch_size: int = 32) -> float:
    """Nats per token of `ids` [N]: windows of `block` tokens, each led by the poet token, every token scored once."""
    chunks = list(torch.split(ids, block))
    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for i in range(0, len(chunks), batch_size):
            group = chunks[i : i + batch_size]
            for length in sorted({len(c) for c in group}):  # only the last chunk may be shorter
                y = torch.stack([c for c in group if len(c) == length])  # [b, L]
                x = torch.cat([torch.full((len(y), 1), poet_id), y[:, :-1]], dim=1)
                logits = model(input_ids=x.to(model.device)).logits.float()  # [b, L, V]
                nll = torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.size(-1)), y.reshape(-1).to(model.device), reduction="sum"
                )
                total, count = total + nll.item(), count + y.numel()
    return total / count


def validation(model, streams: PoetStreams, block: int) -> dict[str, float]:
    """{poet slug: nats/token} plus "macro" (the poets' mean) and "micro" (every token alike)."""
    out, total, count = {}, 0.0, 0
    for slug, pid, ids in zip(streams.slugs, streams.poet_ids, streams.ids, strict=True):
        out[slug] = poet_nats(model, pid, ids, block)
        total, count = total + out[slug] * len(ids), count + len(ids)
    out["macro"] = sum(out[s] for s in streams.slugs) / len(streams.slugs)
    out["micro"] = total / count
    return out


def build_model(args, vocab_size: int, nl_id: int) -> GPT2LMHeadModel:
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=args.block_size,
        n_embd=args.n_embd,
        n_layer=args.n_layer,
        n_head=args.n_head,
        resid_pdrop=args.dropout,
        embd_pdrop=args.dropout,
        attn_pdrop=args.dropout,
        bos_token_id=nl_id,
        eos_token_id=nl_id,
    )
    model = GPT2LMHeadModel(config)
    model.generation_config = GenerationConfig(bos_token_id=nl_id, eos_token_id=nl_id, pad_token_id=nl_id)
    return model


def model_card(model, sp, args, meta: dict, val: dict, splits: dict, streams: PoetStreams, size: int) -> str:
    cfg = model.config
    poet_rows = "\n".join(
        f"| {POETS[s]} | {len(ids):,} | {w:.1%} | {val[s]:.4f} |"
        for s, ids, w in zip(streams.slugs, streams.ids, streams.weights.tolist(), strict=True)
    )
    history = "\n".join(
        f"| {h['step']} | {h['train_nats_per_token']:.4f} | {h['val_macro']:.4f} |" for h in meta["history"]
    )
    tokens = args.steps * args.batch_size * args.block_size
    return f"""# verse-poets — a poet-conditioned verse model

A {cfg.n_layer}-layer GPT-2 (`transformers` GPT2LMHeadModel: {cfg.n_embd} wide, {cfg.n_head} heads, context
{cfg.n_positions} tokens, {model.num_parameters():,} parameters with tied embeddings) over a sentencepiece BPE of
{cfg.vocab_size:,} pieces (`{SPM_NAME}`). A control token per poet leads the context; `<nl>` ends a verse line. It
serves Quill's Verse tab (`generators/verse.py`), where syllable counts and rhymes are enforced while decoding.

## Data and licence

The twelve poets of `../shared/data/poetry` (Project Gutenberg texts via GITenberg, public domain in the USA; see
that folder's SOURCES.md §3), cleaned and split by `training/poetry.py`: lines with digits, lines without a
lowercase letter (titles, numerals, signatures) and bracketed lines are dropped; the last 5% of each poet's lines
(to a stanza break) are held out. The weights are released under the same terms as the texts (public domain).

{data_card(splits)}
## Command

```
{meta["command"]}
```
{resumed_note(meta)}{init_note(args)}
## Training

- tokenizer: sentencepiece BPE learnt on the training lines only; id 0 `<unk>`, id 1 `<nl>`, ids 2–13 the poets.
- poets balanced: a window's poet is drawn with probability ∝ (training tokens) ^ {args.alpha}; each window is
  the poet token then {args.block_size - 1} tokens of that poet from the start of a line.
- {args.steps:,} steps of {args.batch_size} windows of {args.block_size} tokens ({tokens:,} tokens seen); AdamW
  (betas 0.9, 0.95, weight decay {args.weight_decay}), learning rate warmed up over {args.warmup} steps to
  {args.lr} then cosine-decayed to {args.min_lr}; gradient norm clipped at {args.grad_clip}; dropout
  {args.dropout}; seed {args.seed}.
- training time: {meta["train_seconds"] / 60:.1f} min on {meta["hardware"]} (torch {torch.__version__}).
- `model.safetensors`: {size / 1e6:.1f} MB (float32).

## Validation (held-out last 5% of each poet)

Nats per token (sentencepiece token) of the shipped weights; windows of {cfg.n_positions} tokens led by the
poet's token, every held-out token scored once.

| poet | held-out tokens | share of training windows | validation nats/token |
|---|---|---|---|
{poet_rows}

Mean over poets: **{val["macro"]:.4f}** nats/token; over all held-out tokens alike: {val["micro"]:.4f}.

| step | train nats/token (last batch) | validation nats/token (mean over poets) |
|---|---|---|
{history}
"""


def init_note(args) -> str:
    if not args.init_from:
        return ""
    return (f"\nThe run started from the weights and tokenizer in `{args.init_from}` (an earlier run of this command; "
            "its own card is in the repository's history), with a fresh optimizer and learning-rate schedule.\n")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training.verse_lm", description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="folder of <poet>.txt files")
    p.add_argument("--out", required=True, help="folder for config.json, model.safetensors, spiece.model, README.md")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=1, help="CPU threads (the machine is shared)")
    p.add_argument("--vocab-size", type=int, default=4096)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=256)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--block-size", type=int, default=128)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--alpha", type=float, default=0.5, help="poet balance: P(poet) ∝ tokens ** alpha")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch-size", type=int, default=24)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr", type=float, default=2e-4)
    p.add_argument("--warmup", type=int, default=60)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--checkpoint-every", type=int, default=100)
    p.add_argument("--checkpoint-dir", default="runs/verse-poets/checkpoint")
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --checkpoint-dir")
    p.add_argument("--stop-at", type=int, default=0, help="checkpoint and exit at this step (0 = run to --steps)")
    p.add_argument("--init-from", help="a verse model folder to go on training (its tokenizer and weights; the "
                   "architecture flags are then ignored)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    command = "python -m training.verse_lm " + shlex.join(sys.argv[1:] if argv is None else argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    splits = read_poets(args.data)
    if args.init_from:  # go on training a model built by this command: its tokenizer, its weights
        sp = spm.SentencePieceProcessor(model_file=str(Path(args.init_from) / SPM_NAME))
        model = GPT2LMHeadModel.from_pretrained(args.init_from, use_safetensors=True).float()
    else:
        sp = train_tokenizer([x for s in splits.values() for x in s.train if x], args.vocab_size, args.seed)
        model = build_model(args, sp.get_piece_size(), sp.piece_to_id(NL))
    train = PoetStreams(sp, splits, "train", args.alpha)
    val = PoetStreams(sp, splits, "val", args.alpha)
    optimizer = make_optimizer(model, args)
    n_tokens = sum(len(i) for i in train.ids)

    def record(done: int, train_loss: float, meta: dict, bar) -> None:
        scores = validation(model, val, args.block_size)
        meta["history"].append({"step": done, "train_nats_per_token": train_loss, "val_macro": scores["macro"]})
        bar.write(f"step {done}: train {train_loss:.4f}, val {scores['macro']:.4f} nats/token (poets' mean)")

    meta = train_steps(model, optimizer, args, command, torch.device("cpu"),
                       lambda step: train.batch_at(step, args.batch_size, args.block_size, args.seed),
                       record, desc=f"{n_tokens:,} tokens")
    if meta is None:
        return
    out = Path(args.out)
    model.save_pretrained(out)
    (out / SPM_NAME).write_bytes(sp.serialized_model_proto())
    config = json.loads((out / "config.json").read_text())
    config.update(
        quill_arch="poet_gpt2",
        poets=list(POETS.values()),
        poet_tokens=[poet_token(s) for s in POETS],
        newline_token=NL,
        tokenizer_file=SPM_NAME,
        lexicon_file=LEXICON_NAME,
    )
    write_lexicon(corpus_lexicon(splits), out)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    size = (out / "model.safetensors").stat().st_size
    shipped = GPT2LMHeadModel.from_pretrained(out)
    scores = validation(shipped, val, args.block_size)
    (out / "README.md").write_text(model_card(model, sp, args, meta, scores, splits, val, size))
    summary = {"out": str(out), "val_nats_per_token": {k: round(v, 4) for k, v in scores.items()}, "bytes": size}
    print(json.dumps({**summary, "minutes": round(meta["train_seconds"] / 60, 1)}))


if __name__ == "__main__":
    main()
