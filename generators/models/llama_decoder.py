"""A lean Llama decoder (SmolLM2) as a step model: the same network as transformers' LlamaForCausalLM, with its
weights packed for the CPU (packed_linear: float32, bfloat16, int8, int4) and a KV cache it owns.

Why: on this 2-core CPU decoding is bound by memory bandwidth (~6 GB/s: float32 SmolLM2 reads 540 MB a token,
~120 ms whether through transformers or here), so what pays is fewer bytes per token (int8, int4) and, once they
are few, fewer separate ops: each layer is ~15 tensor ops, q/k/v and gate/up are one matmul each, the cache is
preallocated and written in place, and the decode step runs compiled ahead of time by `prepare` by default
(precompiled_step.py; just in time with QUILL_COMPILE=1: background_compile.py). The tokenizer,
chat template and token strings are HFCausalStepModel's. benchmarks/quantize.py measures it against `generate`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .hf_causal import HFCausalStepModel
from .packed_linear import packed_linear, stored_bytes

LM_HEAD_PRECISION = {"int4": "int8"}  # the output projection's precision where it differs from the layers'
CACHE_ROOM = 256  # positions allocated beyond the prompt; the cache doubles when full


class UnsupportedNetwork(ValueError):
    """The network is not a plain Llama this decoder reproduces exactly (transformers' own path serves it)."""


@dataclass
class LlamaState:
    keys: list[torch.Tensor]  # per layer [B, KV heads, capacity, head dim]
    values: list[torch.Tensor]
    length: int  # positions filled
    # left padding of a batch of prompts of different lengths (start_batch): each row's count of leading padding
    # positions [B] long (a row's position = cache position - its pad); None when no row is padded (start)
    pad: torch.Tensor | None = None
    kept: bool = False  # another holder reads this state later (a prompt cache): reorder copies, never in place


class Packer:
    """Packs weights at one precision, reusing what it packed before from the very same tensors: a LoRA fine-tune
    (whose untouched layers share the base's tensors) then shares the base's packed layers too."""

    def __init__(self, precision: str):
        self.precision = precision
        self.packed: dict[tuple, torch.Tensor | nn.Module] = {}  # (kind, source data pointers) -> packed
        self.frozen = False  # once the base is packed: later packs are not remembered (their sources may be freed
        # and their addresses reused, while the base's sources stay alive with the base network)

    def _remembered(self, kind: str, weights: tuple[torch.Tensor, ...], pack):
        key = (kind, *(w.data_ptr() for w in weights))
        if key in self.packed:
            return self.packed[key]
        packed = pack()
        if not self.frozen:
            self.packed[key] = packed
        return packed

    def linear(self, *weights: torch.Tensor, precision: str | None = None) -> nn.Module:
        """One packed layer for the weights stacked (q/k/v, gate/up: one matmul for all)."""
        return self._remembered(f"linear-{precision}", weights, lambda: packed_linear(
            weights[0] if len(weights) == 1 else torch.cat(weights), None, precision or self.precision))

    def table(self, weight: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        return self._remembered("table", (weight,), lambda: weight.detach().to(dtype).clone())


class LeanLlamaLayer(nn.Module):
    def __init__(self, layer, packer: Packer):
        super().__init__()
        attention, mlp = layer.self_attn, layer.mlp
        self.qkv = packer.linear(attention.q_proj.weight, attention.k_proj.weight, attention.v_proj.weight)
        self.o = packer.linear(attention.o_proj.weight)
        self.gate_up = packer.linear(mlp.gate_proj.weight, mlp.up_proj.weight)
        self.down = packer.linear(mlp.down_proj.weight)
        self.register_buffer("input_norm", layer.input_layernorm.weight.detach().float().clone())
        self.register_buffer("post_norm", layer.post_attention_layernorm.weight.detach().float().clone())


class LeanLlama(nn.Module):
    """The network: embeddings, layers, final norm and the output projection, at one precision."""

    def __init__(self, network, precision: str, packer: Packer | None = None):
        super().__init__()
        config = network.config
        check_supported(network)
        self.precision = precision
        self.packer = packer or Packer(precision)
        self.heads, self.kv_heads = config.num_attention_heads, config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        self.eps = config.rms_norm_eps
        body = network.model
        # [V, d]; below float32 the table is kept in bfloat16 (a row is read per token; SmolLM2's are stored so)
        embed_dtype = torch.float32 if precision == "float32" else torch.bfloat16
        self.register_buffer("embed", self.packer.table(body.embed_tokens.weight, embed_dtype))
        self.layers = nn.ModuleList(LeanLlamaLayer(layer, self.packer) for layer in body.layers)
        self.register_buffer("final_norm", body.norm.weight.detach().float().clone())
        # int4 keeps the output projection in int8: SmolLM2's GGUF stores it (the tied embeddings) as Q8_0, and
        # 4 bits there cost 10 points of top-1 agreement with float32
        self.lm_head = self.packer.linear(network.lm_head.weight, precision=LM_HEAD_PRECISION.get(precision))
        positions = torch.arange(config.max_position_embeddings)[None]  # [1, P]
        cos, sin = body.rotary_emb(self.embed[:1, None].float(), positions)  # transformers' own table: [1, P, head dim]
        half = self.head_dim // 2
        self.register_buffer("cos", cos[0].float())
        self.register_buffer("sin", torch.cat((-sin[0, :, :half], sin[0, :, half:]), dim=-1).float())  # see rotate

    def norm(self, h: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        # transformers' maths (F.rms_norm, one op, measured slower here: its fused CPU kernel runs the same steps)
        return weight * (h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps))

    @staticmethod
    def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """RoPE: x * cos + rotate_half(x) * sin, with rotate_half(x) = (-x2, x1) written as roll(x) = (x2, x1)
        times a sine table whose first half is negated (the same numbers, in 4 ops instead of 7)."""
        return x * cos + x.roll(x.shape[-1] // 2, dims=-1) * sin

    def forward(self, ids: torch.Tensor, state: LlamaState, logits: str = "last") -> torch.Tensor | None:
        """ids [B, T] after state.length positions -> log-probs of the next token: [B, V] after the last position
        (logits="last"), [B, T, V] after each (logits="all"), or None (logits="none": the cache only)."""
        rows, new = ids.shape
        start, end = state.length, state.length + new
        grow(state, end)
        h = self.embed[ids].float()  # [B, T, d]
        if state.pad is None:  # every row at the same positions (one input, or prompts of one length)
            cos, sin = self.cos[start:end], self.sin[start:end]  # [T, head dim]
            mask = causal_mask(start, new) if new > 1 else None
        else:
            cos, sin, mask = self.padded_positions(state.pad, start, new)
        q_size, kv_size = self.heads * self.head_dim, self.kv_heads * self.head_dim
        cos, sin = cos.unsqueeze(-2), sin.unsqueeze(-2)  # [(B,) T, 1, head dim]: one table for every head
        heads = self.heads + self.kv_heads
        for index, layer in enumerate(self.layers):
            x = self.norm(h, layer.input_norm)
            qkv = layer.qkv(x)  # [B, T, (H + 2 KV) D]
            qk = self.rotate(qkv[..., : q_size + kv_size].view(rows, new, heads, self.head_dim), cos, sin)
            q, k = qk.transpose(1, 2).split([self.heads, self.kv_heads], dim=1)  # [B, H, T, D], [B, KV, T, D]
            v = qkv[..., q_size + kv_size :].view(rows, new, self.kv_heads, self.head_dim).transpose(1, 2)
            state.keys[index][:, :, start:end] = k
            state.values[index][:, :, start:end] = v
            attended = F.scaled_dot_product_attention(
                q, state.keys[index][:, :, :end], state.values[index][:, :, :end],
                attn_mask=mask, enable_gqa=True,
            )  # [B, H, T, D]
            h = h + layer.o(attended.transpose(1, 2).reshape(rows, new, q_size))
            gate, up = layer.gate_up(self.norm(h, layer.post_norm)).chunk(2, dim=-1)
            h = h + layer.down(F.silu(gate) * up)
        state.length = end
        if logits == "none":
            return None
        out = self.norm(h[:, -1] if logits == "last" else h, self.final_norm)  # [B, d] or [B, T, d]
        return torch.log_softmax(self.lm_head(out), dim=-1)  # [B, V] or [B, T, V]

    def padded_positions(self, pad: torch.Tensor, start: int, new: int):
        """For left-padded rows (pad [B]): RoPE tables at each row's own positions ([B, T, head dim] each) and
        the boolean attention mask [B, 1, T, start + T]: causal, padding keys hidden. A padding query attends to
        itself only (so no query row is fully masked: its output stays finite, and no real query ever reads it)."""
        cache_positions = torch.arange(start, start + new)  # [T]
        positions = (cache_positions[None] - pad[:, None]).clamp(min=0)  # [B, T]
        cos, sin = self.cos[positions], self.sin[positions]  # [B, T, head dim]
        keys = torch.arange(start + new)  # [S]
        real = keys[None] >= pad[:, None]  # [B, S]
        mask = real[:, None, :] & (keys[None, :] <= cache_positions[:, None])[None]  # [B, T, S]
        mask |= (keys[None, :] == cache_positions[:, None])[None]  # the diagonal
        return cos, sin, mask[:, None]

    def new_state(self, capacity: int, rows: int = 1) -> LlamaState:
        shape = (rows, self.kv_heads, capacity, self.head_dim)
        return LlamaState([torch.zeros(shape) for _ in self.layers], [torch.zeros(shape) for _ in self.layers], 0)


def reorder_in_place(state: LlamaState, index: torch.Tensor) -> LlamaState:
    """`index` [B] of a batch of B rows: row r becomes row index[r], writing only the rows that change."""
    moved = (index != torch.arange(len(index))).nonzero().squeeze(1)  # [M] rows whose parent is another row
    if len(moved):
        sources = index[moved]  # [M]
        for cache in (*state.keys, *state.values):
            filled = cache[:, :, : state.length]  # [B, KV heads, length, head dim], a view
            filled.index_copy_(0, moved, filled.index_select(0, sources))  # gathered first: a source may move too
        if state.pad is not None:
            state.pad = state.pad.index_select(0, index)
    return state


def causal_mask(start: int, new: int) -> torch.Tensor:
    """[T, start + T] True where query t (at position start + t) may attend."""
    return torch.ones(new, start + new, dtype=torch.bool).tril(diagonal=start)


def grow(state: LlamaState, needed: int) -> None:
    """Doubles every layer's cache (keeping what it holds) until `needed` positions fit."""
    capacity = state.keys[0].shape[2]
    if needed <= capacity:
        return
    while capacity < needed:
        capacity *= 2
    for cache in (state.keys, state.values):
        for index, old in enumerate(cache):
            bigger = old.new_zeros(old.shape[0], old.shape[1], capacity, old.shape[3])
            bigger[:, :, : state.length] = old[:, :, : state.length]
            cache[index] = bigger


def check_supported(network) -> None:
    config = network.config
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    problems = [
        config.model_type != "llama" and f"model_type {config.model_type!r}",
        getattr(config, "attention_bias", False) and "attention biases",
        getattr(config, "mlp_bias", False) and "MLP biases",
        getattr(config, "hidden_act", "silu") != "silu" and f"activation {config.hidden_act!r}",
        rope.get("rope_type", "default") != "default" and f"RoPE type {rope.get('rope_type')!r}",
        getattr(config, "pretraining_tp", 1) != 1 and "pretraining_tp",
    ]
    problems = [p for p in problems if p]
    if problems:
        raise UnsupportedNetwork("the lean decoder reproduces plain Llama networks only; this one has "
                                 + ", ".join(problems))


class LeanLlamaStepModel(HFCausalStepModel):
    """HFCausalStepModel's tokenizer side over a LeanLlama network."""

    def __init__(self, network, tokenizer, precision: str, compile_steps: bool = False, packer: Packer | None = None,
                 precompiled: bool = False):
        """precompiled: the decode step (one token per row) runs through the artifacts `prepare` compiled ahead of
        time (precompiled_step.py), once loaded in the background; compile_steps: it is compiled just in time in
        the background instead (BackgroundCompiled). Until either is ready, and wherever it fails, decoding is
        eager, with the same network. `packer`: the base model's, for a fine-tune sharing its unchanged packed
        layers."""
        lean = LeanLlama(network, precision, packer).eval().requires_grad_(False)
        super().__init__(network, tokenizer)  # eos, bos, suppressed ids, max positions from the transformers model
        self.model = lean
        self.precision = precision
        self.weight_bytes = stored_bytes(lean)
        self.compiled_step = None
        if compile_steps:
            from .background_compile import BackgroundCompiled

            self.compiled_step = BackgroundCompiled(lean.forward, self._warm_up, f"{precision} Llama decode step")
        elif precompiled:
            from .precompiled_step import PrecompiledStep

            self.compiled_step = PrecompiledStep(lean, lean.forward)

    def _warm_up(self, forward) -> None:
        """Compiles for one row (greedy, sampling) and for several (beams: one graph for any number)."""
        with torch.inference_mode():
            for rows in (1, 2):
                state = self.model.new_state(8)
                state.length = 3  # a position past 0 and 1, which torch.compile would specialise on
                forward(torch.zeros(rows, 1, dtype=torch.long), self.reorder(state, torch.zeros(rows)))

    @property
    def precision_note(self) -> str:
        """What answered, for the app's hints: "int4, compiled" / "int4, eager (compiling…)"."""
        if self.compiled_step is None:
            return self.precision
        status = self.compiled_step.status
        return f"{self.precision}, " + {"compiled": "compiled", "compiling": "eager while the compiled step builds",
                                        "loading": "eager while the compiled step loads"}.get(status, status)

    @property
    def device(self) -> torch.device:
        return torch.device("cpu")

    @torch.inference_mode()
    def start(self, prompt) -> tuple[LlamaState, list[int]]:
        ids = self.prompt_ids(prompt)
        state = self.model.new_state(len(ids) + CACHE_ROOM)
        if len(ids) > 1:
            self.model(torch.tensor([ids[:-1]]), state, logits="none")
        return state, ids

    @torch.inference_mode()
    def start_batch(self, prompts) -> tuple[LlamaState, list[list[int]]]:
        """Row i serves prompts[i]: all prompts but their last tokens run at once, padded on the left (state.pad;
        None when they are all of one length, and every step then takes the unpadded path)."""
        contexts = [self.prompt_ids(prompt) for prompt in prompts]
        lengths = [len(ids) - 1 for ids in contexts]  # what each row prefills
        width = max(lengths)
        state = self.model.new_state(width + 1 + CACHE_ROOM, rows=len(contexts))
        if any(length != width for length in lengths):
            state.pad = torch.tensor([width - n for n in lengths])  # a one-token prompt's row is all padding
        if width:
            prefix = [[0] * (width - n) + ids[:-1] for n, ids in zip(lengths, contexts)]  # padding id: any
            self.model(torch.tensor(prefix), state, logits="none")
        return state, contexts

    @torch.inference_mode()
    def sequence_logprobs(self, ids: torch.Tensor) -> torch.Tensor:
        """ids [1, W] -> [W, V]: row j predicts ids[j + 1] (teacher forcing, for lm_scoring)."""
        return self.model(ids, self.model.new_state(ids.shape[1]), logits="all")[0]

    @torch.inference_mode()
    def step(self, state: LlamaState, last_tokens: torch.Tensor):
        # the compiled step serves unpadded rows only: padded rows (a batch of prompts of different lengths) run
        # eagerly rather than compile another graph for the mask
        forward = self.compiled_step if self.compiled_step is not None and state.pad is None else self.model
        return forward(last_tokens[:, None], state), state, None

    @torch.inference_mode()
    def reorder(self, state: LlamaState, index: torch.Tensor) -> LlamaState:
        """Rows picked by `index`. When the batch keeps its size (beam search after its first step) the cache is
        reordered in place, and only the rows whose parent is another row are written (most steps keep most
        beams where they are; one that keeps them all copies nothing); otherwise the picked rows are copied into
        a new cache. Only the filled positions are copied (the rest is written before it is ever read). A state
        that another holder reads later (`kept`, e.g. a prompt cache) is never reordered in place."""
        index = index.to(torch.long)
        if len(index) == state.keys[0].shape[0] and not state.kept:
            return reorder_in_place(state, index)

        def pick(cache: torch.Tensor) -> torch.Tensor:
            rows = cache.new_empty((len(index), *cache.shape[1:]))
            # straight into the new rows' filled positions (no intermediate tensor: a quarter less time a beam step)
            torch.index_select(cache[:, :, : state.length], 0, index, out=rows[:, :, : state.length])
            return rows

        return LlamaState([pick(k) for k in state.keys], [pick(v) for v in state.values], state.length,
                          None if state.pad is None else state.pad.index_select(0, index))

    @torch.inference_mode()
    def start_batch_from(self, prefix: LlamaState, owners: list[int], prompts) -> tuple[LlamaState, list[list[int]]]:
        """`start_batch` for prompts that extend cached ones: prompt i begins with the tokens row owners[i] of
        `prefix` holds (the caller checks). Those positions are copied from `prefix`, not recomputed; the few
        tokens after them are fed one position per call through the decode kernels (a prompt's path would
        de-quantize every weight for a handful of tokens). Rows are left-padded to end together, as in
        start_batch."""
        contexts = [self.prompt_ids(prompt) for prompt in prompts]
        offsets = [0 if prefix.pad is None else int(prefix.pad[m]) for m in owners]  # where each owner's tokens begin
        held = [prefix.length - o for o in offsets]  # tokens cached per row
        consumed = [len(ids) - 1 for ids in contexts]  # what each row must have in its cache
        extra = max(1, max(n - h for n, h in zip(consumed, held)))  # positions fed after the copied ones
        width = max(consumed)
        state = self.model.new_state(width + 1 + CACHE_ROOM, rows=len(contexts))
        pad = [width - n for n in consumed]
        copied = width - extra  # cache columns filled by copying
        for r, (m, offset) in enumerate(zip(owners, offsets)):
            keep = copied - pad[r]  # this row's copied tokens (none if its prompt is shorter than the fed block)
            if keep > 0:
                for mine, theirs in ((state.keys, prefix.keys), (state.values, prefix.values)):
                    for layer, cache in enumerate(theirs):
                        mine[layer][r, :, pad[r] : copied] = cache[m, :, offset : offset + keep]
        state.length = copied
        state.pad = torch.tensor(pad) if any(pad) else None
        for column in range(copied, width):
            fed = [ids[column - p] if column >= p else 0 for ids, p in zip(contexts, pad)]  # 0: padding, masked
            self.model(torch.tensor(fed)[:, None], state, logits="none")
        return state, contexts


def step_compilation() -> str:
    """How the decode step runs: "prepared" (the default: the artifacts `prepare` compiled ahead of time, loaded in
    ~2-3 s; eager where there are none), "jit" (QUILL_COMPILE=1: compiled in the background at start — in the app
    that held the GIL for ~30 s even from the kernel cache, so the first answers took 25-40 s) or "eager"
    (QUILL_COMPILE=0)."""
    return {"0": "eager", "1": "jit"}.get(os.environ.get("QUILL_COMPILE", ""), "prepared")


def lean_step_model(network, tokenizer, precision: str):
    """The step model for a transformers causal LM at a quantized precision ("int8", "int4"): the lean decoder for
    a plain Llama; int8 linear layers inside transformers' own modules for anything else."""
    from ..errors import ModelUnavailable
    from .precision import at_precision

    try:
        mode = step_compilation()
        step_model = LeanLlamaStepModel(network, tokenizer, precision, compile_steps=mode == "jit",
                                        precompiled=mode == "prepared")
    except UnsupportedNetwork as why:
        if precision != "int8":
            raise ModelUnavailable(f"@{precision} needs the lean Llama decoder: {why}") from None
        return at_precision(HFCausalStepModel(network.float(), tokenizer), precision)
    step_model.source_network = network  # what a LoRA fine-tune merges into (shared, never modified)
    step_model.model.packer.frozen = True
    return step_model
