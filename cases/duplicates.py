"""Possible duplicates of a person: someone the user may already see under the same name in another script or
spelling, or under a close spelling, with a year of birth that fits.

Only people the user may see are compared (``Person.objects.visible_to``), so a warning never hints at anyone
outside their cases. The same name across scripts is the search index's rule (cases/search.py: every word of
the name shares a keyed digest with the other person's names — Исаев, Isaev and Isayev alike); it needs no
names in the clear, and users not allowed identities are compared only with people who consented to publicity,
as a search would. Close spellings (Магамадов and Магомадов, Lapunov and Lapunow) compare the names themselves,
so only for users allowed to read identities: rapidfuzz over each name reduced to its transliteration
skeleton.

An import compares each of 10,000 new people with every earlier one, so the comparison is kept lean: a shape is
stored once however many names have it (a name in Cyrillic and its transliteration share one), and compared
with plain ``fuzz.ratio``, which on shapes whose words are already sorted is ``token_sort_ratio`` without
splitting and sorting every candidate again (about four times faster).
"""

from collections import defaultdict
from dataclasses import dataclass

import iuliia
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from cases import search
from cases.enums import Consent, Sensitivity
from cases.models import NameKey, NameVariant, Person, PersonIdentity, may_see_identities

SAME_NAME = _("the same name in another script or spelling")
CLOSE_SPELLING = _("a close spelling of the name")
# The ratio of two shapes (token_sort_ratio of the names' skeletons): one letter in a ten-letter surname is about 90.
CLOSE_ENOUGH = 85
# Years of birth this far apart still fit: a year is often remembered or reported one off.
YEARS_APART = 1


@dataclass(frozen=True)
class PossibleDuplicate:
    person_id: object
    codename: str
    why: str

    def __str__(self):
        return _("possible duplicate of %(codename)s (%(why)s)") % {"codename": self.codename, "why": self.why}


def name_shape(name: str) -> str:
    """A name as one string to compare spellings: each word's transliteration skeleton, in a fixed order."""
    shapes = []
    for token in search.tokens(name):
        spelling = iuliia.ICAO_DOC_9303.translate(token.lower()) if search.has_cyrillic(token) else token
        shapes.append(search.skeleton(spelling))
    return " ".join(sorted(s for s in shapes if s))


def _years_fit(first, second) -> bool:
    return first is None or second is None or abs(first - second) <= YEARS_APART


class DuplicateFinder:
    """The people ``user`` may see, indexed once to compare many new people with (an import), or one."""

    def __init__(self, user, *, people=None):
        self.user = user
        self.compares_spellings = may_see_identities(user)
        people = Person.objects.visible_to(user) if people is None else people
        if not self.compares_spellings:
            people = people.filter(sensitivity=Sensitivity.PUBLIC, consent_publicity=Consent.GIVEN)
        self._people = people
        self._by_digest: dict[str, set] = defaultdict(set)
        self._codenames: dict = {}
        self._birth_years: dict = {}
        # Each distinct shape once, with the people who have it.
        self._shapes: list[str] = []
        self._shape_owners: list[set] = []
        self._shape_index: dict[str, int] = {}
        self._load()

    def _load(self):
        visible = self._people.values("pk")
        for person_id, digest in NameKey.objects.filter(person__in=visible).values_list("person_id", "digest"):
            self._by_digest[digest].add(person_id)
        self._codenames.update(self._people.values_list("pk", "codename"))
        if not self.compares_spellings:
            return
        for identity in PersonIdentity.objects.filter(person__in=visible):
            self._birth_years[identity.person_id] = identity.birth_year or (
                identity.birth_date.year if identity.birth_date else None
            )
            self._add_shapes(identity.person_id, [identity.legal_name, identity.name_original_script])
        for variant in NameVariant.objects.filter(person__in=visible).only("person_id", "name"):
            self._add_shapes(variant.person_id, [variant.name])

    def _add_shapes(self, person_id, names):
        for name in names:
            shape = name_shape(name or "")
            if not shape:
                continue
            index = self._shape_index.get(shape)
            if index is None:
                index = self._shape_index[shape] = len(self._shapes)
                self._shapes.append(shape)
                self._shape_owners.append(set())
            self._shape_owners[index].add(person_id)

    def add(self, person_id, codename: str, *, names, birth_year=None) -> None:
        """A person recorded after the index was made (by the same import), to be compared with those after."""
        for digest in search.name_digests(*names):
            self._by_digest[digest].add(person_id)
        self._codenames[person_id] = codename
        if self.compares_spellings:
            self._birth_years[person_id] = birth_year
            self._add_shapes(person_id, names)

    def _same_name(self, name: str) -> set:
        per_token = search.query_digests(name)
        # A single word (a first name, a surname alone) is no sign of the same person.
        if len(per_token) < 2:
            return set()
        found = None
        for digests in per_token:
            having = set().union(*(self._by_digest.get(d, ()) for d in digests))
            found = having if found is None else found & having
            if not found:
                return set()
        return found

    def _close(self, name: str) -> set:
        shape = name_shape(name)
        if not shape or not self._shapes:
            return set()
        matches = process.extract(shape, self._shapes, scorer=fuzz.ratio, score_cutoff=CLOSE_ENOUGH, limit=None)
        return set().union(*(self._shape_owners[index] for _shape, _score, index in matches))

    def of(self, *, names, birth_year=None, exclude=()) -> list[PossibleDuplicate]:
        """Who among the people indexed may be the person with these names and year of birth."""
        names = [n for n in names if n and n.strip()]
        excluded = set(exclude)
        found: dict = {}
        for name in names:
            for person_id in self._same_name(name) - excluded:
                found.setdefault(person_id, SAME_NAME)
        if self.compares_spellings:
            for name in names:
                for person_id in self._close(name) - excluded:
                    found.setdefault(person_id, CLOSE_SPELLING)
            found = {p: why for p, why in found.items() if _years_fit(birth_year, self._birth_years.get(p))}
        return sorted(
            (PossibleDuplicate(p, self._codenames.get(p, ""), str(why)) for p, why in found.items()),
            key=lambda d: d.codename,
        )


def duplicates_of(person: Person, user) -> list[PossibleDuplicate]:
    """Possible duplicates of a recorded person among the others ``user`` may see, from their identity and names."""
    identity = person.identity_or_none
    names = [v.name for v in NameVariant.objects.filter(person=person)]
    birth_year = None
    if identity is not None:
        names += [identity.legal_name, identity.name_original_script]
        birth_year = identity.birth_year or (identity.birth_date.year if identity.birth_date else None)
    if not any(names):
        return []
    finder = DuplicateFinder(user, people=Person.objects.visible_to(user).exclude(pk=person.pk))
    return finder.of(names=names, birth_year=birth_year)
