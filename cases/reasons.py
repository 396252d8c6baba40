"""Reasons the application writes into the history itself: stored in English, read in the reader's language.

A reason typed by a person is kept as typed. One the application writes — a deadline proposed by a rule,
settled by an answer, a record restored, an import — used to be written in the language of whoever caused
it, so a Russian editor's step left English readers Russian reasons and the other way round. Each such
reason is now declared once here, with its parameters; it is stored in English, and the history page
recognises it and writes it again, parameters included, in the reader's language.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from cases.fuzzydate import FuzzyDate, format_day, format_moment


class Text:
    """A parameter shown as it was written: a file name, a codename, a reference.

    Each kind writes its value in English for the stored reason, and reads it back in the reader's language,
    or answers None if the text is not such a value (then the reason was typed, and is shown as typed).
    """

    def write(self, value) -> str:
        return str(value)

    def read(self, text: str) -> str | None:
        return text


class Day(Text):
    """A day or a reported date ("5 Apr 2017", "Feb 2019"), written as the reader's language writes it."""

    def write(self, value) -> str:
        return str(value) if isinstance(value, FuzzyDate) else format_day(value)

    def read(self, text: str) -> str | None:
        try:
            return str(FuzzyDate.parse(text))
        except (ValueError, ValidationError):
            return None


class Moment(Text):
    """A moment ("8 Feb 2021 14:05"): its day as the reader's language writes it."""

    def write(self, value) -> str:
        return format_moment(value)

    def read(self, text: str) -> str | None:
        day, _space, time = text.rpartition(" ")
        read = Day().read(day)
        return f"{read} {time}" if read else None


class Label(Text):
    """One of a set of choices, shown by its label in the reader's language."""

    def __init__(self, choices):
        self.choices = choices

    def write(self, value) -> str:
        return str(self.choices(value).label)

    def read(self, text: str) -> str | None:
        with translation.override("en"):
            by_english = {str(choice.label): choice for choice in self.choices}
        choice = by_english.get(text)
        return str(choice.label) if choice is not None else None


class Reason:
    def __init__(self, message: str, parameters: dict):
        self.message = message  # in English; marked with gettext_noop where declared, so that it is translated
        self.parameters = parameters
        pieces = re.split(r"%\((\w+)\)s", message)  # literal text and parameter names, alternately
        self.pattern = re.compile(
            "".join(re.escape(piece) if n % 2 == 0 else f"(?P<{piece}>.+?)" for n, piece in enumerate(pieces)),
            re.DOTALL,
        )

    def written(self, **values) -> str:
        """The reason as stored: in English, whatever the language of the user who caused it."""
        with translation.override("en"):
            return self.message % {name: self.parameters[name].write(value) for name, value in values.items()}

    def read(self, text: str) -> str | None:
        found = self.pattern.fullmatch(text)
        if found is None:
            return None
        values = {name: self.parameters[name].read(value) for name, value in found.groupdict().items()}
        if None in values.values():
            return None  # a typed reason that only begins like this one: shown as typed
        return gettext(self.message) % values


_DECLARED: list[Reason] = []


def automatic_reason(message: str, **parameters) -> Reason:
    """Declare a reason the application writes; ``parameters`` say how each of its values reads."""
    reason = Reason(message, parameters)
    _DECLARED.append(reason)
    return reason


def readable(text: str) -> str:
    """A stored reason in the reader's language if the application wrote it; as typed otherwise."""
    for reason in _DECLARED:
        read = reason.read(text)
        if read is not None:
            return read
    return text
