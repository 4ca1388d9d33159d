"""Trains a small transformer (the `transformers` Marian architecture, from a config) on Tatoeba en->fr.

    python -m training.translation_marian --train ../shared/data/tatoeba_eng_fra/train.eng-fra.tsv \
        --dev ../shared/data/tatoeba_eng_fra/dev.eng-fra.tsv --out assets/models/marian-small-en-fr --seed 1234

The same joint sentencepiece model as the RNN (same data, vocabulary size and seed), wrapped in a
`MarianTokenizer`; length-bucketed batches; label-smoothed cross-entropy; AdamW with warm-up and inverse-square-root
decay; dev BLEU (greedy, sacrebleu) after every `--eval-every` updates keeps the best model. `--max-minutes` bounds
the run; `--resume` continues from `--checkpoint-dir`. Saved in float16 (loaded back as float32).

Going on from a trained model (how the shipped `transformer-small-en-fr` was improved):

    python -m training.translation_marian ... --init-from assets/models/transformer-small-en-fr --byte-fallback \
        --copy-augment 0.6 --lr 5e-4 --warmup 200 --total-updates 4000 --keep-checkpoints 4

`--byte-fallback` adds 256 byte pieces to the tokenizer (and embedding rows to the model) so that any character
can be read and copied; `--copy-augment P` swaps carried-over names and numbers for invented ones in a fraction P
of the pairs each epoch (training/copy_augment.py); `--total-updates` decays the learning rate linearly to zero
after the warm-up; `--keep-checkpoints K` keeps the weights of the last K dev checks for checkpoint averaging.
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_model, save_model
from tqdm import tqdm

from .byte_fallback import grown_embeddings, with_byte_fallback
from .lexicon_augment import add_lexicon_arguments, lexicon_of
from .tatoeba import add_extra_arguments, data_card, read_pairs, with_extra_pairs
from .translation_distill import teacher_targets, trainer_epoch_pairs
from .translation_rnn import batches, encode_pairs, train_tokenizer


def build_model(vocab_size: int, args):
    from transformers import MarianConfig, MarianMTModel

    pad, eos = 0, 2
    config = MarianConfig(
        vocab_size=vocab_size, d_model=args.d_model, encoder_layers=args.layers, decoder_layers=args.layers,
        encoder_attention_heads=args.heads, decoder_attention_heads=args.heads, encoder_ffn_dim=args.ffn,
        decoder_ffn_dim=args.ffn, max_position_embeddings=256, dropout=args.dropout, attention_dropout=0.0,
        activation_dropout=0.0, activation_function="relu", pad_token_id=pad, eos_token_id=eos,
        decoder_start_token_id=pad, forced_eos_token_id=None, scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
        attn_implementation="sdpa",  # fast to train; Quill's loader switches to eager for the heatmap
    )
    model = MarianMTModel(config)
    generation = model.generation_config
    generation.bad_words_ids = [[pad]]
    generation.pad_token_id, generation.eos_token_id, generation.decoder_start_token_id = pad, eos, pad
    generation.num_beams, generation.max_length = 4, 256
    return model


def marian_tokenizer(spm_bytes: bytes, folder: Path):
    """A MarianTokenizer over the joint sentencepiece model (source.spm = target.spm), saved into `folder`."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    processor = spm.SentencePieceProcessor(model_proto=spm_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "joint.spm").write_bytes(spm_bytes)
        vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
        (Path(tmp) / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
        tokenizer = MarianTokenizer(str(Path(tmp) / "joint.spm"), str(Path(tmp) / "joint.spm"),
                                    str(Path(tmp) / "vocab.json"), source_lang="en", target_lang="fr")
        tokenizer.save_pretrained(folder)
    return tokenizer


def dev_bleu(model, tokenizer, pairs, limit: int, batch_size: int = 64) -> float:
    import sacrebleu

    model.eval()
    hypotheses = []
    with torch.no_grad():
        for start in range(0, min(limit, len(pairs)), batch_size):
            english = [en for en, _ in pairs[start : min(start + batch_size, limit)]]
            inputs = tokenizer(english, return_tensors="pt", padding=True)
            out = model.generate(**inputs, num_beams=1, do_sample=False, max_new_tokens=80)
            hypotheses += tokenizer.batch_decode(out, skip_special_tokens=True)
    model.train()
    return sacrebleu.corpus_bleu(hypotheses, [[fr for _, fr in pairs[:limit]]]).score


def save_half(model, tokenizer_folder: Path, out: str) -> None:
    model.to(torch.float16).save_pretrained(out)
    model.to(torch.float32)
    for file in tokenizer_folder.iterdir():
        (Path(out) / file.name).write_bytes(file.read_bytes())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--d-model", type=int, default=256)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--ffn", type=int, default=1024)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--max-len", type=int, default=48)
    parser.add_argument("--tokens-per-batch", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--eval-every", type=int, default=600, help="updates between dev BLEU checks")
    parser.add_argument("--dev-bleu-limit", type=int, default=600)
    parser.add_argument("--max-minutes", type=float, default=0, help="stop after this long (0: no bound)")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--checkpoint-dir", default="checkpoints/marian-small-en-fr")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--spm", help="use this sentencepiece model (e.g. the RNN's spm.model) instead of training one")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast (CPUs with AVX512-BF16, GPUs)")
    parser.add_argument("--init-from", help="a trained model folder to go on from (its tokenizer is used)")
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
    parser.add_argument("--total-updates", type=int, default=0, help="linear decay to 0 at this update (0: 1/√t)")
    parser.add_argument("--keep-checkpoints", type=int, default=0, help="keep the last K dev-check weights")
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
    spm_tokenizer = _tokenizer(args, train_pairs)
    train = encode_pairs(spm_tokenizer, train_pairs, args.max_len)
    pad = 0
    tokenizer_folder = Path(tempfile.mkdtemp(prefix="quill-marian-tok-"))
    tokenizer = marian_tokenizer(spm_tokenizer.serialized_model_proto(), tokenizer_folder)
    model = _initial_model(args, spm_tokenizer.get_piece_size())
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: _lr_factor(step, args))
    checkpoints = Path(args.checkpoint_dir)
    progress = {"epoch": 0, "updates": 0, "best_bleu": -1.0, "history": []}
    if args.resume and (checkpoints / "progress.json").exists():
        progress = json.loads((checkpoints / "progress.json").read_text())
        load_model(model, checkpoints / "last.safetensors", strict=False)  # tied embeddings are stored once
        for _ in range(progress["updates"]):
            schedule.step()
    print(f"{len(train):,} training pairs, vocabulary {spm_tokenizer.get_piece_size()}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters", file=sys.stderr)

    def checkpoint(train_loss: float) -> None:
        bleu = dev_bleu(model, tokenizer, dev_pairs, args.dev_bleu_limit)
        progress["history"].append({"epoch": progress["epoch"] + 1, "updates": progress["updates"],
                                    "train_loss": round(train_loss, 4), "dev_bleu": round(bleu, 2),
                                    "minutes": round((time.time() - started) / 60, 1)})
        print(json.dumps(progress["history"][-1]), file=sys.stderr)
        if bleu > progress["best_bleu"]:
            progress["best_bleu"] = bleu
            save_half(model, tokenizer_folder, args.out)
        checkpoints.mkdir(parents=True, exist_ok=True)
        save_model(model, str(checkpoints / "last.safetensors"))
        if args.keep_checkpoints:
            save_model(model, str(checkpoints / f"update-{progress['updates']:06d}.safetensors"))
            for old in sorted(checkpoints.glob("update-*.safetensors"))[: -args.keep_checkpoints]:
                old.unlink()
        (checkpoints / "progress.json").write_text(json.dumps(progress))

    out_of_time = False
    model.train()
    finished = False
    while progress["epoch"] < args.epochs and not out_of_time and not finished:
        rng = random.Random(args.seed * 1000 + progress["epoch"])
        pairs = trainer_epoch_pairs(args, train_pairs, teacher, lexicon, rng)
        if pairs is not None:
            train = encode_pairs(spm_tokenizer, pairs, args.max_len)
        total, count = 0.0, 0
        bar = tqdm(list(batches(train, args.tokens_per_batch, rng, pad, pad)),
                   desc=f"epoch {progress['epoch'] + 1}", unit="batch")
        for src, tgt_in, tgt_out in bar:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                logits = model(input_ids=src, attention_mask=(src != pad).long(), decoder_input_ids=tgt_in).logits
            loss = F.cross_entropy(logits.float().transpose(1, 2), tgt_out, ignore_index=pad,
                                   label_smoothing=args.label_smoothing)  # logits [B, T, V]
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            progress["updates"] += 1
            total, count = total + loss.item(), count + 1
            bar.set_postfix(loss=f"{total / count:.3f}")
            out_of_time = args.max_minutes > 0 and time.time() - started > args.max_minutes * 60
            finished = 0 < args.total_updates <= progress["updates"]
            if progress["updates"] % args.eval_every == 0 or out_of_time or finished:
                checkpoint(total / count)
            if out_of_time or finished:
                break
        if not out_of_time and not finished:
            if progress["updates"] % args.eval_every:
                checkpoint(total / max(count, 1))
            progress["epoch"] += 1
            (checkpoints / "progress.json").write_text(json.dumps(progress))

    minutes = (time.time() - started) / 60
    card = {"command": "python -m training.translation_marian " + shlex.join(sys.argv[1:] if argv is None else argv),
            "train_pairs": len(train), "minutes": round(minutes, 1), "history": progress["history"],
            "best_dev_bleu_greedy_subset": round(progress["best_bleu"], 2),
            "data": data_card(len(train_pairs), len(dev_pairs))}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    Path(args.out, "training.json").write_text(json.dumps(card, indent=2))
    print(json.dumps({"best_dev_bleu": card["best_dev_bleu_greedy_subset"], "minutes": card["minutes"]}))


