"""Several translation models decoding as one (an ensemble): at every step each member reads the same hypotheses
and their next-token probabilities are averaged with fixed weights, p = sum_i w_i p_i (fairseq's ensemble, weighted).

The first member leads: its tokenizer encodes and decodes, its cross-attention is the heatmap's, its start and end
tokens are the ensemble's. Every other member must know every subword of the leader (the bundled translation models
share one sentencepiece model, so the map between their ids is the identity); a member is fed its own start token on
the first step and the leader's tokens mapped into its vocabulary after that. Beams are kept in every member: a
reorder reorders each member's state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from ..errors import ModelUnavailable


@dataclass
class EnsembleState:
    members: list  # each member's own state, rows in the same order
    start_tokens: list[int]  # each member's start token, read by every row on the first step
    started: bool = False


class EnsembleStepModel:
    def __init__(self, members: Sequence, weights: Sequence[float], names: Sequence[str] | None = None):
        if len(members) < 2 or len(weights) != len(members):
            raise ValueError("an ensemble needs at least two members and one weight per member")
        if any(not (w > 0) for w in weights):
            raise ValueError(f"ensemble weights must be positive (got {list(weights)})")
        self.members = list(members)
        self.names = list(names or [type(m).__name__ for m in members])
        total = sum(weights)
        self.weights = [w / total for w in weights]
        self.log_weights = torch.tensor([math.log(w) for w in self.weights])  # [M]
        leader = self.members[0]
        self.leader = leader
        self.vocab_size = leader.vocab_size
        self.eos_token_id = leader.eos_token_id
        self.attention_layout = getattr(leader, "attention_layout", None)
        self.tokenizer = getattr(leader, "tokenizer", None)
        self.precision = "float32"
        self.model = leader.model  # the leader's network (what size and device reports read)
        limits = [m.max_target_tokens for m in self.members if getattr(m, "max_target_tokens", None)]
        self.max_target_tokens = min(limits) if limits else None  # what every member can write
        self.max_source_tokens = getattr(leader, "max_source_tokens", None)  # the leader encodes for all
        leader_pieces = leader.token_strings(range(leader.vocab_size))
        # per follower: the leader's id -> the follower's id [V_leader], or None where the ids are the same
        self.id_maps: list[torch.Tensor | None] = [None]
        for name, member in zip(self.names[1:], self.members[1:]):
            theirs = {piece: i for i, piece in enumerate(member.token_strings(range(member.vocab_size)))}
            missing = [piece for piece in leader_pieces if piece not in theirs]
            if missing:
                raise ModelUnavailable(f"ensemble member {name} lacks {len(missing)} subwords of the leading model's "
                                       f"vocabulary (e.g. {missing[:3]}): members must share one subword vocabulary")
            ids = torch.tensor([theirs[piece] for piece in leader_pieces])
            same = len(theirs) == len(leader_pieces) and bool((ids == torch.arange(len(ids))).all())
            self.id_maps.append(None if same else ids)
        # a token any member never writes (padding, its start token) is never written by the ensemble
        suppressed = set(leader.suppressed_token_ids)
        for table, member in zip(self.id_maps[1:], self.members[1:]):
            theirs = set(member.suppressed_token_ids)
            mapped = range(self.vocab_size) if table is None else table.tolist()  # leader id -> member id
            suppressed |= {i for i, their_id in enumerate(mapped) if their_id in theirs}
        self.suppressed_token_ids = tuple(sorted(suppressed))
        for member in self.members:
            network = getattr(member, "model", None)
            if hasattr(network, "requires_grad_"):
                network.requires_grad_(False)

    @property
    def device(self) -> torch.device:
        return self.leader.device

    def encode(self, text: str) -> list[int]:
        return self.leader.encode(text)

    def decode(self, token_ids: Sequence[int]) -> str:
        return self.leader.decode(token_ids)

    def token_strings(self, token_ids: Sequence[int]) -> list[str]:
        return self.leader.token_strings(token_ids)

    def piece_log_prob(self, piece: str) -> float | None:
        scorer = getattr(self.leader, "piece_log_prob", None)
        return None if scorer is None else scorer(piece)

    def _theirs(self, index: int, ids: torch.Tensor | list[int]):
        table = self.id_maps[index]
        if table is None:
            return ids
        return table[ids] if isinstance(ids, torch.Tensor) else table[torch.tensor(ids)].tolist()

    def start(self, source):
        state, contexts = self.start_batch([source])
        return state, contexts[0]

    def start_batch(self, sources):
        """Every member encodes the same sources (the leader's ids, mapped into each member's vocabulary)."""
        ids = [self.leader.encode(s) if isinstance(s, str) else list(s) for s in sources]
        states, start_tokens, contexts = [], [], None
        for index, member in enumerate(self.members):
            state, member_contexts = member.start_batch([self._theirs(index, source) for source in ids])
            states.append(state)
            start_tokens.append(member_contexts[0][-1])
            contexts = contexts or member_contexts
        return EnsembleState(states, start_tokens), contexts

    def step(self, state: EnsembleState, last_tokens: torch.Tensor):
        """last_tokens [B] (the leader's ids) -> (log of the weighted mean probability [B, V], state, the leader's
        attention [B, ...])."""
        mixed, attention = [], None
        for index, member in enumerate(self.members):
            if state.started:
                tokens = self._theirs(index, last_tokens)
            else:
                tokens = torch.full_like(last_tokens, state.start_tokens[index])
            logprobs, state.members[index], member_attention = member.step(state.members[index], tokens)
            table = self.id_maps[index]
            mixed.append(logprobs.float() if table is None else logprobs.float()[:, table])  # [B, V_leader]
            if index == 0:
                attention = member_attention
        state.started = True
        log_weights = self.log_weights.to(mixed[0].device)[:, None, None]  # [M, 1, 1]
        return torch.logsumexp(torch.stack(mixed) + log_weights, dim=0), state, attention

    def reorder(self, state: EnsembleState, index: torch.Tensor) -> EnsembleState:
        state.members = [member.reorder(s, index) for member, s in zip(self.members, state.members)]
        return state

    @property
    def ensemble_note(self) -> str:
        """What answered, for the tab's notes."""
        members = " and ".join(f"{name} (weight {weight:.2f})" for name, weight in zip(self.names, self.weights))
        return (f"an ensemble of {members}: their next-subword probabilities are averaged at every step; the "
                f"heatmap shows {self.names[0]}'s cross-attention")


def ensemble_of(members: Sequence, folder: Path, config: dict) -> EnsembleStepModel:
    """The registry's loader: the members are loaded from config["members"] (bundled names) by the registry."""
    return EnsembleStepModel(members, config["weights"], config["members"])
