from django import template

from cases.fuzzydate import format_day

register = template.Library()


@register.filter
def day(value) -> str:
    """A day as the app writes it everywhere: 8 Feb 2021."""
    return format_day(value) if value else ""
