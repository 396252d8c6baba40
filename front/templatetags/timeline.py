"""The case page's events and status bands, written in Python rather than by template loops.

A long case has a thousand events or more and as many status bands, and the template engine's cost per
variable, condition and include made rendering them most of the page's time (bench/timeline.py). An event's
markup is written as f-strings, the bands' by ``_html_join`` (Django's ``format_html_join`` without its
per-value wrappers): every value put into them goes through ``_value``, which escapes as the template engine
escapes (``html.escape``) unless it is markup made here, so nothing typed into a record reaches the page as
markup; tests/front/test_advocate_pages.py and tests/front/test_xss.py check it for each field. The pieces
stay plain strings until the list is whole: marking each one safe cost 6 ms at 1,000 events.
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


def _html_join(separator: str, template_text: str, rows) -> SafeString:
    # Markup written in this module, every value escaped by _value.
    return SafeString(separator.join(template_text.format(*map(_value, row)) for row in rows))  # nosec B703


@register.simple_tag
def timeline_events(events) -> SafeString:
    """One ``<li>`` per event, with the other accounts of the same event inside it."""
    words = {
        "findings": _value(_("Findings")),
        "awarded": _value(_("Awarded")),
        "each_report": _value(_("Each report due")),
        "sources": _value(_("Sources")),
        "internal_note": _value(_("Internal note")),
        "disagree": _value(_("Sources disagree. Other accounts of the same event:")),
    }
    items = []
    for event in events:
        body = _event(event, words)
        if event.other_accounts:
            accounts = "".join(f'<div class="account">{_event(other, words)}</div>' for other in event.other_accounts)
            body = (
                f'{body}\n<div class="other-accounts">\n<p class="disagreement">{words["disagree"]}</p>\n'
                f"{accounts}</div>"
            )
        state = f" deadline-{_value(event.state)}" if event.state else ""
        items.append(f'<li class="event event-{_value(event.kind)}{state}">\n{body}\n</li>')
    # Markup written in this module, every value in it escaped by _value.
    return SafeString("\n".join(items))  # nosec B703


def _event(event, words) -> str:
    """One event's markup. Each value goes through ``_value`` as it is put in; the words were escaped once."""
    e = _value
    parts = [
        f'<p class="event-when"><time datetime="{e(event.iso_date)}">{e(event.when)}</time> '
        f'<span class="kind">{e(event.kind_label)}</span></p>\n<h3 class="event-title">{e(event.title)}</h3>'
    ]
    if event.people:
        place = f" · {e(event.place)}" if event.place else ""
        parts.append(f'<p class="event-people">{e(", ".join(event.people))}{place}</p>')
    elif event.place:
        parts.append(f"<p>{e(event.place)}</p>")
    if event.appeal:
        parts.append(f'<p class="event-appeal">{e(event.appeal)}</p>')
    if event.state_label:
        parts.append(f'<p class="deadline-state state-{e(event.state)}"><strong>{e(event.state_label)}</strong></p>')
    if event.detail:
        parts.append(f'<p class="event-detail">{e(event.detail)}</p>')
    if event.findings:
        findings = "".join(f"<li>{e(finding)}</li>" for finding in event.findings)
        parts.append(f'<ul class="findings" aria-label="{words["findings"]}">{findings}</ul>')
    if event.awards:
        parts.append(f'<p class="awards">{words["awarded"]}: {e("; ".join(event.awards))}</p>')
    if event.occurrences:
        occurrences = "".join(
            f'<li class="occurrence occurrence-{e(o.state)}"><time datetime="{e(o.due.isoformat())}">'
            f"{e(localised_date(o.due))}</time> <span>{e(o.label)}</span></li>"
            for o in event.occurrences
        )
        parts.append(f'<ol class="compliance" aria-label="{words["each_report"]}">{occurrences}</ol>')
    if event.quote:
        parts.append(f"<blockquote>{e(event.quote)}</blockquote>")
    verification = (
        f'<span class="verification verification-{e(event.verification)}">{e(event.verification_label)}</span>'
        if event.verification
        else ""
    )
    cites = ""
    if event.source_numbers:
        links = "".join(f'<a href="#source-{number:d}">[{number:d}]</a>' for number in event.source_numbers)
        cites = f'<span class="cites">{words["sources"]}: {links}</span>'
    parts.append(f'<p class="event-meta">\n  {verification}\n  {cites}\n</p>')
    if event.internal_notes:
        parts.append(
            f'<p class="internal-note"><strong>{words["internal_note"]}:</strong> {e(event.internal_notes)}</p>'
        )
    return "\n".join(parts)


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
