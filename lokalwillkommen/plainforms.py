"""Filter forms (GET) written as plain HTML, the same markup crispy-forms writes.

crispy renders a field through half a dozen templates, and Django's Select widget renders each
option through a template of its own: a directory filter of seven fields took 5 ms that way,
against a tenth of that written here. These forms are shown on every visit of the busiest
pages and never change shape, so they are written by ``plain_field``. A field with an error is
handed to crispy, which shows the error as everywhere else in the portal.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .caching import reference


def _escaped_options(choices) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (
            "" if value is None else str(value),
            f'<option value="{conditional_escape("" if value is None else str(value))}"',
            f">{conditional_escape(label)}</option>",
        )
        for value, label in choices
    )


def options_html(choices, current: str, *, key=None) -> SafeString:
    """<option> elements for ``choices`` ((value, label) pairs), ``current`` selected. With a
    ``key`` (naming the choices in the active language), the escaped options are kept with the
    reference rows, as the choices of a filter are the same on every visit."""
    if key is None:
        options = _escaped_options(choices)
    else:
        options = reference.get(("options", key, get_language()), lambda: _escaped_options(choices))
    # Reviewed use of mark_safe: every value and label was escaped by _escaped_options.
    return mark_safe(
        "".join(
            f"{start} selected{end}" if value == current else f"{start}{end}"
            for value, start, end in options
        )
    )


def plain_field(bound: forms.BoundField, *, shared_choices: bool = False) -> SafeString:
    """One field with its label and help text, as crispy's Bootstrap 5 pack writes it.
    ``shared_choices``: the field's choices are the same for every visitor (they are then
    escaped once per language and kept)."""
    if bound.errors:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound)
    widget = bound.field.widget
    name, field_id = bound.html_name, bound.auto_id
    help_text = bound.help_text
    described = format_html(' aria-describedby="{}_helptext"', field_id) if help_text else ""
    if isinstance(widget, forms.Select):
        current = bound.value()
        current = "" if current is None else str(current)
        control = format_html(
            '<select name="{}" class="select form-select" id="{}"{}>{}</select>',
            name,
            field_id,
            described,
            options_html(
                bound.field.choices,
                current,
                key=(type(bound.form).__name__, bound.name) if shared_choices else None,
            ),
        )
    else:
        value = bound.value()
        value_attr = format_html(' value="{}"', value) if value not in (None, "") else ""
        maxlength = getattr(bound.field, "max_length", None)
        control = format_html(
            '<input type="{}" name="{}"{} class="{} form-control"{} id="{}"{}>',
            getattr(widget, "input_type", "text"),
            name,
            value_attr,
            "textinput" if getattr(widget, "input_type", "text") == "text" else "",
            format_html(' maxlength="{}"', maxlength) if maxlength else "",
            field_id,
            described,
        )
    help_html = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field_id, help_text)
        if help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label> {}{}</div>',
        field_id,
        field_id,
        bound.label,
        control,
        help_html,
    )


class PlainFields:
    """``{{ fields.q }}`` in a template: the field ``q`` of the form, written plainly.
    ``personal``: the fields whose choices depend on the user (e.g. their teams)."""

    def __init__(self, form: forms.Form, *, personal: frozenset[str] = frozenset()):
        self.form = form
        self.personal = personal

    def __getitem__(self, name: str) -> SafeString:
        return plain_field(self.form[name], shared_choices=name not in self.personal)
