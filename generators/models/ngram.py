"""Character n-gram language model (interpolated modified Kneser-Ney) as a step model.

The model is fully determined by the highest-order counts: order k < n uses continuation counts (how many distinct
characters precede each k-gram), derived from the distinct (k+1)-grams, so only the top-order table is stored.
Characters are ids 0..V-1; an n-gram's key is its ids read as a base-V number (leftmost most significant), so
V**order must stay below 2**63 (order <= 10 for V = 65). Contexts in the state are left-padded with -1 (before
the start), and orders whose context reaches into the padding are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

from .char_vocab import CharVocabulary

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
MIN_DISCOUNT = 0.1  # floor, so every seen context leaves mass for its lower order even on degenerate data


def count_ngrams(ids: np.ndarray, order: int, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """ids [T] -> distinct n-gram keys [G] (sorted) and their raw counts [G]."""
    keys = np.zeros(len(ids) - order + 1, dtype=np.int64)
    for j in range(order):
        keys = keys * vocab_size + ids[j : len(ids) - order + 1 + j]
    return np.unique(keys, return_counts=True)


def estimate_discounts(counts: np.ndarray) -> list[float]:
    """Chen & Goodman's modified-KN discounts [D1, D2, D3+] from the counts-of-counts of one order."""
    n = [np.count_nonzero(counts == c) for c in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] + 2 * n[1] else 0.5
    out = []
    for c in (1, 2, 3):
        d = c - (c + 1) * y * n[c] / n[c - 1] if n[c - 1] else y
        out.append(round(float(np.clip(d, MIN_DISCOUNT, c)), 6))
    return out


