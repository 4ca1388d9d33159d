"""Trains the RNN encoder-decoder with Bahdanau attention (teacher forcing) on Tatoeba en->fr.

    python -m training.translation_rnn --train ../shared/data/tatoeba_eng_fra/train.eng-fra.tsv \
        --dev ../shared/data/tatoeba_eng_fra/dev.eng-fra.tsv --out assets/models/rnn-attention-en-fr --seed 1234

One joint sentencepiece model (unigram) is trained on the training pairs; batches hold sentences of similar
length; label-smoothed cross-entropy; Adam with a decaying learning rate; early stopping on dev BLEU (greedy,
sacrebleu). Resumable from `--checkpoint-dir` (safetensors + json). Keeps the best dev-BLEU model.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shlex
import sys
import time
from pathlib import Path

import sentencepiece as spm
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from tqdm import tqdm

from generators.decoding import DecodingConfig, generate
from generators.models.rnn_seq2seq import RNNSeq2Seq, RNNSeq2SeqConfig, RNNSeq2SeqStepModel

from .byte_fallback import grown_embeddings, with_byte_fallback
from .lexicon_augment import add_lexicon_arguments, lexicon_of
from .tatoeba import add_extra_arguments, data_card, read_pairs, with_extra_pairs
from .translation_distill import teacher_targets, trainer_epoch_pairs


def train_tokenizer(pairs, vocab_size: int, seed: int) -> spm.SentencePieceProcessor:
    sentences = [s for pair in pairs for s in pair]
    random.Random(seed).shuffle(sentences)
    spm.set_random_generator_seed(seed)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=buffer, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, pad_id=0, bos_id=1, eos_id=2, unk_id=3, minloglevel=2,
        input_sentence_size=200_000, shuffle_input_sentence=True,
    )
    return spm.SentencePieceProcessor(model_proto=buffer.getvalue())


def encode_pairs(tokenizer, pairs, max_len: int) -> list[tuple[list[int], list[int]]]:
    """[(source ids + EOS, target ids + EOS)], dropping pairs longer than max_len on either side."""
    eos = tokenizer.eos_id()
    sources = tokenizer.encode([en for en, _ in pairs])
    targets = tokenizer.encode([fr for _, fr in pairs])
    return [(s + [eos], t + [eos]) for s, t in zip(sources, targets) if len(s) < max_len and len(t) < max_len]


def batches(examples, tokens_per_batch: int, rng: random.Random, pad: int, bos: int):
    """Length-bucketed batches: src [B, S], tgt_in [B, T] (BOS + target), tgt_out [B, T] (target + EOS)."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][1]), rng.random()))
    groups, current, longest = [], [], 0
    for i in order:
        longest = max(longest, len(examples[i][1]), len(examples[i][0]))
        if current and longest * (len(current) + 1) > tokens_per_batch:
            groups.append(current)
            current, longest = [], max(len(examples[i][1]), len(examples[i][0]))
        current.append(i)
    if current:
        groups.append(current)
    rng.shuffle(groups)
    for group in groups:
        src_len = max(len(examples[i][0]) for i in group)
        tgt_len = max(len(examples[i][1]) for i in group)
        src = torch.full((len(group), src_len), pad)
        tgt_in = torch.full((len(group), tgt_len), pad)
        tgt_out = torch.full((len(group), tgt_len), pad)
        for row, i in enumerate(group):
            s, t = examples[i]
            src[row, : len(s)] = torch.tensor(s)
            tgt_out[row, : len(t)] = torch.tensor(t)
            tgt_in[row, : len(t)] = torch.tensor([bos] + t[:-1])
        yield src, tgt_in, tgt_out


def with_byte_pieces(step_model: RNNSeq2SeqStepModel) -> RNNSeq2SeqStepModel:
    """The model with 256 byte pieces added to its tokenizer and as many embedding rows (and output biases), which
    start at the mean embedding plus noise; the existing pieces keep their ids and weights."""
    proto = with_byte_fallback(step_model.tokenizer.serialized_model_proto())
    tokenizer = spm.SentencePieceProcessor(model_proto=proto)
    old_model, new_size = step_model.model, tokenizer.get_piece_size()
    if new_size == old_model.config.vocab_size:
        return step_model
    config = RNNSeq2SeqConfig(**{**old_model.config.__dict__, "vocab_size": new_size})
    model = RNNSeq2Seq(config)
    state = {k: v for k, v in old_model.state_dict().items() if k != "head.weight"}
    old = old_model.config.vocab_size
    state["embed.weight"] = grown_embeddings(state["embed.weight"], new_size)  # [V_old, E] -> [V_old + 256, E]
    bias = state["head.bias"]  # [V_old]
    state["head.bias"] = torch.cat([bias, bias.mean().expand(new_size - old)])
    state["head.weight"] = state["embed.weight"]
    model.load_state_dict(state)
    model.head.weight = model.embed.weight
    return RNNSeq2SeqStepModel(model, tokenizer)


