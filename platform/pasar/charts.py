"""Server-side SVG charts for the web faces: bar and line charts with no JavaScript and no CDN.

The operator console and the seller center show small daily series (GMV, orders, payouts). A
chart is drawn here as inline SVG so the page needs no script, prints, and works offline, and
it stays accessible:

* the ``<svg>`` has ``role="img"`` with a ``<title>`` and ``<desc>`` it is labelled by;
* every number shown is formatted by the **caller** (``value_label``), because only the caller
  knows the currency and locale (a chart never guesses ``Rp`` vs ``£`` or a decimal comma);
* a visually hidden ``<table>`` carries the same data for screen readers and for copying;
* every text that came from data (titles, category labels, series names) is escaped, so a
  product or shop name cannot inject markup;
* no data and a single point still draw a sensible picture (a "no data" note, one bar).

Colours alone never distinguish line series: each series also has its own dash pattern and
marker shape, and the legend repeats both.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

__all__ = ["bar_chart", "line_chart"]

Number = Decimal | int
ValueLabel = Callable[[Number], str]

WIDTH = 640
HEIGHT = 320
TOP = 28
BOTTOM_FLAT = 36
BOTTOM_SLANTED = 78
RIGHT = 16
CHAR_WIDTH = 7  # average advance of the 12px system font, for margin estimates only
VALUE_CHAR_WIDTH = 6.5  # the same for the 11px value labels
MAX_LEFT = 150
SLANT_AFTER = 8  # more categories than this and the axis labels are slanted
COLOURS = ("#0b57d0", "#a4161a", "#0a6b2d", "#6b3fa0", "#8a5a00", "#00607a")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 5", "8 8")
_ids = itertools.count(1)


@dataclass(frozen=True)
class _Frame:
    """Plot area in SVG units and the value range it shows."""

    left: float
    top: float
    width: float
    height: float
    low: Number
    high: Number

    def y(self, value: Number) -> float:
        span = Decimal(self.high) - Decimal(self.low)
        share = (Decimal(value) - Decimal(self.low)) / span if span else Decimal(0)
        return round(self.top + self.height - float(share) * self.height, 2)


def bar_chart(points: Sequence[tuple[str, Number]], *, title: str,
              value_label: ValueLabel) -> Markup:
    """One bar per (label, value), each bar labelled with ``value_label(value)``."""
    chart_id = _next_id()
    labels = [label for label, _value in points]
    values = [value for _label, value in points]
    if not points:
        return _figure(chart_id, title, _("No data"), _empty_body(), _table(title, [], {}, value_label))
    frame = _frame(values, labels, value_label)
    slot = frame.width / len(points)
    bar_width = max(2.0, min(56.0, slot * 0.6))
    zero = frame.y(0)
    texts = [value_label(value) for value in values]
    # Value labels only where every one fits above its bar; else the tooltips and the table
    # carry them (crowded labels overlap and help no one).
    labelled = max(len(text) for text in texts) * VALUE_CHAR_WIDTH <= slot
    shapes: list[str] = []
    for index, (label, value) in enumerate(points):
        centre = frame.left + slot * index + slot / 2
        top = frame.y(value)
        y, height = (top, zero - top) if top <= zero else (zero, top - zero)
        text = texts[index]
        shapes.append(
            f'<rect x="{centre - bar_width / 2:.2f}" y="{y:.2f}" width="{bar_width:.2f}" '
            f'height="{max(height, 0.0):.2f}" fill="{COLOURS[0]}"><title>{escape(label)}: '
            f'{escape(text)}</title></rect>')
        if labelled:
            label_y = y - 4 if value >= 0 else y + height + 12
            shapes.append(_text(centre, label_y, text, anchor="middle", size=11, cls="value"))
    shapes.extend(_category_axis(frame, labels, slot))
    desc = _describe(title, [(label, value_label(value)) for label, value in points])
    table = _table(title, labels, {_("Value"): dict(points)}, value_label)
    return _figure(chart_id, title, desc, "".join(_value_axis(frame, value_label) + shapes), table)


def line_chart(series: Mapping[str, Sequence[tuple[str, Number]]], *, title: str,
               value_label: ValueLabel) -> Markup:
    """One line per named series over the union of their categories (in first-seen order).

    A category a series has no value for is a gap in that line, not a zero: a missing day is
    not a day without sales."""
    chart_id = _next_id()
    labels = list(dict.fromkeys(label for points in series.values() for label, _v in points))
    by_series = {name: dict(points) for name, points in series.items()}
    if not labels:
        return _figure(chart_id, title, _("No data"), _empty_body(),
                       _table(title, [], by_series, value_label))
    values = [value for points in by_series.values() for value in points.values()]
    frame = _frame(values, labels, value_label, legend=len(series) > 0)
    slot = frame.width / len(labels)
    shapes: list[str] = []
    for number, (name, points) in enumerate(by_series.items()):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        for run in _runs(labels, points):
            coords = " ".join(f"{frame.left + slot * i + slot / 2:.2f},{frame.y(v):.2f}"
                              for i, v in run)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            shapes.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                          f'stroke-width="2"{dashed}/>')
        for index, label in enumerate(labels):
            if label not in points:
                continue
            x, y, text = frame.left + slot * index + slot / 2, frame.y(points[label]), \
                value_label(points[label])
            shapes.append(_marker(number, x, y, colour,
                                  f"{escape(name)}, {escape(label)}: {escape(text)}"))
            if len(labels) <= SLANT_AFTER:
                shapes.append(_text(x, y - 7, text, anchor="middle", size=10, cls="value"))
    shapes.extend(_category_axis(frame, labels, slot))
    shapes.extend(_legend(frame, list(by_series)))
    desc = "; ".join(_describe(name, [(label, value_label(value)) for label, value in points.items()])
                     for name, points in by_series.items())
    table = _table(title, labels, by_series, value_label)
    return _figure(chart_id, title, desc, "".join(_value_axis(frame, value_label) + shapes), table)


# --- layout -----------------------------------------------------------------------------------
def _frame(values: Sequence[Number], labels: Sequence[str], value_label: ValueLabel, *,
           legend: bool = False) -> _Frame:
    """Room for the value axis on the left (as wide as its longest label) and the categories
    below (slanted when there are many); zero is always inside the range so bars start at it."""
    low: Number = min([0, *values])
    high: Number = max([0, *values])
    tick_texts = [value_label(low), value_label(high)]
    left = min(MAX_LEFT, 12 + CHAR_WIDTH * max(len(text) for text in tick_texts))
    bottom = BOTTOM_SLANTED if len(labels) > SLANT_AFTER else BOTTOM_FLAT
    top = TOP + (18 if legend else 0)
    return _Frame(left=left, top=top, width=WIDTH - left - RIGHT, height=HEIGHT - top - bottom,
                  low=low, high=high)


def _value_axis(frame: _Frame, value_label: ValueLabel) -> list[str]:
    """The axis line with ticks at the lowest value, zero and the highest value."""
    ticks = sorted({frame.low, 0, frame.high}, key=Decimal)
    out = [f'<line x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" '
           f'y2="{frame.top + frame.height}" stroke="#4a4a4a"/>']
    for tick in ticks:
        y = frame.y(tick)
        out.append(f'<line x1="{frame.left - 4}" y1="{y}" x2="{frame.left + frame.width}" y2="{y}" '
                   f'stroke="#d6d6d6"/>')
        out.append(_text(frame.left - 6, y + 4, value_label(tick), anchor="end", size=11,
                         cls="tick"))
    return out


def _category_axis(frame: _Frame, labels: Sequence[str], slot: float) -> list[str]:
    """The baseline and one label per category; many categories get slanted labels."""
    base = frame.top + frame.height
    out = [f'<line x1="{frame.left}" y1="{base}" x2="{frame.left + frame.width}" y2="{base}" '
           f'stroke="#4a4a4a"/>']
    slanted = len(labels) > SLANT_AFTER
    for index, label in enumerate(labels):
        x = frame.left + slot * index + slot / 2
        if slanted:
            out.append(f'<text x="{x:.2f}" y="{base + 14}" font-size="11" text-anchor="end" '
                       f'class="category" transform="rotate(-45 {x:.2f} {base + 14})">'
                       f'{escape(label)}</text>')
        else:
            out.append(_text(x, base + 16, label, anchor="middle", size=11, cls="category"))
    return out


def _legend(frame: _Frame, names: Sequence[str]) -> list[str]:
    """Series names with their colour, dash and marker, in one row above the plot."""
    out: list[str] = []
    x = frame.left
    for number, name in enumerate(names):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x}" y1="{TOP - 4}" x2="{x + 22}" y2="{TOP - 4}" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
        out.append(_marker(number, x + 11, TOP - 4, colour, str(escape(name))))
        out.append(_text(x + 28, TOP, name, anchor="start", size=11, cls="legend"))
        x += 40 + CHAR_WIDTH * len(name)
    return out


def _runs(labels: Sequence[str], points: Mapping[str, Number]) -> list[list[tuple[int, Number]]]:
    """Consecutive stretches of categories the series has values for (gaps break the line)."""
    runs: list[list[tuple[int, Number]]] = [[]]
    for index, label in enumerate(labels):
        if label in points:
            runs[-1].append((index, points[label]))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _marker(number: int, x: float, y: float, colour: str, tooltip: str) -> str:
    """A circle, square or diamond, so series differ by shape as well as colour."""
    shape = number % 3
    if shape == 0:
        body = f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3.5" fill="{colour}">'
        end = "</circle>"
    elif shape == 1:
        body = f'<rect x="{x - 3.5:.2f}" y="{y - 3.5:.2f}" width="7" height="7" fill="{colour}">'
        end = "</rect>"
    else:
        body = (f'<polygon points="{x:.2f},{y - 4.5:.2f} {x + 4.5:.2f},{y:.2f} {x:.2f},'
                f'{y + 4.5:.2f} {x - 4.5:.2f},{y:.2f}" fill="{colour}">')
        end = "</polygon>"
    return f"{body}<title>{tooltip}</title>{end}"


def _text(x: float, y: float, text: str, *, anchor: str, size: int, cls: str) -> str:
    return (f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" '
            f'class="{cls}" fill="#111">{escape(text)}</text>')


def _empty_body() -> str:
    return (f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" font-size="14" text-anchor="middle" '
            f'class="empty" fill="#4a4a4a">{escape(_("No data"))}</text>')


# --- text alternatives --------------------------------------------------------------------------
def _describe(title: str, labelled: Sequence[tuple[str, str]]) -> str:
    """A one-line summary for ``<desc>``: what is shown and its values."""
    values = ", ".join(f"{label}: {text}" for label, text in labelled)
    return f"{title}. {values}" if values else title


def _table(title: str, labels: Sequence[str], by_series: Mapping[str, Mapping[str, Number]],
           value_label: ValueLabel) -> str:
    """The chart's data as a visually hidden table (one column per series)."""
    head = "".join(f'<th scope="col" class="num">{escape(name)}</th>' for name in by_series)
    rows = []
    for label in labels:
        cells = "".join(
            f'<td class="num">{escape(value_label(points[label])) if label in points else "—"}</td>'
            for points in by_series.values())
        rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    if not labels:
        rows.append(f'<tr><td colspan="{len(by_series) + 1}">{escape(_("No data"))}</td></tr>')
    return (f'<table class="visually-hidden"><caption>{escape(title)}</caption>'
            f'<thead><tr><th scope="col">{escape(_("Category"))}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _figure(chart_id: str, title: str, desc: str, body: str, table: str) -> Markup:
    return Markup(
        f'<figure class="chart" id="{chart_id}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
        f'<figcaption>{escape(title)}</figcaption>{table}</figure>')


def _next_id() -> str:
    """Ids unique within a process, so several charts on a page keep their own labels."""
    return f"chart-{next(_ids)}"