@dataclass
class _Order:
    """Tables of order k: n-grams of k chars = a (k-1)-char context + the next char, grouped by context."""

    contexts: np.ndarray  # [C] int64 sorted context keys
    starts: np.ndarray  # [C + 1] offsets of each context's n-grams
    chars: np.ndarray  # [G] int64 next-char ids
    kept: np.ndarray  # [G] float64 counts after discounting, max(c - D(c), 0) / total of the context
    backoff: np.ndarray  # [C] float64 share of the context's mass given to the lower order

    @classmethod
    def build(cls, keys: np.ndarray, counts: np.ndarray, discounts: Sequence[float], vocab_size: int) -> _Order:
        contexts, first = np.unique(keys // vocab_size, return_index=True)
        starts = np.append(first, len(keys))
        d = np.array([0.0, *discounts])[np.minimum(counts, 3)]  # [G]
        kept = np.maximum(counts - d, 0.0)
        totals = np.add.reduceat(counts.astype(np.float64), first)  # [C]
        backoff = 1.0 - np.add.reduceat(kept, first) / totals
        kept /= np.repeat(totals, np.diff(starts))
        return cls(contexts, starts, keys % vocab_size, kept, backoff)


class NGramStepModel(CharVocabulary):
    """Interpolated modified Kneser-Ney character model; the state is the recent context of each row."""

    eos_token_id = None
    suppressed_token_ids = ()
    device = torch.device("cpu")

    def __init__(
        self,
        vocab: Sequence[str],
        order: int,
        ngrams: np.ndarray,  # [G, order] char ids of the distinct top-order n-grams
        counts: np.ndarray,  # [G] their raw counts
        discounts: Sequence[Sequence[float]] | None = None,  # [order][3]: D1, D2, D3+ of orders 1..n
        cache_size: int = 200_000,
    ):
        self.set_vocabulary(vocab)
        V = self.vocab_size
        self.order = order
        if V**order >= 2**63:
            raise ValueError(f"order {order} is too high for {V} characters: keep {V}**order below 2**63")
        keys = np.asarray(ngrams, dtype=np.int64) @ (V ** np.arange(order - 1, -1, -1, dtype=np.int64))  # [G]
        counts = np.asarray(counts, dtype=np.int64)
        sort = np.argsort(keys, kind="stable")
        self.ngrams = np.asarray(ngrams)[sort]
        self.counts = counts = counts[sort]
        keys = keys[sort]
        levels = [(keys, counts)]  # raw counts at the top order, continuation counts below
        for k in range(order - 1, 0, -1):
            levels.append(np.unique(levels[-1][0] % V**k, return_counts=True))
        levels.reverse()  # orders 1..n
        self.discounts = [list(d) for d in discounts] if discounts else [estimate_discounts(c) for _, c in levels]
        self.orders = [_Order.build(k, c, d, V) for (k, c), d in zip(levels, self.discounts)]
        self.cache_size = cache_size
        self._cache: dict[bytes, np.ndarray] = {}

    @classmethod
    def from_text(cls, text: str, order: int) -> NGramStepModel:
        """Counts every n-gram of `text`; the vocabulary is its characters, sorted."""
        vocab = sorted(set(text))
        V = len(vocab)
        ids = np.searchsorted(np.array(vocab), np.array(list(text)))  # [T]
        keys, counts = count_ngrams(ids, order, V)
        ngrams = (keys[:, None] // V ** np.arange(order - 1, -1, -1)) % V  # [G, order]
        return cls(vocab, order, ngrams, counts)

    # -- storage --------------------------------------------------------------------------------------------------

    def save_pretrained(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "quill_arch": "ngram",
            "order": self.order,
            "smoothing": "interpolated modified Kneser-Ney",
            "discounts": self.discounts,
            "unknown_char_fallback": self.vocab[self.fallback_id],
            "num_ngrams": len(self.counts),
            "vocab": self.vocab,
        }
        (directory / CONFIG_NAME).write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n")
        tensors = {
            "ngrams": self.ngrams.astype(np.min_scalar_type(self.vocab_size - 1)),  # [G, order]
            "counts": self.counts.astype(np.min_scalar_type(int(self.counts.max()))),  # [G]
        }
        save_file(tensors, str(directory / WEIGHTS_NAME))

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> NGramStepModel:
        directory = Path(directory)
        config = json.loads((directory / CONFIG_NAME).read_text())
        if config.get("quill_arch") != "ngram":
            raise ValueError(f"{directory} holds a {config.get('quill_arch')!r} model, not an n-gram model")
        tensors = load_file(str(directory / WEIGHTS_NAME))
        return cls(config["vocab"], config["order"], tensors["ngrams"], tensors["counts"], config["discounts"])

    # -- text -----------------------------------------------------------------------------------------------------


    # -- probabilities --------------------------------------------------------------------------------------------

    def _context_rows(self, ids: Sequence[int]) -> np.ndarray:
        """The last order-1 ids as one row, left-padded with -1 -> [1, order-1]."""
        width = self.order - 1
        tail = list(ids)[max(0, len(ids) - width) :]
        return np.array([[-1] * (width - len(tail)) + tail], dtype=np.int64).reshape(1, width)

    def probs(self, contexts: np.ndarray) -> np.ndarray:
        """contexts [N, order-1] (-1 = before the start) -> next-char probabilities [N, V] float64."""
        V = self.vocab_size
        p = np.full((len(contexts), V), 1.0 / V)  # order 0: uniform
        key = np.zeros(len(contexts), dtype=np.int64)  # context key of the current order, per row
        live = np.ones(len(contexts), dtype=bool)  # rows whose context of this order was seen
        for k, tab in enumerate(self.orders, start=1):
            if k > 1:
                c = contexts[:, -(k - 1)]
                live &= c >= 0
                key += np.maximum(c, 0) * V ** (k - 2)  # prepend the next-older char
            at = np.minimum(np.searchsorted(tab.contexts, key), len(tab.contexts) - 1)
            live &= tab.contexts[at] == key  # an unseen context has no seen extension either
            rows, at = np.flatnonzero(live), at[live]
            if not len(rows):
                break
            lens = tab.starts[at + 1] - tab.starts[at]
            which = np.repeat(np.arange(len(at)), lens)  # [g] row of each n-gram below
            idx = np.repeat(tab.starts[at] - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())  # [g]
            q = p[rows] * tab.backoff[at][:, None]  # [R, V]
            q[which, tab.chars[idx]] += tab.kept[idx]
            p[rows] = q
        return p

    def logprobs(self, contexts: np.ndarray) -> np.ndarray:
        """contexts [B, order-1] -> log-probabilities [B, V] float32, cached per context."""
        keys = [row.tobytes() for row in contexts]
        missing = {k: i for i, k in enumerate(keys) if k not in self._cache}
        if missing:
            if len(self._cache) + len(missing) > self.cache_size:
                self._cache.clear()
            fresh = np.log(self.probs(contexts[list(missing.values())])).astype(np.float32)
            self._cache.update(zip(missing, fresh))
        return np.stack([self._cache[k] for k in keys])

    def nats_on(self, text: str, chunk: int = 16384) -> float:
        """Total negative log-likelihood (nats) of every character of `text` after the first."""
        ids = np.array(self.encode(text), dtype=np.int64)
        padded = np.concatenate([np.full(self.order - 1, -1), ids])
        contexts = padded[np.arange(1, len(ids))[:, None] + np.arange(self.order - 1)]  # [T-1, order-1]
        total = 0.0
        for s in range(0, len(contexts), chunk):
            p = self.probs(contexts[s : s + chunk])
            total -= np.log(p[np.arange(len(p)), ids[1 + s : 1 + s + chunk]]).sum()
        return float(total)

    # -- step-model contract --------------------------------------------------------------------------------------

    def start(self, prompt: str | Sequence[int]) -> tuple[np.ndarray, list[int]]:
        """State = the context before the last prompt char ([1, order-1]); an empty prompt starts from a newline."""
        ids = self.encode(prompt) if isinstance(prompt, str) else [int(i) for i in prompt]
        if any(not 0 <= i < self.vocab_size for i in ids):
            raise ValueError(f"token ids must lie in [0, {self.vocab_size})")
        ids = ids or self.encode("\n")
        return self._context_rows(ids[:-1]), ids

    def start_batch(self, prompts: Sequence[str | Sequence[int]]) -> tuple[np.ndarray, list[list[int]]]:
        """Row i serves prompts[i]: each prompt's context row ([B, order-1]), stacked."""
        started = [self.start(prompt) for prompt in prompts]
        return np.concatenate([state for state, _ in started]), [ids for _, ids in started]

    def step(self, state: np.ndarray, last_tokens: torch.Tensor):
        context = np.concatenate([state, last_tokens.cpu().numpy()[:, None]], axis=1)[:, 1:]  # [B, order-1]
        return torch.from_numpy(self.logprobs(context)), context, None  # [B, V]

    def reorder(self, state: np.ndarray, index: torch.Tensor) -> np.ndarray:
        return state[index.cpu().numpy()]
