"""The Temperature view: grouped bars per temperature as inline SVG, token labels as escaped text."""

import re

import torch

from ui.views import TEMPERATURES, temperature_chart


def test_bars_follow_softmax_at_each_temperature_and_labels_are_text():
    logprobs = torch.tensor([2.0, 1.0, 0.0, -1.0, -3.0]).log_softmax(-1)
    labels = ["<b>x</b>", "a b", "\n", "&", "<script>alert(1)</script>"]
    svg = temperature_chart(logprobs, lambda i: labels[i], top=3)
    assert "<script>" not in svg and "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "a␣b" in svg and "⏎" in svg  # whitespace made visible
    bars = r"<rect x='[\d.]+' y='[\d.]+' width='[\d.]+' height='([\d.]+)' fill='[^']+'><title>"
    heights = [float(h) for h in re.findall(bars, svg)]
    assert len(heights) == 3 * len(TEMPERATURES)
    for k, temperature in enumerate(TEMPERATURES):
        expected = torch.softmax(logprobs / temperature, -1)[:3]
        got = torch.tensor(heights[3 * k : 3 * k + 3])
        assert torch.allclose(got / got.sum(), expected / expected.sum(), atol=1e-2)
    # a colder temperature puts more weight on the best token
    assert heights[0] > heights[3 * (len(TEMPERATURES) - 1)]
