"""The case page's events and status bands, written in Python rather than by template loops.

A long case has a thousand events or more and as many status bands, and the template engine's cost per
variable, condition and include made rendering them most of the page's time (bench/timeline.py). Every value
written into the page goes through ``_escaped``, which escapes as the template engine does (Django's
``escape`` is ``html.escape`` too, behind a wrapper for lazy strings that costs more than the escaping);
tests/front/test_advocate_pages.py checks that markup typed into each field comes out as text.
"""

from html import escape

from django import template
from django.template.defaultfilters import date as localised_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _escaped(value) -> str:
    return escape(str(value))


@register.simple_tag
def timeline_events(events) -> SafeString:
    """One ``<li>`` per event, with the other accounts of the same event inside it."""
    words = {
        key: _escaped(text)
        for key, text in {
            "findings": _("Findings"),
            "awarded": _("Awarded"),
            "each_report": _("Each report due"),
            "sources": _("Sources"),
            "internal_note": _("Internal note"),
            "disagree": _("Sources disagree. Other accounts of the same event:"),
        }.items()
    }
    items = []
    for event in events:
        body = _event(event, words)
        if event.other_accounts:
            accounts = "".join(f'<div class="account">{_event(other, words)}</div>' for other in event.other_accounts)
            body += f'\n<div class="other-accounts">\n<p class="disagreement">{words["disagree"]}</p>\n{accounts}</div>'
        state = f" deadline-{_escaped(event.state)}" if event.state else ""
        items.append(f'<li class="event event-{_escaped(event.kind)}{state}">\n{body}\n</li>')
    # Every value in it went through _escaped.
    return mark_safe("\n".join(items))  # noqa: S308  # nosec B308, B703


def _event(event, words) -> str:
    parts = [
        f'<p class="event-when"><time datetime="{_escaped(event.iso_date)}">{_escaped(event.when)}</time> '
        f'<span class="kind">{_escaped(event.kind_label)}</span></p>',
        f'<h3 class="event-title">{_escaped(event.title)}</h3>',
    ]
    place = _escaped(event.place) if event.place else ""
    if event.people:
        parts.append(f'<p class="event-people">{_escaped(", ".join(event.people))}{" · " + place if place else ""}</p>')
    elif place:
        parts.append(f"<p>{place}</p>")
    if event.appeal:
        parts.append(f'<p class="event-appeal">{_escaped(event.appeal)}</p>')
    if event.state_label:
        parts.append(
            f'<p class="deadline-state state-{_escaped(event.state)}">'
            f"<strong>{_escaped(event.state_label)}</strong></p>"
        )
    if event.detail:
        parts.append(f'<p class="event-detail">{_escaped(event.detail)}</p>')
    if event.findings:
        findings = "".join(f"<li>{_escaped(finding)}</li>" for finding in event.findings)
        parts.append(f'<ul class="findings" aria-label="{words["findings"]}">{findings}</ul>')
    if event.awards:
        parts.append(f'<p class="awards">{words["awarded"]}: {_escaped("; ".join(event.awards))}</p>')
    if event.occurrences:
        occurrences = "".join(
            f'<li class="occurrence occurrence-{_escaped(occurrence.state)}">'
            f'<time datetime="{occurrence.due.isoformat()}">{_escaped(localised_date(occurrence.due))}</time> '
            f"<span>{_escaped(occurrence.label)}</span></li>"
            for occurrence in event.occurrences
        )
        parts.append(f'<ol class="compliance" aria-label="{words["each_report"]}">{occurrences}</ol>')
    if event.quote:
        parts.append(f"<blockquote>{_escaped(event.quote)}</blockquote>")
    verification = (
        f'<span class="verification verification-{_escaped(event.verification)}">'
        f"{_escaped(event.verification_label)}</span>"
        if event.verification
        else ""
    )
    cites = (
        f'<span class="cites">{words["sources"]}: '
        + "".join(f'<a href="#source-{number:d}">[{number:d}]</a>' for number in event.source_numbers)
        + "</span>"
        if event.source_numbers
        else ""
    )
    parts.append(f'<p class="event-meta">\n  {verification}\n  {cites}\n</p>')
    if event.internal_notes:
        parts.append(
            f'<p class="internal-note"><strong>{words["internal_note"]}:</strong> {_escaped(event.internal_notes)}</p>'
        )
    return "\n".join(parts)


@register.simple_tag
def band_rects(bands) -> SafeString:
    """A person's status bands drawn on the case's time span, each titled with its status and period."""
    # Every value in it went through _escaped.
    return mark_safe(  # noqa: S308  # nosec B308, B703
        "".join(
            f'<rect class="band band-{_escaped(band.family)}" x="{_escaped(band.x)}" y="2" '
            f'width="{_escaped(band.width)}" height="20"><title>{_escaped(band.label)}: {_escaped(band.period)}</title>'
            "</rect>"
            for band in bands
        )
    )


@register.simple_tag
def band_list(bands) -> SafeString:
    """The same bands as text, for those who cannot see the drawing."""
    # Every value in it went through _escaped.
    return mark_safe(  # noqa: S308  # nosec B308, B703
        "".join(
            f'<li><span class="swatch band-{_escaped(band.family)}"></span>'
            f"{_escaped(band.label)} ({_escaped(band.period)})</li>"
            for band in bands
        )
    )