def dev_bleu(step_model, pairs, limit: int) -> float:
    import sacrebleu

    model = step_model.model
    model.eval()
    hypotheses = [generate(step_model, en, DecodingConfig(max_new_tokens=80)).best.text for en, _ in pairs[:limit]]
    model.train()
    return sacrebleu.corpus_bleu(hypotheses, [[fr for _, fr in pairs[:limit]]]).score


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--n-embd", type=int, default=256)
    parser.add_argument("--n-hidden", type=int, default=512)
    parser.add_argument("--n-attn", type=int, default=256)
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--max-len", type=int, default=48)
    parser.add_argument("--tokens-per-batch", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--lr-decay", type=float, default=0.7, help="multiplied in when dev BLEU stops rising")
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--dev-bleu-limit", type=int, default=600)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--checkpoint-dir", default="checkpoints/rnn-attention-en-fr")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--init-from", help="a model folder built by this command: continue training its weights "
                        "and keep its sentencepiece model and architecture (a fresh optimizer)")
    parser.add_argument("--byte-fallback", action="store_true", help="add byte pieces so any character is spelt")
    parser.add_argument("--copy-augment", type=float, default=0.0, help="fraction of pairs with names swapped")
    parser.add_argument("--concat-augment", type=float, default=0.0,
                        help="fraction of pairs joined to another pair (longer inputs)")
    add_lexicon_arguments(parser)
    parser.add_argument("--distilled", help="a teacher's translations of --train (training/translation_distill.py)")
    parser.add_argument("--distilled-share", type=float, default=1.0,
                        help="fraction of pairs trained on the teacher's French instead of the reference, each epoch")
    add_extra_arguments(parser)
    parser.add_argument("--distilled-keep-copies", action="store_true",
                        help="the reference where the teacher's French drops a name or number it carries over")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.time()

    train_pairs, dev_pairs = read_pairs(args.train), read_pairs(args.dev)
    lexicon = lexicon_of(args)
    teacher = teacher_targets(args.distilled, train_pairs, args.distilled_keep_copies) if args.distilled else []
    train_pairs, teacher = with_extra_pairs(train_pairs, teacher, args.extra, args.extra_repeat)
    if args.init_from:
        step_model = RNNSeq2SeqStepModel.from_pretrained(args.init_from)
        tokenizer, model, config = step_model.tokenizer, step_model.model.to(args.device), step_model.model.config
    else:
        tokenizer = train_tokenizer(train_pairs, args.vocab_size, args.seed)
        config = RNNSeq2SeqConfig(vocab_size=tokenizer.get_piece_size(), n_embd=args.n_embd, n_hidden=args.n_hidden,
                                  n_attn=args.n_attn, dropout=args.dropout)
        model = RNNSeq2Seq(config).to(args.device)
        step_model = RNNSeq2SeqStepModel(model, tokenizer)
    if args.byte_fallback:
        step_model = with_byte_pieces(step_model)
        tokenizer, model, config = step_model.tokenizer, step_model.model.to(args.device), step_model.model.config
    model.requires_grad_(True)
    train = encode_pairs(tokenizer, train_pairs, args.max_len)
    dev = encode_pairs(tokenizer, dev_pairs, args.max_len)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    checkpoints = Path(args.checkpoint_dir)
    progress = {"epoch": 0, "best_bleu": -1.0, "bad_epochs": 0, "lr": args.lr, "history": []}
    if args.resume and (checkpoints / "progress.json").exists():
        progress = json.loads((checkpoints / "progress.json").read_text())
        model.load_state_dict(load_file(checkpoints / "last.safetensors"), strict=False)
        model.head.weight = model.embed.weight
    print(f"{len(train):,} training pairs, {len(dev):,} dev pairs, vocabulary {config.vocab_size}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters", file=sys.stderr)

    while progress["epoch"] < args.epochs and progress["bad_epochs"] < args.patience:
        epoch = progress["epoch"]
        for group in optimizer.param_groups:
            group["lr"] = progress["lr"]
        model.train()
        rng = random.Random(args.seed * 1000 + epoch)
        pairs = trainer_epoch_pairs(args, train_pairs, teacher, lexicon, rng)
        if pairs is not None:
            train = encode_pairs(tokenizer, pairs, args.max_len)
        total, count = 0.0, 0
        bar = tqdm(list(batches(train, args.tokens_per_batch, rng, config.pad_id, config.bos_id)),
                   desc=f"epoch {epoch + 1}", unit="batch")
        for src, tgt_in, tgt_out in bar:
            src, tgt_in, tgt_out = src.to(args.device), tgt_in.to(args.device), tgt_out.to(args.device)
            logits, _ = model(src, tgt_in)  # [B, T, V]
            loss = F.cross_entropy(logits.transpose(1, 2), tgt_out, ignore_index=config.pad_id,
                                   label_smoothing=args.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            total, count = total + loss.item(), count + 1
            bar.set_postfix(loss=f"{total / count:.3f}")
        bleu = dev_bleu(step_model, dev_pairs, args.dev_bleu_limit)
        progress["history"].append({"epoch": epoch + 1, "train_loss": round(total / max(count, 1), 4),
                                    "dev_bleu": round(bleu, 2), "lr": progress["lr"]})
        print(json.dumps(progress["history"][-1]), file=sys.stderr)
        if bleu > progress["best_bleu"]:
            progress["best_bleu"], progress["bad_epochs"] = bleu, 0
            step_model.save_pretrained(args.out)
        else:
            progress["bad_epochs"] += 1
            progress["lr"] *= args.lr_decay
        progress["epoch"] = epoch + 1
        checkpoints.mkdir(parents=True, exist_ok=True)
        save_file({k: v.contiguous() for k, v in model.state_dict().items() if k != "head.weight"},
                  checkpoints / "last.safetensors")
        (checkpoints / "progress.json").write_text(json.dumps(progress))

    minutes = (time.time() - started) / 60
    card = {"command": "python -m training.translation_rnn " + shlex.join(sys.argv[1:] if argv is None else argv),
            "train_pairs": len(train), "dev_pairs": len(dev), "minutes": round(minutes, 1),
            "history": progress["history"], "best_dev_bleu_greedy_subset": round(progress["best_bleu"], 2),
            "data": data_card(len(train_pairs), len(dev_pairs))}
    Path(args.out, "training.json").write_text(json.dumps(card, indent=2))
    print(json.dumps({"best_dev_bleu": card["best_dev_bleu_greedy_subset"], "minutes": card["minutes"]}))


if __name__ == "__main__":
    main()
