"""Bar charts drawn at build time: no script, no network. The bars are inline SVG
stretched to the width of the page (one bar per step of a real time axis, so a gap
in the data is a gap in the chart); the labels are HTML text under it, so they keep
their size on a phone instead of shrinking with the drawing. Colours come from
Material's CSS variables (docs/stylesheets/extra.css), so they read in light and
dark mode alike. Each bar has a tooltip with its label and count."""

from __future__ import annotations

from html import escape as html_escape
from typing import Sequence

from markupsafe import Markup

HEIGHT = 100  # the drawing's own units; CSS sets the height it is shown at
MIN_SLOTS = 24  # fewer bars than this are drawn at this width, not stretched into slabs


def bar_chart(bars: Sequence[tuple[str, int]], title: str, unit: str = "papers") -> Markup:
    """`bars` are (label, count) pairs, one per step of the axis (a day, a month), in
    order, zeros included; the first and last labels are written under the axis.
    Returns one line of HTML, safe to put in Markdown."""
    if not bars:
        return Markup("")
    peak = max(count for _, count in bars) or 1
    slots = max(len(bars), MIN_SLOTS)
    parts = [
        f'<svg class="digest-chart" viewBox="0 0 {slots} {HEIGHT}" preserveAspectRatio="none" role="img" aria-label="{html_escape(title)}">',
        f"<title>{html_escape(title)}</title>",
    ]
    for i, (label, count) in enumerate(bars):
        h = HEIGHT * count / peak
        parts.append(
            f'<rect x="{i + 0.1:.1f}" y="{HEIGHT - h:.2f}" width="0.8" height="{h:.2f}">'
            f"<title>{html_escape(label)}: {count:,} {unit}</title></rect>"
        )
    parts.append("</svg>")
    first, last = html_escape(bars[0][0]), html_escape(bars[-1][0])
    ends = f"<span>{first}</span><span>{last}</span>" if len(bars) > 1 else f"<span>{first}</span>"
    axis = f'<div class="digest-chart-axis">{ends}</div>'
    caption = f"<figcaption>{html_escape(title)} (highest: {peak:,})</figcaption>"
    return Markup(f'<figure class="digest-chart-box">{"".join(parts)}{axis}{caption}</figure>')
