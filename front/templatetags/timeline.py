"""The case page's events and status bands, written in Python rather than by template loops.

A long case has a thousand events or more and as many status bands, and the template engine's cost per
variable, condition and include made rendering them most of the page's time (bench/timeline.py). The markup is
put together by ``_html`` and ``_html_join``, Django's ``format_html`` and ``format_html_join`` without their
per-value wrappers (which cost 46 ms at 1,000 events): every value given to them is escaped as the template
engine escapes (``html.escape``), unless it is markup they made themselves, so nothing typed into a record
reaches the page as markup; tests/front/test_advocate_pages.py checks it for each field.
"""

from html import escape

from django import template
from django.template.defaultfilters import date as localised_date
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _value(value) -> str:
    if isinstance(value, SafeString):
        return value
    return escape(value if type(value) is str else str(value))


def _html(template_text: str, *values) -> SafeString:
    """``template_text`` (markup written here) with each value escaped."""
    # Markup written in this module, every value escaped by _value.
    return SafeString(template_text.format(*map(_value, values)))  # nosec B703


def _html_join(separator: str, template_text: str, rows) -> SafeString:
    # Markup written in this module, every value escaped by _value.
    return SafeString(separator.join(template_text.format(*map(_value, row)) for row in rows))  # nosec B703


def _joined(parts, separator="\n") -> SafeString:
    """Pieces of markup made by ``_html``, one after the other (anything else escaped)."""
    # Markup made in this module, every other value escaped by _value.
    return SafeString(separator.join(_value(part) for part in parts if part))  # nosec B703


@register.simple_tag
def timeline_events(events) -> SafeString:
    """One ``<li>`` per event, with the other accounts of the same event inside it."""
    words = {
        "findings": _("Findings"),
        "awarded": _("Awarded"),
        "each_report": _("Each report due"),
        "sources": _("Sources"),
        "internal_note": _("Internal note"),
        "disagree": _("Sources disagree. Other accounts of the same event:"),
    }
    items = []
    for event in events:
        body = _event(event, words)
        if event.other_accounts:
            accounts = _joined(
                (_html('<div class="account">{}</div>', _event(other, words)) for other in event.other_accounts),
                "",
            )
            body = _html(
                '{}\n<div class="other-accounts">\n<p class="disagreement">{}</p>\n{}</div>',
                body,
                words["disagree"],
                accounts,
            )
        state = f" deadline-{event.state}" if event.state else ""
        items.append(_html('<li class="event event-{}{}">\n{}\n</li>', event.kind, state, body))
    return _joined(items)


def _event(event, words) -> SafeString:
    parts = [
        _html(
            '<p class="event-when"><time datetime="{}">{}</time> <span class="kind">{}</span></p>\n'
            '<h3 class="event-title">{}</h3>',
            event.iso_date,
            event.when,
            event.kind_label,
            event.title,
        )
    ]
    if event.people:
        place = _html(" · {}", event.place) if event.place else ""
        parts.append(_html('<p class="event-people">{}{}</p>', ", ".join(event.people), place))
    elif event.place:
        parts.append(_html("<p>{}</p>", event.place))
    if event.appeal:
        parts.append(_html('<p class="event-appeal">{}</p>', event.appeal))
    if event.state_label:
        parts.append(
            _html('<p class="deadline-state state-{}"><strong>{}</strong></p>', event.state, event.state_label)
        )
    if event.detail:
        parts.append(_html('<p class="event-detail">{}</p>', event.detail))
    if event.findings:
        findings = _html_join("", "<li>{}</li>", ((finding,) for finding in event.findings))
        parts.append(_html('<ul class="findings" aria-label="{}">{}</ul>', words["findings"], findings))
    if event.awards:
        parts.append(_html('<p class="awards">{}: {}</p>', words["awarded"], "; ".join(event.awards)))
    if event.occurrences:
        occurrences = _html_join(
            "",
            '<li class="occurrence occurrence-{}"><time datetime="{}">{}</time> <span>{}</span></li>',
            ((o.state, o.due.isoformat(), localised_date(o.due), o.label) for o in event.occurrences),
        )
        parts.append(_html('<ol class="compliance" aria-label="{}">{}</ol>', words["each_report"], occurrences))
    if event.quote:
        parts.append(_html("<blockquote>{}</blockquote>", event.quote))
    verification = (
        _html('<span class="verification verification-{}">{}</span>', event.verification, event.verification_label)
        if event.verification
        else ""
    )
    cites = (
        _html(
            '<span class="cites">{}: {}</span>',
            words["sources"],
            _html_join("", '<a href="#source-{}">[{}]</a>', ((n, n) for n in event.source_numbers)),
        )
        if event.source_numbers
        else ""
    )
    parts.append(_html('<p class="event-meta">\n  {}\n  {}\n</p>', verification, cites))
    if event.internal_notes:
        parts.append(
            _html('<p class="internal-note"><strong>{}:</strong> {}</p>', words["internal_note"], event.internal_notes)
        )
    return _joined(parts)


@register.simple_tag
def band_rects(bands) -> SafeString:
    """A person's status bands drawn on the case's time span, each titled with its status and period."""
    return _html_join(
        "",
        '<rect class="band band-{}" x="{}" y="2" width="{}" height="20"><title>{}: {}</title></rect>',
        ((band.family, band.x, band.width, band.label, band.period) for band in bands),
    )


@register.simple_tag
def band_list(bands) -> SafeString:
    """The same bands as text, for those who cannot see the drawing."""
    return _html_join(
        "",
        '<li><span class="swatch band-{}"></span>{} ({})</li>',
        ((band.family, band.label, band.period) for band in bands),
    )
