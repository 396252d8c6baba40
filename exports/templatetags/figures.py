"""How a count reads in a figures table, on the page and in the public PDF alike."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure_cell(cell):
    """Withheld ("<5", "x"), a link to the records it counts, or the number. A filter rather than an included
    template: a page holds a thousand counts, and an include costs a template context each."""
    if cell.value is None:
        return format_html('<span class="withheld" title="{}">{}</span>', _("Withheld"), cell)
    if cell.href and cell.n:
        return format_html('<a href="{}">{}</a>', cell.href, cell)
    return conditional_escape(str(cell))