def _tokenizer(args, train_pairs):
    """The sentencepiece model: the initial model's, `--spm`, or one trained here; with byte pieces if asked."""
    import sentencepiece as spm

    if args.init_from:
        proto = Path(args.init_from, "source.spm").read_bytes()
    elif args.spm:
        proto = Path(args.spm).read_bytes()
    else:
        proto = train_tokenizer(train_pairs, args.vocab_size, args.seed).serialized_model_proto()
    return spm.SentencePieceProcessor(model_proto=with_byte_fallback(proto) if args.byte_fallback else proto)


def _initial_model(args, vocab_size: int):
    """A new model from the arguments, or the `--init-from` one (float32), grown to `vocab_size` if needed: new
    rows start at the mean embedding (plus noise), so the byte pieces begin as an average piece."""
    if not args.init_from:
        return build_model(vocab_size, args)
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(args.init_from, dtype=torch.float32, attn_implementation="sdpa")
    old = model.get_input_embeddings().weight.shape[0]
    if vocab_size > old:
        with torch.no_grad():
            model.resize_token_embeddings(vocab_size)
            grown = model.get_input_embeddings().weight  # [V, d], rows old: to be set
            grown.copy_(grown_embeddings(grown[:old], vocab_size))
        model.config.decoder_vocab_size = vocab_size
    return model


def _lr_factor(step: int, args) -> float:
    """Warm-up, then 1/√t — or, with --total-updates, linear decay to zero at that update."""
    warm = (step + 1) / args.warmup
    if args.total_updates:
        return min(warm, max(0.0, (args.total_updates - step) / max(args.total_updates - args.warmup, 1)))
    return min(warm, (args.warmup / (step + 1)) ** 0.5)


if __name__ == "__main__":
    main()
