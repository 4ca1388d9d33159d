"""Tiny randomly initialised transformers models and tokenizers, built from configs (never downloaded)."""

from __future__ import annotations

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    GPT2Config,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
    MarianConfig,
    MarianMTModel,
    PreTrainedTokenizerFast,
)

# A few lines written for these tests (not from any corpus).
TEXT = [
    "The quick brown fox jumps over the lazy dog near the quiet river bank.",
    "A small model can still write a line or two when the weights are kind.",
    "Rain on the roof, a candle on the table, and a cat asleep by the door.",
    "Numbers like 42 and 1999 appear now and then, with punctuation: yes!",
    "Le chat dort sur la table et la pluie tombe sur le toit de la maison.",
]


# ChatML, the format SmolLM2's own template writes (written here, not copied from any model).
CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] }}"
    "{% if not (loop.last and continue_final_message) %}{{ '<|im_end|>\n' }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def byte_level_tokenizer(vocab_size: int = 300, chat: bool = False) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on TEXT; `chat`: ChatML special tokens and template, <|im_end|> as eos."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] if chat else ["<|endoftext|>"]
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(TEXT, trainer)
    if not chat:
        return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>")
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", bos_token="<|im_start|>",
                                        pad_token="<|endoftext|>")
    tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


def tiny_llama(vocab_size: int, eos_token_id: int, seed: int = 0) -> LlamaForCausalLM:
    """SmolLM2's architecture in miniature: grouped-query attention, tied embeddings, RoPE."""
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=256, tie_word_embeddings=True, bos_token_id=1,
        eos_token_id=eos_token_id, pad_token_id=0,
    )
    model = LlamaForCausalLM(config).eval()
    model.generation_config.eos_token_id = eos_token_id
    model.generation_config.pad_token_id = 0
    return model


def save_tiny_llama_dir(folder) -> None:
    """A local chat model directory: tiny random Llama with a byte-level BPE tokenizer and a ChatML template."""
    tokenizer = byte_level_tokenizer(chat=True)
    model = tiny_llama(len(tokenizer), tokenizer.convert_tokens_to_ids("<|im_end|>"))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def tiny_gpt2(seed: int = 0, vocab_size: int = 300, dtype=torch.float32) -> GPT2LMHeadModel:
    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=vocab_size, n_positions=256, n_embd=32, n_layer=2, n_head=2, bos_token_id=0, eos_token_id=0
    )
    model = GPT2LMHeadModel(config).to(dtype).eval()
    model.generation_config.pad_token_id = 0
    return model


def tiny_marian(seed: int = 0, vocab_size: int = 120) -> MarianMTModel:
    """Marian with eager attention; pad = decoder start = last id and banned from output, as in opus-mt."""
    torch.manual_seed(seed)
    pad = vocab_size - 1
    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=128,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=None,
        attn_implementation="eager",
    )
    model = MarianMTModel(config).eval()
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.pad_token_id = pad
    model.generation_config.decoder_start_token_id = pad
    model.generation_config.eos_token_id = 0
    model.generation_config.num_beams = 1
    model.generation_config.max_length = None
    return model


def save_tiny_gpt2_dir(folder) -> None:
    """A local Hugging Face model directory: tiny GPT-2 with its byte-level BPE tokenizer."""
    tokenizer = byte_level_tokenizer()
    model = tiny_gpt2(vocab_size=len(tokenizer))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def save_tiny_marian_dir(folder) -> None:
    """A local Marian directory: sentencepiece models trained on TEXT, a vocab.json, a tiny random model."""
    import io
    import json
    from pathlib import Path

    import sentencepiece as spm
    from transformers import MarianTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TEXT * 4), model_writer=buffer, vocab_size=60, model_type="unigram",
        character_coverage=1.0, bos_id=-1, eos_id=-1, unk_id=0, pad_id=-1, minloglevel=2,
    )
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(buffer.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=buffer.getvalue())
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"), source_lang="en", target_lang="fr",
    )
    tokenizer.save_pretrained(folder)
    model = tiny_marian(vocab_size=len(vocab))
    model.save_pretrained(folder)


# Verse written for these tests (not from any corpus), in the planned-line format the SmolLM2 poet reads.
VERSE_TEXT = [
    "Poet: John Keats\n[10 light] The lantern sways above the silver light,\n[10 night] And all the garden"
    " listens to the night.\n",
    "Poet: Emily Dickinson\n[8 sea] I saw a boat upon the sea\n[8 me] It never waited long for me\n",
    "The river runs, the willow bends, the moon is bright and white and round.",
    "A bird, a stone, a quiet bell; the day is done, the fire is low 🔥.",
]


def verse_tokenizer(vocab_size: int = 400) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on VERSE_TEXT (words with a leading space, a newline token, an emoji's bytes)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(VERSE_TEXT, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>")


class RandomScores:
    """A step model of random log-probabilities over a vocabulary: what a constraint alone keeps in shape.
    `decode`: ids -> text (the line-end id left out)."""

    def __init__(self, vocab_size: int, eos_token_id: int, decode):
        self.vocab_size, self.eos_token_id, self.suppressed_token_ids = vocab_size, eos_token_id, []
        self._decode = decode

    def start(self, ids):
        return torch.Generator().manual_seed(len(ids)), list(ids)

    def step(self, g, last):
        return torch.log_softmax(torch.randn(len(last), self.vocab_size, generator=g), -1), g, None

    def reorder(self, g, index):
        return g

    def decode(self, ids):
        return self._decode([i for i in ids if i != self.eos_token_id])
