"""Linear layers stored for fast CPU inference: float32, bfloat16, int8 or int4 weights (weight-only quantization).

`packed_linear(weight, bias, precision)` -> a module computing x @ weight.T + bias from weights kept at that
precision; `quantize_linear_layers(module, precision)` swaps every nn.Linear inside a network for one.

- int8: one scale per output channel (symmetric); a decode step (one position per hypothesis) goes through torch's
  int8 weight-only kernel with bfloat16 activations; many positions (a prompt, a sentence) through the weights
  de-quantized to float32 on the fly. (Dynamic quantization, which also rounds the activations to int8, was
  measured too: 1.103 nats/char against 0.794 for SmolLM2 on training/texts/english_sample.txt: its activations
  have outliers a per-tensor scale cannot hold.)
- int4: groups of 32 along the input, asymmetric (the layout of the GGUF's Q4_1 blocks, so SmolLM2's 4-bit
  weights come back almost exactly), torch's int4pack kernel (bfloat16 activations) for any number of positions;
- w8a8: int8 weights (per output channel) AND int8 activations, each row (token) scaled by its own absolute
  maximum at run time, multiplied by torch's int8 x int8 -> int32 kernel (`torch._int_mm`), for every number of
  rows: ~2.5x float32 over the many positions of an encoder (the NER tagger) on this CPU. Per-token scales hold
  a small encoder's activations; SmolLM2's outliers are why the decoder does not use it (above);
- bfloat16: bfloat16 weights for a decode step, float32 (upcast on the fly) for a prompt: on a CPU without native
  bfloat16, a bfloat16 matmul over many positions is several times slower than float32.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

INT4_GROUP = 32
PRECISIONS = ("float32", "bfloat16", "int8", "w8a8", "int4")


def one_position(x: torch.Tensor) -> bool:
    """Whether x is a decode step: one position per sequence, [B, 1, in] or [B, in] (the lean decoder's output
    projection reads each row's last position).

    The kernel then depends on how many positions each sequence brings, never on how many sequences share the
    call, so a row decodes the same alone or in a batch (a batched step of 64 hypotheses stays on the cheap
    low-precision kernel; a prompt of any batch size takes the float32 path)."""
    return x.dim() < 3 or x.shape[-2] == 1


class PackedLinear(nn.Module):
    """Base: [*, in] -> [*, out] in the input's dtype; subclasses compute [rows, in] -> [rows, out]."""

    def __init__(self, bias: torch.Tensor | None, in_features: int, out_features: int):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.register_buffer("bias", None if bias is None else bias.detach().float().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1])  # [N, in]
        y = self.matmul(rows.float(), one_position(x))  # [N, out] float32
        if self.bias is not None:
            y = y + self.bias
        return y.to(x.dtype).reshape(*x.shape[:-1], self.out_features)

    def matmul(self, rows: torch.Tensor, few: bool) -> torch.Tensor:
        """few: the low-precision kernel (a decode step); else the weights de-quantized to float32 (a prompt)."""
        raise NotImplementedError

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, precision={self.precision}"


class Float32Linear(PackedLinear):
    precision = "float32"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None):
        super().__init__(bias, weight.shape[1], weight.shape[0])
        self.register_buffer("weight", weight.detach().float().contiguous())  # [out, in]

    def matmul(self, rows, few):
        return F.linear(rows, self.weight)


class BFloat16Linear(PackedLinear):
    precision = "bfloat16"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None):
        super().__init__(bias, weight.shape[1], weight.shape[0])
        self.register_buffer("weight", weight.detach().to(torch.bfloat16).contiguous())  # [out, in]

    def matmul(self, rows, few):
        if few:
            return F.linear(rows.to(torch.bfloat16), self.weight).float()
        return F.linear(rows, self.weight.float())


