"""pasar.charts: accessible server-side SVG, values formatted by the caller, labels escaped."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from markupsafe import Markup

from pasar.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def rupiah(value: Decimal | int) -> str:
    """A caller's formatter: the chart must print exactly what this returns."""
    return f"Rp {int(value):,}".replace(",", ".")


def parse(markup: Markup) -> ET.Element:
    """The figure as XML: the output must be well-formed (escaping done right)."""
    return ET.fromstring(str(markup))


def svg_of(figure: ET.Element) -> ET.Element:
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return svg


def texts(element: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in element.iter(f"{SVG}text")]


def test_bar_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    figure = parse(bar_chart([("Mon", 10), ("Tue", 30)], title="Orders per day",
                             value_label=str))
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Orders per day"
    assert desc is not None and "Mon: 10" in (desc.text or "") and "Tue: 30" in (desc.text or "")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_bar_chart_draws_one_bar_per_point_with_the_callers_value_labels() -> None:
    figure = parse(bar_chart([("1 Mar", Decimal("1500000")), ("2 Mar", Decimal("250000.00"))],
                             title="GMV", value_label=rupiah))
    svg = svg_of(figure)
    bars = [rect for rect in svg.iter(f"{SVG}rect")]
    assert len(bars) == 2
    shown = texts(svg)
    assert "Rp 1.500.000" in shown and "Rp 250.000" in shown
    assert "1 Mar" in shown and "2 Mar" in shown
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] > heights[1] * 5  # 1.5M is six times 250k: the bars are to scale


def test_value_axis_is_labelled_with_zero_and_the_largest_value() -> None:
    svg = svg_of(parse(bar_chart([("a", 7), ("b", 3)], title="t", value_label=rupiah)))
    ticks = [node.text for node in svg.iter(f"{SVG}text") if node.get("class") == "tick"]
    assert ticks == ["Rp 0", "Rp 7"]


def test_a_hidden_table_repeats_the_data_for_screen_readers() -> None:
    figure = parse(bar_chart([("Mon", 10), ("Tue", 30)], title="Orders", value_label=str))
    table = figure.find("table")
    assert table is not None and table.get("class") == "visually-hidden"
    assert "".join(table.find("caption").itertext()) == "Orders"  # type: ignore[union-attr]
    rows = [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")][1:]
    assert rows == [["Mon", "10"], ["Tue", "30"]]


def test_labels_from_data_are_escaped_not_rendered_as_markup() -> None:
    evil = '<script>alert("x")</script>'
    markup = bar_chart([(evil, 1)], title='Shop "A" & <b>B</b>', value_label=lambda v: f"<{v}>")
    text = str(markup)
    assert "<script>" not in text and "<b>" not in text and "<1>" not in text
    figure = parse(markup)  # well-formed, so nothing broke out of an attribute or element
    assert evil in texts(svg_of(figure))
    assert svg_of(figure).find(f"{SVG}title").text == 'Shop "A" & <b>B</b>'  # type: ignore[union-attr]


def test_no_points_draws_a_no_data_note_and_an_empty_table() -> None:
    figure = parse(bar_chart([], title="GMV", value_label=rupiah))
    svg = svg_of(figure)
    assert list(svg.iter(f"{SVG}rect")) == []
    assert "No data" in texts(svg)
    assert "No data" in "".join(figure.find("table").itertext())  # type: ignore[union-attr]


def test_one_point_draws_one_bar_inside_the_picture() -> None:
    svg = svg_of(parse(bar_chart([("today", 5)], title="t", value_label=str)))
    (bar,) = list(svg.iter(f"{SVG}rect"))
    x, width = float(bar.get("x", "0")), float(bar.get("width", "0"))
    assert 0 < x and x + width < 640 and float(bar.get("height", "0")) > 0


def test_all_zero_values_still_draw_without_dividing_by_zero() -> None:
    svg = svg_of(parse(bar_chart([("a", 0), ("b", 0)], title="t", value_label=str)))
    assert [float(bar.get("height", "1")) for bar in svg.iter(f"{SVG}rect")] == [0.0, 0.0]


def test_several_charts_on_a_page_have_distinct_ids() -> None:
    first = svg_of(parse(bar_chart([("a", 1)], title="one", value_label=str)))
    second = svg_of(parse(bar_chart([("a", 1)], title="two", value_label=str)))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_line_chart_draws_a_line_per_series_with_a_legend() -> None:
    figure = parse(line_chart({"Orders": [("Mon", 1), ("Tue", 4)],
                               "Paid": [("Mon", 1), ("Tue", 3)]},
                              title="Orders per day", value_label=str))
    svg = svg_of(figure)
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")
    legend = [node.text for node in svg.iter(f"{SVG}text") if node.get("class") == "legend"]
    assert legend == ["Orders", "Paid"]
    header = ["".join(cell.itertext()) for cell in figure.find("table").iter("th")][:3]  # type: ignore[union-attr]
    assert header[1:] == ["Orders", "Paid"]


def test_a_missing_day_is_a_gap_in_the_line_not_a_zero() -> None:
    figure = parse(line_chart({"Orders": [("1", 1), ("2", 2), ("3", 3)],
                               "GMV": [("1", 5), ("3", 6)]},
                              title="t", value_label=str))
    svg = svg_of(figure)
    gmv_segments = [line for line in svg.iter(f"{SVG}polyline")
                    if line.get("stroke") == "#a4161a"]
    assert len(gmv_segments) == 2  # day 2 breaks the GMV line
    rows = [["".join(cell.itertext()) for cell in row] for row in figure.iter("tr")][1:]
    assert rows[1] == ["2", "2", "—"]


def test_line_chart_with_one_point_and_with_none() -> None:
    one = svg_of(parse(line_chart({"GMV": [("Mon", 3)]}, title="t", value_label=str)))
    assert len(list(one.iter(f"{SVG}polyline"))) == 1
    assert len(list(one.iter(f"{SVG}circle"))) == 2  # the point's marker and the legend's
    empty = parse(line_chart({}, title="t", value_label=str))
    assert "No data" in texts(svg_of(empty))


def test_many_categories_get_slanted_labels() -> None:
    points = [(f"2026-03-{day:02d}", day) for day in range(1, 15)]
    svg = svg_of(parse(bar_chart(points, title="t", value_label=str)))
    categories = [node for node in svg.iter(f"{SVG}text") if node.get("class") == "category"]
    assert len(categories) == 14
    assert all(re.match(r"rotate\(-45 ", node.get("transform", "")) for node in categories)


def test_crowded_bars_leave_their_values_to_tooltips_and_the_table() -> None:
    points = [(f"{day} Mar", 1_000_000 * day) for day in range(1, 31)]
    figure = parse(bar_chart(points, title="GMV", value_label=rupiah))
    svg = svg_of(figure)
    assert [n for n in svg.iter(f"{SVG}text") if n.get("class") == "value"] == []
    tooltips = [bar.find(f"{SVG}title").text for bar in svg.iter(f"{SVG}rect")]  # type: ignore[union-attr]
    assert tooltips[0] == "1 Mar: Rp 1.000.000"
    assert "Rp 30.000.000" in "".join(figure.find("table").itertext())  # type: ignore[union-attr]
