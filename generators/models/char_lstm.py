"""The classic char-RNN (embedding -> multi-layer LSTM -> linear) and its step model.

Storage: `config.json` ("quill_arch": "char_lstm", the hyper-parameters, the vocabulary as a list of characters)
and `model.safetensors` (weights stored in float16, loaded as float32). Characters outside the vocabulary fold to
their accent-free form when that is in it (é -> e), else to a space (else to id 0).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from .char_vocab import CharVocabulary

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")  # raised by mkldnn.flags()


def no_onednn():
    """Switches oneDNN off: on CPU it makes LSTM steps ~8x slower (0.5 vs 4 ms for 2x512) and training 2x slower.

    Batched scoring without gradients (`nats`) is faster WITH it (4.7 vs 7.4 s for 111k characters), so it stays on.
    """
    return torch.backends.mkldnn.flags(enabled=False)


@dataclass
class CharLSTMConfig:
    vocab_size: int
    n_embd: int = 64
    n_hidden: int = 512
    n_layer: int = 2
    dropout: float = 0.2  # between LSTM layers and before the output layer


class CharLSTM(nn.Module):
    def __init__(self, config: CharLSTMConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.n_embd)
        dropout = config.dropout if config.n_layer > 1 else 0.0
        self.lstm = nn.LSTM(config.n_embd, config.n_hidden, config.n_layer, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.n_hidden, config.vocab_size)

    def forward(self, idx: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None):
        """idx [B, T] -> logits [B, T, V], (h, c) each [L, B, H]."""
        x = self.embed(idx)  # [B, T, E]
        out, state = self.lstm(x, state)  # [B, T, H]
        return self.head(self.drop(out)), state  # [B, T, V]

    @torch.no_grad()
    def nats(self, ids: torch.Tensor, chunk: int = 2048, warmup: int = 256, span: int = 512) -> float:
        """Total NLL (nats) of ids[1:], each given what precedes it; ids [N].

        Long sequences run as parallel rows of `chunk` predictions, each row first reading the `warmup` ids before
        its chunk (not scored), so the result is exact when N - 1 <= chunk and very close otherwise. Rows advance
        `span` positions at a time, carrying the LSTM state, to bound memory.
        """
        n = len(ids) - 1  # predictions
        begins = [max(0, s - warmup) for s in range(0, n, chunk)]
        ends = [min(s + chunk, n) for s in range(0, n, chunk)]
        width = max(e - b for b, e in zip(begins, ends))
        inputs = torch.zeros(len(begins), width, dtype=torch.long, device=ids.device)  # [R, W]
        targets = torch.zeros_like(inputs)  # [R, W]
        scored = torch.zeros_like(inputs, dtype=torch.bool)  # [R, W]
        for r, (b, s, e) in enumerate(zip(begins, range(0, n, chunk), ends)):
            inputs[r, : e - b] = ids[b:e]
            targets[r, : e - b] = ids[b + 1 : e + 1]
            scored[r, s - b : e - b] = True
        total, state = 0.0, None
        for t in range(0, width, span):
            logits, state = self(inputs[:, t : t + span], state)  # [R, span, V]
            nll = F.cross_entropy(logits.transpose(1, 2).float(), targets[:, t : t + span], reduction="none")
            total += nll[scored[:, t : t + span]].sum().item()
        return total


@dataclass
class LSTMState:
    h: torch.Tensor  # [L, B, H]
    c: torch.Tensor  # [L, B, H]


class CharLSTMStepModel(CharVocabulary):
    """A CharLSTM as a step model: one character per step, the state is the LSTM's (h, c) per row."""

    eos_token_id = None
    suppressed_token_ids = ()

    def __init__(self, model: CharLSTM, vocab: Sequence[str]):
        if len(vocab) != model.config.vocab_size:
            raise ValueError(f"the vocabulary has {len(vocab)} characters but the model {model.config.vocab_size}")
        self.model = model.eval()
        self.set_vocabulary(vocab)

    @property
    def device(self) -> torch.device:
        return self.model.head.weight.device

    # -- storage --------------------------------------------------------------------------------------------------

    def save_pretrained(self, directory: str | Path, dtype: torch.dtype = torch.float16) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "quill_arch": "char_lstm",
            **asdict(self.model.config),
            "torch_dtype": str(dtype).removeprefix("torch."),
            "unknown_char_fallback": self.vocab[self.fallback_id],
            "vocab": self.vocab,
        }
        (directory / CONFIG_NAME).write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n")
        tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in self.model.state_dict().items()}
        save_file(tensors, str(directory / WEIGHTS_NAME), metadata={"format": "pt"})

    @classmethod
    def from_pretrained(cls, directory: str | Path, device: str | torch.device = "cpu") -> CharLSTMStepModel:
        directory = Path(directory)
        config = json.loads((directory / CONFIG_NAME).read_text())
        if config.get("quill_arch") != "char_lstm":
            raise ValueError(f"{directory} holds a {config.get('quill_arch')!r} model, not a char_lstm model")
        model = CharLSTM(CharLSTMConfig(**{f.name: config[f.name] for f in fields(CharLSTMConfig)}))
        tensors = load_file(str(directory / WEIGHTS_NAME))
        model.load_state_dict({k: v.float() for k, v in tensors.items()})
        return cls(model.to(device), config["vocab"])

    # -- text -----------------------------------------------------------------------------------------------------


    def nats_on(self, text: str) -> float:
        """Total teacher-forced negative log-likelihood (nats) of every character of `text` after the first."""
        ids = torch.tensor(self.encode(text), device=self.device)  # [N]
        return self.model.nats(ids)  # oneDNN on: faster for this batched pass

    # -- step-model contract --------------------------------------------------------------------------------------

    def start(self, prompt: str | Sequence[int]) -> tuple[LSTMState, list[int]]:
        """Runs all prompt characters but the last through the LSTM; an empty prompt starts from a newline."""
        ids = self.encode(prompt) if isinstance(prompt, str) else [int(i) for i in prompt]
        if any(not 0 <= i < self.vocab_size for i in ids):
            raise ValueError(f"token ids must lie in [0, {self.vocab_size})")
        ids = ids or self.encode("\n")
        cfg = self.model.config
        h = torch.zeros(cfg.n_layer, 1, cfg.n_hidden, device=self.device)  # [L, 1, H]
        state = LSTMState(h, torch.zeros_like(h))
        if len(ids) > 1:
            with torch.inference_mode(), no_onednn():
                prefix = torch.tensor([ids[:-1]], device=self.device)  # [1, T-1]
                _, (state.h, state.c) = self.model.lstm(self.model.embed(prefix), (state.h, state.c))
        return state, ids

    def start_batch(self, prompts: Sequence[str | Sequence[int]]) -> tuple[LSTMState, list[list[int]]]:
        """Row i serves prompts[i]: each prompt is read on its own (no padding to get wrong), states stacked."""
        started = [self.start(prompt) for prompt in prompts]
        state = LSTMState(torch.cat([s.h for s, _ in started], dim=1), torch.cat([s.c for s, _ in started], dim=1))
        return state, [ids for _, ids in started]

    def step(self, state: LSTMState, last_tokens: torch.Tensor):
        with torch.inference_mode(), no_onednn():
            logits, (h, c) = self.model(last_tokens.to(self.device)[:, None], (state.h, state.c))  # [B, 1, V]
        return torch.log_softmax(logits[:, -1].float(), dim=-1), LSTMState(h, c), None  # [B, V]

    def reorder(self, state: LSTMState, index: torch.Tensor) -> LSTMState:
        index = index.to(state.h.device)
        return LSTMState(state.h.index_select(1, index), state.c.index_select(1, index))
