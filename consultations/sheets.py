"""Printable A4 sheets (PDF): one per office, one per home visit, in the reader's language.

Built with fpdf2; the fonts are files in ``consultations/fonts/`` (Noto Sans, Noto Naskh
Arabic, SIL Open Font License), of which only the glyphs used are embedded, so a sheet is a
few dozen kilobytes. Arabic is shaped by HarfBuzz (uharfbuzz) and laid out right to left.
The QR code (segno) is drawn as vector squares. Nothing is fetched from anywhere.

The visit sheet stays with the family and may be seen by others, so it holds only what the
family needs: the household's reference (to quote at the office), the date of the visit,
what was handed over, the next appointment, and the office with its hours and contact. No
name, address or phone number of the household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

FONTS = Path(__file__).resolve().parent / "fonts"
PORTAL_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
RTL_LANGUAGES = {
    code for code, _name in settings.LANGUAGES if translation.get_language_info(code)["bidi"]
}
# The font family a sheet in a language is set in (the others are fallbacks for what it lacks).
FAMILY = {"ar": "naskh", "fa": "naskh", "ti": "ethiopic"}
MARGIN = 18
QR_SIZE = 34  # mm, quiet zone included
INK = (33, 37, 41)
MUTED = (73, 80, 87)


def sheet_language(codes, requested: str = "") -> str:
    """The language of a sheet: the one asked for, else the first of ``codes`` (a household's
    languages) that the portal speaks, else German."""
    if requested in PORTAL_LANGUAGES:
        return requested
    for code in codes:
        if code in PORTAL_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


@dataclass
class OfficeInfo:
    name: str
    address: str
    phone: str
    email: str
    languages: str
    weekly: list[str]
    next_openings: list[str]
    closures: list[str]
    url: str


def office_info(office, *, language: str, base_url: str, today: date | None = None):
    """What a sheet says about an office, in ``language``: weekly hours, the next openings,
    coming closures, contact, and the address of its page in that language (``base_url``:
    scheme and host)."""
    from offices.hours import days_off_between, upcoming_openings
    from offices.models import Weekday
    from offices.selectors import office_language_names, schedule_for

    today = today or timezone.localdate()
    now = timezone.now()
    schedule = schedule_for(office)
    with translation.override(language):
        days = dict(Weekday.choices)
        weekly = [
            f"{days[rule.weekday]}: {rule.opens:%H:%M}–{rule.closes:%H:%M}"
            for rule in schedule.rules
            if rule.valid_from <= today + timedelta(days=28)
        ]
        comma = "، " if language in RTL_LANGUAGES else ", "
        next_openings = [
            f"{formats.date_format(o.start, 'l')}{comma}"
            f"{formats.date_format(o.start, 'SHORT_DATE_FORMAT')} {o.start:%H:%M}–{o.end:%H:%M}"
            for o in upcoming_openings(schedule, now, count=4)
        ]
        closures = [
            f"{formats.date_format(day.day, 'SHORT_DATE_FORMAT')}: {day.reason}"
            for day in days_off_between(schedule, today, today + timedelta(days=42))
        ][:4]
        path = reverse("offices-detail", args=[office.slug])
        languages = ", ".join(office_language_names(office))
    return OfficeInfo(
        name=office.name,
        address=f"{office.street}, {office.postcode} {office.city}",
        phone=office.phone,
        email=office.email,
        languages=languages,
        weekly=weekly,
        next_openings=next_openings,
        closures=closures,
        url=base_url.rstrip("/") + path,
    )


def _pdf_class():
    from fpdf import FPDF

    class Sheet(FPDF):
        """An A4 page with the portal's fonts, right to left for Arabic."""

        def __init__(self, language: str):
            super().__init__(format="A4", unit="mm")
            self.language = language
            self.rtl = language in RTL_LANGUAGES
            self.set_margins(MARGIN, MARGIN, MARGIN)
            self.set_auto_page_break(True, MARGIN)
            self.add_font("sans", "", FONTS / "NotoSans-Regular.ttf")
            self.add_font("sans", "B", FONTS / "NotoSans-Bold.ttf")
            self.add_font("naskh", "", FONTS / "NotoNaskhArabic-Regular.ttf")
            self.add_font("naskh", "B", FONTS / "NotoNaskhArabic-Bold.ttf")
            self.add_font("ethiopic", "", FONTS / "NotoSansEthiopic-Regular.ttf")
            self.add_font("ethiopic", "B", FONTS / "NotoSansEthiopic-Bold.ttf")
            self.family_name = FAMILY.get(language, "sans")
            self.set_fallback_fonts(
                [f for f in ("sans", "naskh", "ethiopic") if f != self.family_name]
            )
            self.set_lang(language)
            self.set_creator("lokal willkommen")
            self.set_text_color(*INK)
            self.add_page()

        def _out(self, s):
            super()._out(s)
            # fpdf2 2.8 wraps a line that ends in a fallback font in "q … Q", which drops the
            # font the line set, yet still takes it as set for the next line (a viewer then
            # finds text without a font): have the next line set it again.
            if isinstance(s, str) and s.startswith("q BT") and s.endswith(" Q") and " Tf" in s:
                self.current_font_is_set_on_page = False

        def text_block(self, text, *, size=11, bold=False, muted=False, gap=1.5, typed=False):
            """A paragraph; ``typed``: text someone typed in, in whatever language (its
            direction is taken from its own letters, not from the page)."""
            if not text:
                return
            rtl = _looks_rtl(text) if typed else self.rtl
            align = "R" if self.rtl else "L"  # typed text keeps its direction, not the margin
            self.set_font(self.family_name, "B" if bold else "", size)
            self.set_text_color(*(MUTED if muted else INK))
            if rtl or _needs_shaping(text):
                self.set_text_shaping(
                    use_shaping_engine=True, direction="rtl" if rtl else "ltr"
                )
            else:
                self.set_text_shaping(False)
            self.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
            self.set_text_shaping(False)
            self.set_text_color(*INK)
            self.ln(gap)

        def heading(self, text, size=14):
            self.ln(2)
            self.text_block(text, size=size, bold=True, gap=1)

        def bullets(self, lines, *, size=11):
            for line in lines:
                self.text_block(f"• {line}", size=size, gap=0.5)
            self.ln(1.5)

        def rule(self):
            self.set_draw_color(206, 212, 218)
            y = self.get_y() + 1
            self.line(MARGIN, y, self.w - MARGIN, y)
            self.set_y(y + 3)

        def qr(self, url: str, *, caption: str):
            """The QR code beside the text: at the right edge, at the left one for Arabic."""
            code = segno.make(url, error="m", micro=False)
            matrix = [list(row) for row in code.matrix]
            border = 2
            modules = len(matrix) + 2 * border
            size = QR_SIZE / modules
            x0 = MARGIN if self.rtl else self.w - MARGIN - QR_SIZE
            y0 = self.get_y()
            self.set_fill_color(0, 0, 0)
            for y, row in enumerate(matrix):
                for x, dark in enumerate(row):
                    if dark:
                        self.rect(
                            x0 + (x + border) * size, y0 + (y + border) * size, size, size,
                            style="F",
                        )
            self.set_xy(x0 - 10, y0 + QR_SIZE)
            self.set_font(self.family_name, "", 8)
            self.set_text_color(*MUTED)
            if self.rtl:
                self.set_text_shaping(use_shaping_engine=True, direction="rtl")
            self.multi_cell(QR_SIZE + 20, 4, caption, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_shaping(False)
            self.set_font(self.family_name, "", 8)
            self.set_x(x0 - 10)
            self.multi_cell(QR_SIZE + 20, 3.5, url, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(*INK)
            return y0

    return Sheet


def _looks_rtl(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" for ch in text)


def _needs_shaping(text: str) -> bool:
    return _looks_rtl(text)


def _office_section(pdf, info: OfficeInfo, *, title: str) -> None:
    top = pdf.get_y()
    pdf.qr(info.url, caption=_("Current hours and closures on the office page"))
    pdf.set_y(top)
    # the text beside the QR code: narrower
    if pdf.rtl:
        pdf.set_left_margin(MARGIN + QR_SIZE + 8)
    else:
        pdf.set_right_margin(MARGIN + QR_SIZE + 8)
    pdf.set_x(pdf.l_margin)
    pdf.heading(title, size=13)
    pdf.text_block(info.name, size=12, bold=True, gap=0.5, typed=True)
    pdf.text_block(info.address, gap=0.5, typed=True)
    contact = " · ".join(part for part in (info.phone, info.email) if part)
    if contact:
        pdf.text_block(contact, gap=0.5, typed=True)
    if info.languages:
        pdf.text_block(_("Languages spoken: %(languages)s") % {"languages": info.languages})
    pdf.set_left_margin(MARGIN)
    pdf.set_right_margin(MARGIN)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 14))
    pdf.heading(_("Opening hours"), size=12)
    if info.weekly:
        pdf.bullets(info.weekly)
    else:
        pdf.text_block(_("No regular opening hours at the moment."))
    if info.next_openings:
        pdf.heading(_("Next opening days"), size=12)
        pdf.bullets(info.next_openings)
    if info.closures:
        pdf.heading(_("Closed on"), size=12)
        pdf.bullets(info.closures)


def _finish(pdf, *, language: str) -> bytes:
    pdf.rule()
    with translation.override(language):
        stamp = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    pdf.text_block(
        _("lokal willkommen · as of %(date)s · Please check the office page for changes.")
        % {"date": stamp},
        size=8,
        muted=True,
    )
    return bytes(pdf.output())


def office_sheet(office, *, language: str, base_url: str) -> bytes:
    """An A4 sheet for an office: hours, next openings, closures, contact and a QR code to
    its page, in ``language``."""
    info = office_info(office, language=language, base_url=base_url)
    with translation.override(language):
        pdf = _pdf_class()(language)
        pdf.set_title(office.name)
        pdf.text_block(_("lokal willkommen"), size=10, muted=True, gap=0)
        pdf.text_block(_("Your neighbourhood office"), size=20, bold=True, gap=3)
        pdf.text_block(
            _(
                "Advice on every part of daily life, in your language where we can: housing, "
                "Kita and school, language courses, work, health, authorities and forms. "
                "Come by during the opening hours; no appointment needed."
            )
        )
        pdf.rule()
        _office_section(pdf, info, title=_("Where and when"))
        return _finish(pdf, language=language)


def visit_sheet(visit, *, office, language: str, base_url: str) -> bytes:
    """The sheet left with a household after a home visit, in ``language``: its reference,
    the visit, what was handed over, the next appointment and its office."""
    household = visit.household
    with translation.override(language):
        pdf = _pdf_class()(language)
        pdf.set_title(_("Your visit from lokal willkommen"))
        pdf.text_block(_("lokal willkommen"), size=10, muted=True, gap=0)
        pdf.text_block(_("Your visit from lokal willkommen"), size=20, bold=True, gap=3)
        when = timezone.localtime(visit.scheduled_at)
        pdf.text_block(
            _("We visited you on %(date)s.")
            % {"date": formats.date_format(when, "DATE_FORMAT")}
        )
        pdf.text_block(
            _("Your number: %(reference)s. Please bring this sheet or tell us this number "
              "when you come to the office.") % {"reference": household.reference},
            bold=True,
        )
        if visit.information_given:
            pdf.heading(_("What we gave you and talked about"), size=12)
            pdf.text_block(visit.information_given, typed=True)
        if visit.next_follow_up_on:
            pdf.heading(_("Next appointment"), size=12)
            pdf.text_block(
                _("We will get in touch with you around %(date)s.")
                % {"date": formats.date_format(visit.next_follow_up_on, "DATE_FORMAT")}
            )
        pdf.rule()
        if office is not None:
            info = office_info(office, language=language, base_url=base_url)
            _office_section(pdf, info, title=_("Your office"))
        return _finish(pdf, language=language)
