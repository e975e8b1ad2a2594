"""The visit report: a few pages a neurologist reads in the minutes of a visit, drawn with matplotlib.

The content is a plain tree (:class:`VisitReport` of :class:`Section` with paragraphs, tables and
charts) built elsewhere from the record; this module only lays it out: as A4 pages in a PDF
(:func:`render_pdf`) and as chart images for the printable web page (:func:`chart_png`). Charts
must read in black and white: every series has its own line style and marker, and injection days
are dashed vertical lines with a label, so nothing depends on colour alone.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter, at INFO, on every PDF

A4 = (8.27, 11.69)  # inches
MARGIN = 0.6  # inches
BODY_PT = 8.5
SMALL_PT = 7.5
HEADING_PT = 11.5
LINE = 1.35  # line height as a multiple of the font size
STYLES = [  # (line style, marker): distinct in black and white
    ("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1, 1, 1)), "v"), ((0, (1, 1)), "x"),
]
INK = "#111111"
GREY = "#666666"


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    numeric: Sequence[int] = ()  # columns aligned right


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[date | float, float]]


@dataclass(frozen=True)
class Chart:
    """A line chart: dated series (with injection days marked) or curves over days since an injection."""

    title: str
    y_label: str
    series: Sequence[Series]
    x_label: str = ""
    injections: Sequence[date] = ()
    y_limits: tuple[float, float] | None = None
    highlight: str | None = None  # the label of a series drawn heavier (the latest cycle, say)
    x_limits: tuple[date, date] | None = None  # for dated charts: the report's period
    zero_line: bool = False

    @property
    def dated(self) -> bool:
        return any(isinstance(x, date) for s in self.series for x, _ in s.points[:1])


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    empty: str = ""  # said when the section has nothing else


@dataclass(frozen=True)
class VisitReport:
    title: str
    facts: Sequence[tuple[str, str]]  # ("Born", "12 April 1979 (47 years)"), shown under the title
    sections: Sequence[Section]
    footer: str = ""


# --- Charts -------------------------------------------------------------------------------------

def draw_chart(ax, chart: Chart, *, text_scale: float = 1.0, narrow: bool = False) -> None:
    """Draw ``chart`` on ``ax``; ``text_scale`` enlarges every text, ``narrow`` lays the legend out in one
    column and draws fewer date ticks (for a phone's width)."""
    body_pt, small_pt = BODY_PT * text_scale, SMALL_PT * text_scale
    for index, series in enumerate(chart.series):
        if not series.points:
            continue
        style, marker = STYLES[index % len(STYLES)]
        xs = [x for x, _ in series.points]
        ys = [y for _, y in series.points]
        heavy = chart.highlight is not None and series.label == chart.highlight
        every = max(1, len(xs) // 8)
        ax.plot(xs, ys, linestyle=style, marker=marker, markevery=every, markersize=4 if heavy else 3,
                linewidth=2.4 if heavy else 1.0, color=INK if heavy or chart.highlight is None else GREY,
                label=_wrapped(series.label, PHONE_LEGEND_CHARS) if narrow else series.label)
    ymin, ymax = chart.y_limits or ax.get_ylim()
    for day in chart.injections:
        ax.axvline(day, color=INK, linestyle=(0, (2, 2)), linewidth=0.8)
        ax.annotate("injection", (mdates.date2num(day), 1.0), xycoords=("data", "axes fraction"), rotation=90,
                    fontsize=small_pt - 1, va="top", ha="right", color=INK)
    if chart.zero_line:
        ax.axhline(0, color=GREY, linewidth=0.6)
    if chart.y_limits:
        ax.set_ylim(*chart.y_limits)
    if chart.x_limits:
        ax.set_xlim(*chart.x_limits)
    ax.set_title(_wrapped(chart.title, PHONE_TITLE_CHARS) if narrow else chart.title, fontsize=body_pt + 0.5,
                 loc="left", color=INK)
    ax.set_ylabel(chart.y_label, fontsize=small_pt)
    if chart.x_label:
        ax.set_xlabel(chart.x_label, fontsize=small_pt)
    ax.tick_params(labelsize=small_pt)
    if chart.dated:
        locator = mdates.AutoDateLocator(minticks=2 if narrow else 3, maxticks=4 if narrow else 7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, linewidth=0.3, color="#bbbbbb")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    labelled = [s for s in chart.series if s.points]
    if len(labelled) > 1:
        ax.legend(fontsize=small_pt - 0.5, frameon=False, ncol=1 if narrow else min(3, len(labelled)),
                  loc="upper left", bbox_to_anchor=(0, -0.3 if chart.dated or chart.x_label else -0.12),
                  handlelength=3.5)


def chart_png(chart: Chart, *, width_in: float = 7.0, height_in: float = 2.6, dpi: int = 110) -> bytes:
    """The chart alone as a PNG image (for the printable web page, on a desktop or on paper)."""
    figure = plt.figure(figsize=(width_in, height_in), dpi=dpi)
    try:
        ax = figure.add_axes((0.09, 0.32 if len([s for s in chart.series if s.points]) > 1 else 0.2, 0.88, 0.58))
        draw_chart(ax, chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()
    finally:
        plt.close(figure)


#: A phone's chart: drawn 340 px wide (at 100 dpi), shown about 320-360 CSS px wide, so that
#: its smallest text (SMALL_PT x PHONE_TEXT_SCALE - 1 points) is at least 12 CSS px. Titles and
#: legend entries are wrapped to what fits that width.
PHONE_WIDTH_IN, PHONE_DPI, PHONE_TEXT_SCALE = 3.4, 100, 1.45
PHONE_TITLE_CHARS, PHONE_LEGEND_CHARS = 30, 30


def _wrapped(text: str, width: int) -> str:
    return textwrap.fill(text, width) if text else text


def chart_png_phone(chart: Chart) -> bytes:
    """The chart as a PNG image laid out for a phone: narrow, large text, the legend in one column
    under the plot. The figure grows with the title's and the legend's lines, so nothing is cut."""
    labelled = [s for s in chart.series if s.points]
    title_lines = _wrapped(chart.title, PHONE_TITLE_CHARS).count("\n") + 1
    legend_lines = sum(_wrapped(s.label, PHONE_LEGEND_CHARS).count("\n") + 1 for s in labelled) if len(labelled) > 1 else 0
    plot_in, axis_in, top_in = 1.75, 0.7, 0.12 + 0.26 * title_lines
    legend_in = 0.08 + 0.25 * legend_lines if legend_lines else 0.0
    height_in = top_in + plot_in + axis_in + legend_in
    figure = plt.figure(figsize=(PHONE_WIDTH_IN, height_in), dpi=PHONE_DPI)
    try:
        ax = figure.add_axes((0.2, (axis_in + legend_in) / height_in, 0.76, plot_in / height_in))
        draw_chart(ax, chart, text_scale=PHONE_TEXT_SCALE, narrow=True)
        if legend_lines:
            ax.get_legend().set_bbox_to_anchor((-0.2, -axis_in / plot_in))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PHONE_DPI)
        return buffer.getvalue()
    finally:
        plt.close(figure)


# --- Pages --------------------------------------------------------------------------------------

class _Page:
    """A flowing layout on A4 pages: text, tables and charts placed from the top down."""

    def __init__(self, pdf: PdfPages, footer: str):
        self.pdf = pdf
        self.footer = footer
        self.number = 0
        self.figure = None
        self.y = 0.0
        self.new()

    @property
    def width(self) -> float:
        return A4[0] - 2 * MARGIN

    def new(self) -> None:
        if self.figure is not None:
            self.finish()
        self.figure = plt.figure(figsize=A4)
        self.number += 1
        self.y = A4[1] - MARGIN

    def finish(self) -> None:
        self.figure.text(MARGIN / A4[0], 0.35 / A4[1], self.footer, fontsize=SMALL_PT - 0.5, color=GREY)
        self.figure.text(1 - MARGIN / A4[0], 0.35 / A4[1], f"page {self.number}", fontsize=SMALL_PT - 0.5,
                         color=GREY, ha="right")
        self.pdf.savefig(self.figure)
        plt.close(self.figure)
        self.figure = None

    def room(self, inches: float) -> None:
        if self.y - inches < MARGIN + 0.2:
            self.new()

    def text(self, words: str, *, size: float = BODY_PT, weight: str = "normal", indent: float = 0.0,
             color: str = INK, after: float = 0.04) -> None:
        chars = max(20, int((self.width - indent) * 72 / (size * 0.55)))
        for line in textwrap.wrap(words, chars) or [""]:
            height = size * LINE / 72
            self.room(height)
            self.figure.text((MARGIN + indent) / A4[0], (self.y - height * 0.8) / A4[1], line, fontsize=size,
                             weight=weight, color=color)
            self.y -= height
        self.y -= after

    def table(self, table: Table) -> None:
        size = SMALL_PT
        height = size * LINE / 72 + 0.02
        lengths = [max([len(str(c))] + [len(str(r[i])) for r in table.rows]) for i, c in enumerate(table.columns)]
        total = sum(max(4, n) for n in lengths)
        widths = [self.width * max(4, n) / total for n in lengths]
        wrap = [max(4, int(w * 72 / (size * 0.55))) for w in widths]

        def draw_row(cells, bold: bool) -> None:
            wrapped = [textwrap.wrap(str(cell), wrap[i]) or [""] for i, cell in enumerate(cells)]
            lines = max(len(w) for w in wrapped)
            self.room(height * lines)
            x = MARGIN
            for i, parts in enumerate(wrapped):
                right = i in table.numeric
                for k, part in enumerate(parts):
                    self.figure.text((x + (widths[i] - 0.05 if right else 0.0)) / A4[0],
                                     (self.y - height * (k + 0.8)) / A4[1], part, fontsize=size,
                                     weight="bold" if bold else "normal", ha="right" if right else "left", color=INK)
                x += widths[i]
            self.y -= height * lines
            line_y = self.y / A4[1]
            self.figure.add_artist(plt.Line2D([MARGIN / A4[0], 1 - MARGIN / A4[0]], [line_y, line_y],
                                              linewidth=0.8 if bold else 0.3, color=INK if bold else "#999999"))

        if table.caption:
            self.text(table.caption, size=size, weight="bold", after=0.0)
        draw_row(table.columns, True)
        for row in table.rows:
            draw_row(row, False)
        self.y -= 0.1

    def chart(self, chart: Chart, height: float = 2.1) -> None:
        legend = len([s for s in chart.series if s.points]) > 1
        total = height + (0.45 if legend else 0.0)
        self.room(total + 0.1)
        bottom = self.y - height + 0.35
        ax = self.figure.add_axes((MARGIN / A4[0] + 0.06, bottom / A4[1], (self.width - 0.6) / A4[0],
                                   (height - 0.65) / A4[1]))
        draw_chart(ax, chart)
        self.y -= total + 0.1


def render_pdf(report: VisitReport, target) -> None:
    """Write ``report`` as A4 pages to ``target`` (a path or a binary file)."""
    with plt.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "axes.edgecolor": INK}), \
            PdfPages(target, metadata={"Title": report.title, "Creator": "Torsion"}) as pdf:
        page = _Page(pdf, report.footer)
        page.text(report.title, size=HEADING_PT + 3, weight="bold", after=0.06)
        for label, value in report.facts:
            page.text(f"{label}: {value}", size=BODY_PT, after=0.0)
        page.y -= 0.12
        for section in report.sections:
            page.room(0.6)
            page.text(section.heading, size=HEADING_PT, weight="bold", after=0.05)
            if not (section.paragraphs or section.tables or section.charts) and section.empty:
                page.text(section.empty, color=GREY)
            for paragraph in section.paragraphs:
                page.text(paragraph)
            for table in section.tables:
                page.table(table)
            for chart in section.charts:
                page.chart(chart)
            page.y -= 0.1
        page.finish()
