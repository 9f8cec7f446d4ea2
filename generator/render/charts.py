"""Bar charts drawn at build time as inline SVG: no script, no network, and colours
taken from Material's CSS variables (see docs/stylesheets/extra.css), so they read
in light and dark mode alike. Each bar has a tooltip with its label and count."""

from __future__ import annotations

from html import escape as html_escape
from typing import Sequence

from markupsafe import Markup

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 150, 12, 22, 34
MAX_BAR = 28
LABEL_ROOM = 80  # px an axis label needs


def bar_chart(bars: Sequence[tuple[str, int]], title: str, unit: str = "papers") -> Markup:
    """`bars` are (label, count) pairs in display order; labels of the first and last bar
    are written under the axis. Returns one line of HTML, safe to put in Markdown."""
    if not bars:
        return Markup("")
    peak = max(count for _, count in bars) or 1
    plot_h = HEIGHT - TOP - BOTTOM
    # Bars at most MAX_BAR wide: a handful of days makes a short chart, not slabs.
    plot_w = min(WIDTH - LEFT - 4, MAX_BAR * len(bars))
    step = plot_w / len(bars)
    gap = min(2.0, step * 0.2)
    parts = [
        f'<svg class="digest-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html_escape(title)}" preserveAspectRatio="xMinYMid meet">',
        f"<title>{html_escape(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{peak:,}</text>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (label, count) in enumerate(bars):
        h = plot_h * count / peak
        x = LEFT + i * step + gap / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(step - gap, 0.5):.1f}" height="{h:.1f}">'
            f"<title>{html_escape(label)}: {count:,} {unit}</title></rect>"
        )
    first, last = bars[0][0], bars[-1][0]
    if len(bars) > 1 and plot_w >= 2 * LABEL_ROOM:
        parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 6}">{html_escape(first)}</text>')
        parts.append(f'<text class="tick" x="{LEFT + plot_w}" y="{HEIGHT - 6}" text-anchor="end">{html_escape(last)}</text>')
    else:  # too narrow for a label at each end
        span = first if len(bars) == 1 else f"{first} to {last}"
        parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 6}">{html_escape(span)}</text>')
    parts.append("</svg>")
    caption = f'<div class="digest-chart-caption">{html_escape(title)}</div>'
    return Markup(f'<div class="digest-chart-box">{"".join(parts)}{caption}</div>')
