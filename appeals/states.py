"""States, by their ISO 3166 code, named in the reader's language from CLDR (babel)."""

from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language

# CLDR's two-letter territories that are neither States nor territories with a State's own code: unions,
# pseudo-regions, and islands that ISO 3166 files under their State (the Canary Islands, Ceuta and Melilla...).
_NOT_STATES = {"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO", "AC", "CP", "DG", "EA", "IC", "TA", "CQ"}


@lru_cache(maxsize=8)
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse((language or "en").replace("-", "_")).territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_STATES
    }


STATE_CODES = frozenset(_names("en"))


def state_name(code: str) -> str:
    return _names(get_language() or "en").get(code, code)


def state_choices() -> list[tuple[str, str]]:
    return sorted(_names(get_language() or "en").items(), key=lambda item: item[1])
