"""The year's account drawn as SVG on the server: no script, no request elsewhere, the
same on paper as on screen.

Each function takes a chart's data (allas.year_account.parts.Chart) and returns the
markup of one <svg role="img"> named by its <title> and described by its <desc> (the
text alternative), with every count written out as text and every series told apart by
a pattern as well as a shade, so that nothing is said by colour alone. The numbers are
also in the table the page shows beside each chart.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

INK = "#1b1b1b"
# A blue for the marks, dark enough for 3:1 against white (WCAG 1.4.11).
MARK = "#1f4e79"
FONT = 'font-family="system-ui, sans-serif"'
# The heat grid's shades for a cell's total, lightest first: light enough that black
# text stays readable on all of them.
HEAT = ["#ffffff", "#e8f1fa", "#d0e3f4", "#b5d2ed", "#9cc2e6"]

# One pattern per series, in order: drawn over a light ground with marks in MARK.
PATTERNS = [
    # solid
    '<rect width="8" height="8" fill="{m}"/>',
    # diagonal lines
    '<rect width="8" height="8" fill="#ffffff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" '
    'stroke="{m}" stroke-width="2"/>',
    # dots
    '<rect width="8" height="8" fill="#ffffff"/><circle cx="4" cy="4" r="1.8" fill="{m}"/>',
    # cross-hatch
    '<rect width="8" height="8" fill="#ffffff"/><path d="M0,0 l8,8 M8,0 l-8,8" '
    'stroke="{m}" stroke-width="1.2"/>',
    # horizontal lines
    '<rect width="8" height="8" fill="#ffffff"/><path d="M0,2 h8 M0,6 h8" stroke="{m}" '
    'stroke-width="1.5"/>',
    # vertical lines
    '<rect width="8" height="8" fill="#ffffff"/><path d="M2,0 v8 M6,0 v8" stroke="{m}" '
    'stroke-width="1.5"/>',
    # checks
    '<rect width="8" height="8" fill="#ffffff"/><rect width="4" height="4" fill="{m}"/>'
    '<rect x="4" y="4" width="4" height="4" fill="{m}"/>',
    # empty
    '<rect width="8" height="8" fill="#ffffff"/>',
]


def _attr(value) -> str:
    return escape(str(value))


def _number(value) -> str:
    """A count or a number of days as the page writes it, in the active language (a
    decimal comma in Swedish); the account's numbers are whole or have one decimal."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, 1)
    return str(int(value))


def _open(key: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ya-chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{key}-title {key}-desc" '
        f'focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
    ]


def _patterns(key: str, count: int) -> str:
    defs = []
    for i in range(count):
        body = PATTERNS[i % len(PATTERNS)].format(m=MARK)
        defs.append(
            f'<pattern id="{key}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{body}</pattern>"
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _swatch(key: str, i: int, x: float, y: float, size: float = 12) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{size}" height="{size}" fill="url(#{key}-p{i})" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )


def _text(x, y, text, *, size=13, anchor="start", weight="normal") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}" {FONT}{bold}>{escape(text)}</text>'
    )


def _legend(key: str, series, x: float, y: float, width: float) -> tuple[list[str], float]:
    """The series' patterns with their names, wrapped to the width; returns the markup
    and the height it takes."""
    parts, cx, cy = [], x, y
    for i, (_key, label) in enumerate(series):
        needed = 20 + 7.2 * len(str(label)) + 18
        if cx > x and cx + needed > x + width:
            cx, cy = x, cy + 22
        parts.append(_swatch(key, i, cx, cy))
        parts.append(_text(cx + 18, cy + 11, str(label), size=13))
        cx += needed
    return parts, cy - y + 22


LABEL_WIDTH = 120


