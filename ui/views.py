"""The richer views beside the chat, as plain data (rows, figures) built from generator results."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # a "$" in a token is text, not TeX
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from generators.decoding import Hypothesis  # noqa: E402

TOKEN_HEADERS = ["#", "token", "probability", "top alternatives at this step"]
NBEST_HEADERS = ["rank", "text", "score", "avg log-prob", "finished by"]
COMPARE_HEADERS = ["strategy", "continuation", "avg log-prob"]
MODEL_COMPARE_HEADERS = ["model", "continuation", "prompt nats/char", "answer log-prob/char"]
TEMPERATURES = (0.2, 0.5, 1.0, 1.5)


def visible(token: str) -> str:
    """Whitespace made visible, so a table cell shows what the token really is."""
    return token.replace("\n", "⏎").replace("\t", "⇥").replace(" ", "␣") if token else "∅"


def token_rows(hypothesis: Hypothesis, token_strings: list[str], token_string) -> list[list]:
    """One row per generated token: its probability and the top alternatives the model saw at that step."""
    rows = []
    for index, (token, logprob, alternatives) in enumerate(
        zip(token_strings, hypothesis.token_logprobs, hypothesis.top_alternatives), start=1
    ):
        others = "  ".join(f"{visible(token_string(i))} {math.exp(lp):.3f}" for i, lp in alternatives)
        rows.append([index, visible(token), round(math.exp(logprob), 4), others])
    return rows


def nbest_rows(hypotheses: list[Hypothesis]) -> list[list]:
    return [
        [rank, h.text, round(h.score, 4), round(h.mean_logprob, 4), h.finish_reason]
        for rank, h in enumerate(hypotheses, start=1)
    ]


def temperature_figure(logprobs: torch.Tensor, token_string, top: int = 12):
    """The next-token distribution reweighted at several temperatures: softmax(log p / T), top tokens at T=1."""
    order = torch.topk(logprobs, min(top, logprobs.numel())).indices
    labels = [visible(token_string(int(i))) for i in order]
    figure, axis = plt.subplots(figsize=(7, 3.4), dpi=100)
    width = 0.8 / len(TEMPERATURES)
    for slot, temperature in enumerate(TEMPERATURES):
        probs = torch.softmax(logprobs / temperature, dim=-1)[order]
        positions = [i + (slot - (len(TEMPERATURES) - 1) / 2) * width for i in range(len(order))]
        axis.bar(positions, probs.tolist(), width=width, label=f"T = {temperature}")
    axis.set_xticks(range(len(order)))
    axis.set_xticklabels(labels, fontsize=9)
    axis.set_ylabel("probability")
    axis.set_title("Next token after the prompt, reweighted by temperature")
    axis.legend(fontsize=8)
    figure.tight_layout()
    plt.close(figure)
    return figure
