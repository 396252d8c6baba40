"""Finding people by any spelling of their name, without storing names in the index.

Every name token is reduced to a *skeleton* that washes out transliteration
differences (Исаев, Isaev, Isayev all become ``isaev``), then stored only as a
keyed hash. The index answers "does this person have a name matching this
token?" and nothing else: a copy of the table alone reveals no name.
"""

import functools
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections import defaultdict

import iuliia
from django.conf import settings

from cases.crypto import cipher, opened_person_values

_SCHEMES = (
    iuliia.ICAO_DOC_9303,
    iuliia.BGN_PCGN,
    iuliia.WIKIPEDIA,
    iuliia.MOSMETRO,
    iuliia.GOST_779,
    iuliia.SCIENTIFIC,
    iuliia.TELEGRAM,
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_J = re.compile(r"(?<!d)j")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’ʹ][^\W\d_]+)*")
# Дж is "dzh" in the standard schemes and "dj" in others and in the press: both fold to a mark of its own, an
# upper-case J that none of the lower-case folds below touches, so that Джабраилов stays apart from Абраилов
# and Ябраилов ("ja" folds to "a"). A plain Latin "j" may be either sound (Jabrailov, Jakov): see
# token_skeletons.
_DZH = "J"
# Order matters: longer spellings of a sound are folded before their parts.
_FOLDS = (
    ("dzh", _DZH),
    ("dj", _DZH),
    ("shch", "sch"),
    ("kh", "h"),
    ("x", "h"),
    ("yu", "u"),
    ("iu", "u"),
    ("ju", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("ja", "a"),
    ("ye", "e"),
    ("je", "e"),
    ("yo", "o"),
    ("jo", "o"),
    ("y", "i"),
    ("j", "i"),
)


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text or ""))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode())


def skeleton(latin: str) -> str:
    folded = _ascii_fold(latin)
    for long, short in _FOLDS:
        folded = folded.replace(long, short)
    return re.sub(r"(.)\1+", r"\1", folded)


# Names repeat (given names, surnames): an import of thousands of people spells the same words again and again.
@functools.lru_cache(maxsize=50_000)
def token_skeletons(token: str) -> frozenset[str]:
    if _CYRILLIC.search(token):
        spellings = {scheme.translate(token.lower().replace("ё", "е")) for scheme in _SCHEMES}
    else:
        # Typed or recorded in Latin letters, a "j" may stand for Дж as the press writes it (Jabrailov, Jokhar)
        # as well as for the "й" or "я" of other schemes: both readings.
        spellings = {token, _LATIN_J.sub("dzh", token.lower())}
    return frozenset(s for s in map(skeleton, spellings) if s)


def digest(skeleton_value: str) -> str:
    key = settings.NAME_SEARCH_KEY.encode()
    return hmac.new(key, skeleton_value.encode(), hashlib.sha256).hexdigest()[:40]


def name_digests(*names: str) -> set[str]:
    """Every keyed digest under which these names should be found."""
    return {digest(s) for name in names for token in tokens(name) for s in token_skeletons(token)}


def rebuild_index(name_variant, person_identity, name_key) -> None:
    """Every person's name keys again, from their names opened with their own keys.

    The models are given, so that a migration passes its own. A key store that cannot open the names of someone
    not erased stops it before any key is deleted (``cases.crypto.opened_person_values``): read through their
    fields, those names would be "" and nobody findable by name.
    """
    names = defaultdict(list)
    for model, columns in ((name_variant, ["name"]), (person_identity, ["legal_name", "name_original_script"])):
        for person_id, name in opened_person_values(model, columns):
            names[person_id].append(name)
    name_key.objects.all().delete()
    batch = []
    for person_id, spelled in names.items():
        batch += [name_key(person_id=person_id, digest=d) for d in sorted(name_digests(*spelled))]
        if len(batch) >= 2000:
            name_key.objects.bulk_create(batch)
            batch = []
    name_key.objects.bulk_create(batch)


def query_digests(query: str) -> list[set[str]]:
    """One set of acceptable digests per token typed; a match needs every token."""
    return [{digest(s) for s in token_skeletons(token)} for token in tokens(query)]


# --- Searches kept out of addresses ---------------------------------------------------------------
# A typed search may be a name. It travels by POST and is kept, encrypted, in the user's session under
# a random id; the address carries only the id (``?search=…``), so no name reaches a server log, a
# proxy log, the browser's history or a lockout record.
_SESSION_KEY = "searches"
_KEPT = 20


def remember_search(request, term: str) -> str:
    """Keep ``term`` for this session and answer the opaque id that stands for it in addresses."""
    searches = dict(request.session.get(_SESSION_KEY, {}))
    search_id = secrets.token_urlsafe(9)
    searches[search_id] = cipher().encrypt(term.encode()).decode()
    request.session[_SESSION_KEY] = dict(list(searches.items())[-_KEPT:])
    return search_id


def recall_search(request, search_id: str) -> str | None:
    """The term behind an id of this session, or None if it is unknown or has been forgotten."""
    token = request.session.get(_SESSION_KEY, {}).get(search_id or "")
    return cipher().decrypt(token.encode()).decode() if token else None
