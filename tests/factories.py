"""Factories that build valid records through the same services the admin uses."""

from datetime import date

import factory
from django.contrib.auth.models import Group, User

from appeals.enums import AppealKind, Forum, StepType
from appeals.models import Appeal, AppealStep, Deadline, OfficialResponse
from cases.enums import Role, Script, SourceType, Status, Verification
from cases.fuzzydate import FuzzyDate
from cases.models import Case, CaseMembership, NameVariant, Person, PersonIdentity, Source, StatusChange
from cases.services import save_record


class ServiceFactory(factory.django.DjangoModelFactory):
    """Saves through cases.services.save_record, so history and derived data are as in real use."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return save_record(model_class(*args, **kwargs), by=None, reason="Test fixture")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))


class CaseFactory(ServiceFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Case {n}")
    region = "Chechnya"
    opened_on = date(2021, 2, 1)

    @factory.post_generation
    def team(case, create, extracted, **kwargs):
        if extracted:
            case.team.add(*extracted)


class PersonFactory(ServiceFactory):
    class Meta:
        model = Person


class PersonIdentityFactory(ServiceFactory):
    class Meta:
        model = PersonIdentity

    person = factory.SubFactory(PersonFactory)
    legal_name = "Ivan Testov"


class NameVariantFactory(ServiceFactory):
    class Meta:
        model = NameVariant

    person = factory.SubFactory(PersonFactory)
    name = "Иван Тестов"
    script = Script.CYRILLIC


class MembershipFactory(ServiceFactory):
    class Meta:
        model = CaseMembership

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = Role.VICTIM


class SourceFactory(ServiceFactory):
    class Meta:
        model = Source

    case = factory.SubFactory(CaseFactory)
    source_type = SourceType.MEDIA
    title = factory.Sequence(lambda n: f"Report {n}")


class FuzzyDatedFactory(ServiceFactory):
    """Takes ``when`` as staff type it ("6 Feb 2021", "c. 2017")."""

    class Meta:
        abstract = True

    when = "2021"

    @classmethod
    def _create(cls, model_class, *args, when, **kwargs):
        record = model_class(*args, **kwargs)
        record.when = FuzzyDate.parse(when)
        return save_record(record, by=None, reason="Test fixture")


class StatusChangeFactory(FuzzyDatedFactory):
    class Meta:
        model = StatusChange

    case = factory.SubFactory(CaseFactory)
    person = factory.LazyAttribute(lambda o: MembershipFactory(case=o.case).person)
    status = Status.DETAINED
    verification = Verification.CONFIRMED
    when = "6 Feb 2021"


class AppealFactory(ServiceFactory):
    class Meta:
        model = Appeal

    case = factory.SubFactory(CaseFactory)
    forum = Forum.ECTHR
    kind = AppealKind.APPLICATION
    reference = factory.Sequence(lambda n: f"{10000 + n}/21")


class AppealStepFactory(FuzzyDatedFactory):
    class Meta:
        model = AppealStep

    appeal = factory.SubFactory(AppealFactory)
    step_type = StepType.LODGED
    when = "8 Feb 2021"


class DeadlineFactory(ServiceFactory):
    class Meta:
        model = Deadline

    appeal = factory.SubFactory(AppealFactory)
    description = "Government's reply"
    due_on = date(2021, 2, 12)


class OfficialResponseFactory(FuzzyDatedFactory):
    class Meta:
        model = OfficialResponse

    case = factory.SubFactory(CaseFactory)
    state = "Russian Federation"
    response_type = "denial"
    when = "7 Feb 2021"