def matrix(key: str, title: str, description: str, data: dict) -> str:
    """A heat grid: one row per ort, one column per area; each cell shaded by how many
    it holds, with each series' count beside its pattern, two series to a line."""
    columns, series, rows = data["columns"], data["series"], data["rows"]
    cell_w, cell_h, head_h = 104, 48, 30
    width = LABEL_WIDTH + cell_w * len(columns) + 10
    legend_y = head_h + cell_h * len(rows) + 16
    legend, legend_h = _legend(key, series, 10, legend_y, width - 20)
    height = legend_y + legend_h + 6
    top = max(
        (sum(cell.get(s, 0) for s, _l in series) for row in rows for cell in row["cells"]),
        default=0,
    )
    out = _open(key, width, height, title, description)
    out.append(_patterns(key, len(series)))
    for c, label in enumerate(columns):
        x = LABEL_WIDTH + c * cell_w + cell_w / 2
        out.append(_text(x, head_h - 10, str(label), anchor="middle", weight="bold"))
    for r, row in enumerate(rows):
        y = head_h + r * cell_h
        out.append(_text(6, y + cell_h / 2 + 5, str(row["label"]), weight="bold"))
        for c, cell in enumerate(row["cells"]):
            x = LABEL_WIDTH + c * cell_w
            total = sum(cell.get(s, 0) for s, _l in series)
            shade = HEAT[0] if not total else HEAT[1 + min(3, (total * 4 - 1) // max(top, 1))]
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{shade}" '
                f'stroke="{INK}" stroke-width="0.6"/>'
            )
            if not total:
                out.append(_text(x + cell_w / 2, y + cell_h / 2 + 5, "0", anchor="middle"))
                continue
            for i, (s, _label) in enumerate(series):
                sx = x + 8 + (i % 2) * (cell_w / 2)
                sy = y + 8 + (i // 2) * 18
                out.append(_swatch(key, i, sx, sy))
                out.append(_text(sx + 16, sy + 11, _number(cell.get(s, 0))))
    out.extend(legend)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  every text above is escaped


def _scale_max(value: float) -> int:
    """The axis's end, in four whole steps of 1, 2 or 5 times a power of ten."""
    power = 1
    while True:
        for m in (1, 2, 5):
            if 4 * m * power >= value:
                return 4 * m * power
        power *= 10


def bars(key: str, title: str, description: str, data: dict) -> str:
    """A horizontal bar per row, stacked by series, with the row's total at its end."""
    series, rows = data["series"], data["rows"]
    bar_area, row_h = 480, 30
    width = LABEL_WIDTH + bar_area + 60
    top = max((sum(row["values"]) for row in rows), default=0)
    scale = _scale_max(top)
    axis_y = 24 + row_h * len(rows)
    legend_y = axis_y + 30
    legend, legend_h = _legend(key, series, 10, legend_y, width - 20)
    height = legend_y + legend_h + 6
    out = _open(key, width, height, title, description)
    out.append(_patterns(key, len(series)))
    for tick in range(5):
        value = scale * tick / 4
        x = LABEL_WIDTH + bar_area * tick / 4
        out.append(
            f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{axis_y}" stroke="#8a8a8a" '
            f'stroke-width="0.6" stroke-dasharray="3 3"/>'
        )
        out.append(_text(x, axis_y + 16, _number(value), size=12, anchor="middle"))
    for r, row in enumerate(rows):
        y = 20 + r * row_h
        out.append(_text(6, y + 16, str(row["label"]), weight="bold"))
        x = LABEL_WIDTH
        for i, value in enumerate(row["values"]):
            if not value:
                continue
            w = bar_area * value / scale
            out.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
                f'fill="url(#{key}-p{i})" stroke="{INK}" stroke-width="0.8">'
                f"<title>{escape(series[i][1])}: {value}</title></rect>"
            )
            x += w
        out.append(_text(x + 6, y + 16, _number(sum(row["values"]))))
    out.extend(legend)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  every text above is escaped


# The mark of each series in a range chart: a circle, a square, a diamond.
MARKERS = [
    '<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{m}" stroke="{i}" stroke-width="1"/>',
    '<rect x="{xs:.1f}" y="{ys:.1f}" width="10" height="10" fill="#ffffff" stroke="{m}" '
    'stroke-width="2.5"/>',
    '<path d="M{x:.1f},{ys:.1f} l5,5 l-5,5 l-5,-5 z" fill="{m}"/>',
]


def _marker(i: int, x: float, y: float) -> str:
    return MARKERS[i % len(MARKERS)].format(x=x, y=y, xs=x - 5, ys=y - 5, m=MARK, i=INK)


def ranges(key: str, title: str, description: str, data: dict) -> str:
    """Per row and series: the median as a mark, a line on to the 90th percentile with a
    tick at its end, and both written out ("4–12"). A row without values says so."""
    series, rows, unit = data["series"], data["rows"], data.get("unit", "")
    area, sub_h, gap = 440, 18, 10
    width = LABEL_WIDTH + area + 110
    row_h = sub_h * len(series) + gap
    top = max(
        (v["p90"] for row in rows for v in row["values"] if v is not None),
        default=0,
    )
    scale = _scale_max(top)
    axis_y = 22 + row_h * len(rows)
    legend_y = axis_y + 34
    out = _open(key, width, legend_y + 22 * len(series) + 30, title, description)
    for tick in range(5):
        value = scale * tick / 4
        x = LABEL_WIDTH + area * tick / 4
        out.append(
            f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{axis_y}" stroke="#8a8a8a" '
            f'stroke-width="0.6" stroke-dasharray="3 3"/>'
        )
        out.append(_text(x, axis_y + 16, _number(value), size=12, anchor="middle"))
    out.append(_text(LABEL_WIDTH + area / 2, axis_y + 30, unit, size=12, anchor="middle"))
    for r, row in enumerate(rows):
        y0 = 20 + r * row_h
        out.append(_text(6, y0 + row_h / 2 + 1, str(row["label"]), weight="bold"))
        for i, value in enumerate(row["values"]):
            y = y0 + i * sub_h + sub_h / 2
            if value is None:
                out.append(_text(LABEL_WIDTH + 4, y + 4, "–", size=12))
                continue
            x1 = LABEL_WIDTH + area * value["median"] / scale
            x2 = LABEL_WIDTH + area * value["p90"] / scale
            out.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" '
                f'stroke="{MARK}" stroke-width="2"/>'
                f'<line x1="{x2:.1f}" y1="{y - 6:.1f}" x2="{x2:.1f}" y2="{y + 6:.1f}" '
                f'stroke="{MARK}" stroke-width="2"/>'
            )
            out.append(_marker(i, x1, y))
            label = f"{_number(value['median'])}–{_number(value['p90'])}"
            out.append(_text(x2 + 8, y + 4, label, size=12))
    for i, (_key, label) in enumerate(series):
        y = legend_y + 22 * i
        out.append(_marker(i, 16, y))
        out.append(_text(30, y + 4, str(label)))
    note = data.get("legend", "")
    if note:
        out.append(_text(10, legend_y + 22 * len(series) + 10, note, size=12))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  every text above is escaped


DRAW = {"matrix": matrix, "bars": bars, "ranges": ranges}


def draw(chart) -> str:
    """The chart's SVG, by its kind."""
    return DRAW[chart.kind](chart.key, chart.title, chart.description, chart.data)
