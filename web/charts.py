"""Horizontal bar charts drawn on the server as SVG, with the table of the same numbers.

``build_chart`` lays out the bars; the editors' dashboard (cms) draws each (``role="img"``, a
``<title>``, a ``<desc>`` that reads out every number, then the data table). A stacked chart
names a colour AND a pattern for each series, so colour never carries the meaning alone.
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator

# Geometry (SVG user units; the SVG scales to its box).
CHART_WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 56
BAR_AREA = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 12
ROW_HEIGHT = 28
BAR_HEIGHT = 18
CHART_PADDING = 8
LABEL_CHARS = 30


@dataclass
class Chart:
    """A horizontal bar chart and the table of the same numbers."""

    id: str
    title: str
    description: str
    label_header: str  # header of the table's first column
    columns: list  # headers of the table's value columns
    rows: list  # {"label", "short_label", "values": [...], "total", "y", "segments": [...]}
    series: list = field(default_factory=list)  # stacked charts: the legend
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    width: int = CHART_WIDTH
    row_height: int = ROW_HEIGHT
    bar_height: int = BAR_HEIGHT
    empty: bool = False


def build_chart(chart_id, title, rows, *, label_header, columns, series=None, describe) -> Chart:
    """Lay out the bars of ``rows`` (label, [value per series]) and describe them in words.

    ``series``: for a stacked chart, one {"key", "label", "colour", "pattern"} per value.
    """
    series = [
        {**serie, "fill": serie_fill(chart_id, serie)}
        for serie in series or [{"key": "value", "label": columns[0], "pattern": "bar"}]
    ]
    totals = [sum(values) for _label, values in rows]
    top = max(totals, default=0)
    laid_out = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = CHART_PADDING + index * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for serie, value in zip(series, values, strict=True):
            width = (value / top) * BAR_AREA if top else 0
            if value and width < 2:
                width = 2  # a non-zero value stays visible
            if value:
                segments.append(
                    {**serie, "x": round(x, 2), "width": round(width, 2), "value": value}
                )
            x += width
        laid_out.append(
            {
                "label": label,
                "short_label": Truncator(label).chars(LABEL_CHARS),
                "values": values,
                "total": total,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2,
                "segments": segments,
                "value_x": round(x + 6, 2),
            }
        )
    return Chart(
        id=chart_id,
        title=title,
        description=describe(rows),
        label_header=label_header,
        columns=columns,
        rows=laid_out,
        series=series if len(series) > 1 else [],
        height=CHART_PADDING * 2 + max(len(rows), 1) * ROW_HEIGHT,
        empty=not rows,
    )


def serie_fill(chart_id: str, serie: dict) -> str:
    """A pattern of the chart's own (ids are unique in the page), a plain colour, or CSS's."""
    if serie["pattern"] == "bar":
        return ""  # the stylesheet colours single-series bars (light and dark themes)
    if serie["pattern"] == "solid":
        return serie["colour"]
    return f"url(#{chart_id}-{serie['key']})"


def listing(rows, unit) -> str:
    """ "Se former : 3 applications ; Trouver un emploi : 1 application" (a chart's desc)."""
    return " ; ".join(f"{label} : {unit(values[0])}" for label, values in rows)