def int8_per_channel(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric int8 codes [out, in] and one float32 scale per output channel [out] (codes x scale ~ weight)."""
    weight = weight.detach().float()
    scale = (weight.abs().amax(dim=1) / 127).clamp(min=1e-12)  # [out]
    return (weight / scale[:, None]).round().clamp(-127, 127).to(torch.int8), scale


class Int8Linear(PackedLinear):
    precision = "int8"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None):
        super().__init__(bias, weight.shape[1], weight.shape[0])
        codes, scale = int8_per_channel(weight)
        self.register_buffer("codes", codes)
        self.register_buffer("scale", scale.to(torch.bfloat16))

    def matmul(self, rows, few):
        if few:
            return torch.ops.aten._weight_int8pack_mm(rows.to(torch.bfloat16), self.codes, self.scale).float()
        return F.linear(rows, self.dequantized())

    def dequantized(self) -> torch.Tensor:
        return self.codes.float() * self.scale.float()[:, None]  # [out, in]


class W8A8Linear(PackedLinear):
    """int8 weights x int8 activations quantized per row at run time (dynamic quantization, symmetric)."""

    precision = "w8a8"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None):
        super().__init__(bias, weight.shape[1], weight.shape[0])
        codes, scale = int8_per_channel(weight)
        self.register_buffer("codes", codes)
        self.register_buffer("scale", scale)

    def matmul(self, rows, few):
        row_scale = (rows.abs().amax(dim=1, keepdim=True) / 127).clamp(min=1e-12)  # [N, 1]
        codes = (rows / row_scale).round_().to(torch.int8)  # [N, in], within [-127, 127]
        # codes.T is the [in, out] operand in column-major order, the layout the kernel reads fastest
        return torch._int_mm(codes, self.codes.t()).float().mul_(row_scale).mul_(self.scale)  # [N, out]

    def dequantized(self) -> torch.Tensor:
        return self.codes.float() * self.scale[:, None]  # [out, in]


class Int4Linear(PackedLinear):
    precision = "int4"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None, group: int = INT4_GROUP):
        out_features, in_features = weight.shape
        if in_features % group:
            raise ValueError(f"int4 needs in_features divisible by {group} (got {in_features})")
        super().__init__(bias, in_features, out_features)
        groups = weight.detach().float().reshape(out_features, in_features // group, group)
        low, high = groups.amin(-1, keepdim=True), groups.amax(-1, keepdim=True)  # [out, G, 1]
        scale = ((high - low) / 15).clamp(min=1e-12)
        q = ((groups - low) / scale).round().clamp(0, 15).to(torch.int32).reshape(out_features, in_features)
        self.group = group
        self.register_buffer("packed", torch.ops.aten._convert_weight_to_int4pack_for_cpu(q, 1))
        # torch's int4pack reads w = (q - 8) * scale + zero, per group: [G, out, 2] of (scale, zero)
        zero = low + 8 * scale
        scales_zeros = torch.stack([scale.reshape(out_features, -1), zero.reshape(out_features, -1)], dim=-1)
        self.register_buffer("scales_zeros", scales_zeros.transpose(0, 1).contiguous().to(torch.bfloat16))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """torch's int4 kernel for any number of positions: on this CPU it is as fast as a float32 matmul even over
        a 512-position prompt, where de-quantizing the weights first cost ~10 ms a layer (0.4 s a prompt). Written
        out rather than through the base's matmul: one cast in and one out (a decode step runs 120 such layers)."""
        rows = x.reshape(-1, x.shape[-1]).to(torch.bfloat16)  # [N, in]
        y = torch.ops.aten._weight_int4pack_mm_for_cpu(rows, self.packed, self.group, self.scales_zeros)  # [N, out]
        if self.bias is not None:
            y = y.float() + self.bias
        return y.to(x.dtype).view(*x.shape[:-1], self.out_features)


LINEARS = {"float32": Float32Linear, "bfloat16": BFloat16Linear, "int8": Int8Linear, "w8a8": W8A8Linear,
           "int4": Int4Linear}


def packed_linear(weight: torch.Tensor, bias: torch.Tensor | None, precision: str) -> PackedLinear:
    if precision not in LINEARS:
        raise ValueError(f"unknown precision {precision!r}; one of {', '.join(PRECISIONS)}")
    return LINEARS[precision](weight, bias)


def quantize_linear_layers(module: nn.Module, precision: str, skip: tuple[str, ...] = ()) -> nn.Module:
    """Every nn.Linear under `module` (names in `skip` excepted) replaced by its packed version, in place."""
    for name, child in list(module.named_children()):
        if name in skip:
            continue
        if isinstance(child, nn.Linear):
            setattr(module, name, packed_linear(child.weight, child.bias, precision))
        else:
            quantize_linear_layers(child, precision, skip)
    return module


def stored_bytes(module: nn.Module) -> int:
    """Bytes of weights a network keeps in memory: its parameters and buffers (each tensor once)."""
    seen, total = set(), 0
    for tensor in [*module.parameters(), *module.buffers()]:
        if tensor.data_ptr() not in seen:
            seen.add(tensor.data_ptr())
            total += tensor.numel() * tensor.element_size()
    return total
