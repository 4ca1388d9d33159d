"""The richer views beside the chat, as plain data (rows, charts) built from generator results."""

from __future__ import annotations

import html
import math

import torch

from generators.decoding import Hypothesis

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


TEMPERATURE_COLOURS = ("#1d4ed8", "#0d9488", "#f59e0b", "#dc2626")  # one per entry of TEMPERATURES


def temperature_chart(logprobs: torch.Tensor, token_string, top: int = 12) -> str:
    """The next-token distribution reweighted at several temperatures, softmax(log p / T), for the top tokens at
    T=1: grouped bars as inline SVG (drawn by the browser: a few kilobytes of text, where a matplotlib figure
    cost the server ~0.5 s of rasterising per answer). Token labels are escaped text."""
    order = torch.topk(logprobs, min(top, logprobs.numel())).indices
    labels = [html.escape(visible(token_string(int(i)))[:10]) for i in order]
    probs = [torch.softmax(logprobs / t, dim=-1)[order].tolist() for t in TEMPERATURES]  # [temps][tokens]
    width, height, left, bottom, top_margin = 700, 320, 48, 64, 40
    plot_w, plot_h = width - left - 12, height - bottom - top_margin
    slot = plot_w / max(len(order), 1)
    bar = slot * 0.8 / len(TEMPERATURES)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
             f"height='{height}' role='img' aria-label='next-token probabilities by temperature' "
             "font-family='sans-serif' font-size='11'>",
             f"<text x='{width / 2}' y='16' text-anchor='middle' font-size='13'>Next token after the prompt, "
             "reweighted by temperature</text>"]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top_margin + plot_h * (1 - tick)
        parts.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e5e7eb'/>"
                     f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{tick:.2f}</text>")
    for k, (temperature, colour) in enumerate(zip(TEMPERATURES, TEMPERATURE_COLOURS)):
        for i, p in enumerate(probs[k]):
            x = left + i * slot + slot * 0.1 + k * bar
            h = plot_h * p
            parts.append(f"<rect x='{x:.1f}' y='{top_margin + plot_h - h:.1f}' width='{bar:.1f}' height='{h:.1f}' "
                         f"fill='{colour}'><title>T = {temperature}: {p:.3f}</title></rect>")
        legend_x = left + 8 + k * 90
        parts.append(f"<rect x='{legend_x}' y='24' width='10' height='10' fill='{colour}'/>"
                     f"<text x='{legend_x + 14}' y='33'>T = {temperature}</text>")
    for i, label in enumerate(labels):
        x = left + (i + 0.5) * slot
        parts.append(f"<text x='{x:.1f}' y='{top_margin + plot_h + 16}' text-anchor='middle' xml:space='preserve'>"
                     f"{label}</text>")
    parts.append(f"<text x='12' y='{top_margin + plot_h / 2}' transform='rotate(-90 12 {top_margin + plot_h / 2})' "
                 "text-anchor='middle'>probability</text></svg>")
    return "<div class='quill-temperature'>" + "".join(parts) + "</div>"
