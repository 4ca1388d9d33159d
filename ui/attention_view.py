"""The attention heatmap as an HTML table (every label escaped; values on hover) and as rows for a value table."""

from __future__ import annotations

import html

import torch

from .views import visible

CAVEAT = ("Attention shows where the decoder looked while writing each token; it is not an explanation of why "
          "the model chose it.")
AVERAGE = "average"


def heatmap_html(source_tokens: list[str], target_tokens: list[str], matrix: torch.Tensor | None) -> str:
    """Rows: generated subwords; columns: source subwords; cell shade = attention weight. matrix [T, S]."""
    if matrix is None or not target_tokens:
        return "<p class='quill-empty'>No attention to show yet: translate something.</p>"
    matrix = matrix[: len(target_tokens), : len(source_tokens)].float()
    header = "".join(
        f"<th class='src' title='{_attr(token)}'><span>{_text(token)}</span></th>" for token in source_tokens
    )
    rows = []
    for row_index, (target, weights) in enumerate(zip(target_tokens, matrix.tolist())):
        strongest = max(range(len(weights)), key=weights.__getitem__) if weights else -1
        cells = "".join(
            f"<td style='background: rgba(37, 99, 235, {weight:.3f})' "
            f"title='{_attr(target)} ← {_attr(source)}: {weight:.3f}'"
            f"{' class=max' if column == strongest else ''}></td>"
            for column, (source, weight) in enumerate(zip(source_tokens, weights))
        )
        rows.append(f"<tr><th class='tgt' title='{row_index + 1}'>{_text(target)}</th>{cells}</tr>")
    return (
        "<div class='quill-heatmap'><table>"
        f"<thead><tr><th class='corner'>target ↓ · source →</th>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def sentence_heading(number: int, sentence: str) -> str:
    """The caption above one part's heatmap (a sentence, or a clause of a long one; escaped: it is the user's text)."""
    return f"<p class='quill-sentence'><b>Part {number}</b>: {html.escape(sentence, quote=True)}</p>"


def attention_rows(source_tokens: list[str], target_tokens: list[str], matrix: torch.Tensor | None,
                   top: int = 3) -> list[list]:
    """One row per generated token: the source tokens it attended to most, with their weights."""
    if matrix is None:
        return []
    rows = []
    for index, (target, weights) in enumerate(zip(target_tokens, matrix.float())):
        values, positions = torch.topk(weights[: len(source_tokens)], min(top, len(source_tokens)))
        looked_at = "  ".join(f"{visible(source_tokens[p])} {v:.3f}" for v, p in zip(values.tolist(),
                                                                                   positions.tolist()))
        rows.append([index + 1, visible(target), looked_at, round(float(weights.sum()), 4)])
    return rows


ROW_HEADERS = ["#", "target token", "most attended source tokens", "row sum"]


def layer_choices(layout: tuple[int, int] | None) -> tuple[list[str], list[str]]:
    """Dropdown choices for layer and head: 'average' and 1..n (empty when the model has one attention)."""
    if layout is None:
        return [], []
    layers, heads = layout
    return [AVERAGE] + [str(i) for i in range(1, layers + 1)], [AVERAGE] + [str(i) for i in range(1, heads + 1)]


def choice_index(value, count: int | None) -> int | None:
    """'average' (or anything unknown) -> None; '3' -> 2 when 3 ≤ count."""
    try:
        index = int(value) - 1
    except (TypeError, ValueError):
        return None
    return index if count is not None and 0 <= index < count else None


def _text(token: str) -> str:
    return html.escape(visible(token), quote=True)


def _attr(token: str) -> str:
    return html.escape(token, quote=True).replace("\n", " ")
