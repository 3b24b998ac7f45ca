"""The report's figures (a bar chart and a table each), written here rather than by a template.

A report of a large city shows some seventy rows, each twice (bar and table row); as template
nodes every row cost some fifteen variable lookups, escapes and number formats. Written as
f-strings they cost a tenth of that. Every label, title and translation is escaped here
(``_e``); counts and coordinates are integers. The gap analysis draws its trend with the same
``chart_svg``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from lokalwillkommen.markup import escaped as _e

from .reports import Table, chart


def chart_svg(geometry: dict, title) -> str:
    """A horizontal bar chart (geometry of ``reports.chart``) as inline SVG: a label above
    each bar, the number after it; the title names it for screen readers."""
    title = _e(title)
    if geometry["rows"]:
        bars = "".join(
            f'<g>\n    <text class="chart-label" x="0" y="{row["label_y"]}">{_e(row["label"])}'
            f'</text>\n    <rect class="chart-bar" x="0" y="{row["bar_y"]}" '
            f'width="{row["width"]}" height="14"></rect>\n    <text class="chart-label" '
            f'x="{row["value_x"]}" y="{row["value_y"]}">{int(row["value"])}</text>\n  </g>'
            for row in geometry["rows"]
        )
    else:
        empty = _e(gettext("No records in this period."))
        bars = f'<text class="chart-label" x="0" y="20">{empty}</text>'
    # Reviewed use of mark_safe: every text above is escaped by _e, the numbers are ints.
    return mark_safe(
        f'<svg class="report-chart" role="img" aria-label="{title}" '
        f'viewBox="0 0 {geometry["width"]} {geometry["height"]}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" direction="ltr" focusable="false">\n'
        f"  <title>{title}</title>\n  {bars}\n</svg>"
    )


def _cells(counts) -> str:
    return "".join(f'<td class="text-end">{int(n)}</td>' for n in counts)


def figure_html(table: Table, query: str) -> str:
    """One figure of the report page: heading, note, chart, table and its CSV link."""
    title = _e(table.title)
    slug = _e(table.slug)
    note = f'<p class="text-body-secondary">{_e(table.note)}</p>' if table.note else ""
    headings = "".join(
        f'<th scope="col" class="text-end">{_e(h)}</th>' for h in table.count_headings
    )
    label_heading = _e(table.label_heading)
    if table.rows:
        body = "".join(
            f'<tr><th scope="row">{_e(row.label)}</th>{_cells(row.counts)}</tr>'
            for row in table.rows
        )
        total_label = _e(gettext("Total"))
        foot = f'<tfoot><tr><th scope="row">{total_label}</th>{_cells(table.total)}</tr></tfoot>'
    else:
        empty = _e(gettext("No records in this period."))
        body = f'<tr><td colspan="{len(table.count_headings) + 1}">{empty}</td></tr>'
        foot = ""
    csv_url = _e(f"{reverse('consultations-reports-csv', args=[table.slug])}?{query}")
    download = _e(gettext("Download “%(title)s” as CSV") % {"title": table.title})
    # Reviewed use of mark_safe: every text above is escaped by _e, the numbers are ints.
    return mark_safe(
        f'<section class="report-figure mb-4" aria-labelledby="figure-{slug}">\n'
        f'  <h2 class="h4" id="figure-{slug}">{title}</h2>\n  {note}\n'
        f'  <div class="row g-3">\n    <div class="col-lg-6">'
        f"{chart_svg(chart(table), table.title)}</div>\n"
        f'    <div class="col-lg-6">\n      <div class="table-responsive">\n'
        f'      <table class="table table-sm">\n        <caption>{title}</caption>\n'
        f'        <thead><tr><th scope="col">{label_heading}</th>{headings}</tr></thead>\n'
        f"        <tbody>{body}</tbody>\n        {foot}\n      </table>\n      </div>\n"
        f'      <a class="btn btn-outline-secondary btn-sm" href="{csv_url}" download>'
        f"{download}</a>\n    </div>\n  </div>\n</section>\n"
    )
