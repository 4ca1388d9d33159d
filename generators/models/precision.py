"""A loaded step model at another precision: int8 / w8a8 linear layers for the networks inside any step model
(translation transformer, NER encoder, a hub model); SmolLM2 (Llama) goes to the lean decoder instead.

`at_precision(step_model, precision)` packs every nn.Linear of the step model's networks (packed_linear), in place,
and records the precision on the step model (the app's hints say what answered).
"""

from __future__ import annotations

from torch import nn

from ..errors import ModelUnavailable
from .packed_linear import quantize_linear_layers

NETWORK_PATHS = ("model", "emitter.net", "emitter.model")  # where step models keep their torch networks
LINEAR_PRECISIONS = ("int8", "w8a8")  # what packing nn.Linear layers gives other networks (int4: the lean decoder's)


def networks_of(step_model) -> list[nn.Module]:
    found = []
    for path in NETWORK_PATHS:
        target = step_model
        for attribute in path.split("."):
            target = getattr(target, attribute, None)
        if isinstance(target, nn.Module):
            found.append(target)
    return found


def at_precision(step_model, precision: str, name: str = "this model"):
    """`step_model` with its networks' linear layers packed at `precision` ("int8" or "w8a8")."""
    networks = networks_of(step_model)
    if precision not in LINEAR_PRECISIONS or not networks:
        offered = "@int8 and @w8a8" if networks else "no quantized variant"
        raise ModelUnavailable(f"{name} offers {offered} here (not @{precision}); @int4 is for SmolLM2 (Llama) models")
    for network in networks:
        quantize_linear_layers(network, precision)
    step_model.precision = precision
    return step_model
