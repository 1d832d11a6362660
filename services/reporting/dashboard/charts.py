"""Server-rendered SVG charts: no chart library, no script; they print, scale and read without JavaScript.

Every chart carries a text alternative (role="img" with a label) and the page shows the same
numbers in a table beside it, so colour and shape are never the only signal.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from services.reporting.dashboard.formatting import number

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 52, 24, 12, 40
SERIES_STYLE = (("#1a5fb4", ""), ("#c64600", "6 4"))  # colour and dash: the two lines differ also in shape


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # rates in [0, 1]; None where there is no figure


def trend_chart(labels: list[str], series: list[Series], label: str) -> Markup:
    """A line chart of rates (0–100 %) over periods, one line per series, with a legend."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(1, len(labels) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return LEFT + i * step, TOP + inner_h * (1 - v)

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 24}" role="img" aria-label="{escape(label)}" '
             f'preserveAspectRatio="xMidYMid meet"><title>{escape(label)}</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        _, y = xy(0, tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{int(tick * 100)}%</text>')
    for i, text in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(text)}</text>')
    for (colour, dash), s in zip(SERIES_STYLE, series):
        points = [xy(i, v) for i, v in enumerate(s.values) if v is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/>')
            parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points)
    for n, ((colour, dash), s) in enumerate(zip(SERIES_STYLE, series)):
        x = LEFT + n * 220
        parts.append(f'<line x1="{x}" x2="{x + 28}" y1="{HEIGHT + 10}" y2="{HEIGHT + 10}" stroke="{colour}" stroke-width="2.5" '
                     f'stroke-dasharray="{dash}"/><text x="{x + 34}" y="{HEIGHT + 14}">{escape(s.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_rows(items: list[tuple[str, int, str]], label: str) -> Markup:
    """Horizontal bars with the number always written beside each: (name, count, css class)."""
    largest = max([count for _, count, _ in items] + [1])
    height = 26 * len(items) + 4
    parts = [f'<svg class="bars" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>']
    for row, (name, count, css) in enumerate(items):
        y, width = 4 + row * 26, (WIDTH - 300) * count / largest
        parts.append(f'<text x="0" y="{y + 15}">{escape(name)}</text>'
                     f'<rect x="220" y="{y}" width="{max(width, 1):.1f}" height="18" class="bar {css}"/>'
                     f'<text x="{226 + width:.1f}" y="{y + 15}">{number(count)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
