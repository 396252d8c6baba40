"""Pages for advocates: read-only, server-rendered, scoped to the cases the user may see."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from appeals.models import Appeal, Deadline, OfficialResponse, appeals_waiting_for_an_answer, overdue_condition
from appeals.timeline import build_timeline, deadline_state
from cases.access_log import record_access
from cases.enums import AccessAction
from cases.models import (
    EARLIEST_FIRST,
    Case,
    CaseMembership,
    NameVariant,
    Person,
    Source,
    StatusChange,
    in_cases_visible_to,
    may_see_identities,
    person_label,
    searches_by_name,
    visible_case_count,
)
from cases.search import recall_search, remember_search
from cases.uploads import ALLOWED_TYPES
from exports.forms import ExportForm
from front.filters import CaseFilterForm, TimelineFilterForm
from reminders.deadlines import DUE_SOON_DAYS, due_counts

CASES_PER_PAGE = 25
# The dashboard shows the most pressing deadlines of each kind and says how many more there are.
DEADLINES_SHOWN = 100


@login_required
def home(request):
    return redirect("front:case_list")


def _people_prefetch():
    memberships = CaseMembership.objects.select_related("person__identity", "latest_status_change").order_by(
        "person__codename"
    )
    return Prefetch("memberships", queryset=memberships)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    if request.method == "POST":
        return _search(request)
    data = request.GET.copy()
    # A name never travels in the address: a search comes as the opaque id of a term kept in the session.
    data.pop("q", None)
    search_id = data.pop("search", [""])[-1]
    if search_id:
        term = recall_search(request, search_id)
        if term is None:
            messages.warning(request, _("That search is no longer kept; search again."))
            return redirect(f"{reverse('front:case_list')}?{data.urlencode()}")
        data["q"] = term
    form = CaseFilterForm(data or None, user=request.user)
    cases = Case.objects.visible_to(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        cases = cases.none()
    elif form.is_bound:
        cases = form.apply(cases)
    cases = cases.prefetch_related(_people_prefetch()).order_by("-opened_on", "reference")
    paginator = Paginator(cases, CASES_PER_PAGE)
    if not form.narrows():
        paginator.count = visible_case_count(request.user)
    page_number = request.GET.get("page") or 1
    try:
        page = paginator.page(page_number)
    except (EmptyPage, PageNotAnInteger):
        return render(
            request,
            "front/case_list.html",
            {
                "form": form,
                "page": None,
                "page_error": _("There is no page “%(page)s”: the list has %(count)d.")
                % {"page": page_number, "count": paginator.num_pages},
            },
            status=404,
        )
    page.object_list = list(page.object_list)
    # Counted for the cases of this page only, so the list costs the same whatever the register's size.
    # The page's deadlines, by the case each keeps, and of those the overdue ones counted: asked for overdue
    # deadlines of these cases instead, SQLite read every overdue deadline of the register.
    overdue = dict(
        Deadline.objects.filter(case__in=[case.pk for case in page.object_list])
        .values_list("case")
        .annotate(total=Count("pk", filter=overdue_condition()))
    )
    for case in page.object_list:
        case.overdue_total = overdue.get(case.pk, 0)
        case.people_rows = [
            {
                "person": m.person,
                "label": person_label(m.person),
                "role": m.get_role_display(),
                "status": m.current_status,
                "status_label": m.get_current_status_display(),
                "since": m.latest_status_change.when if m.latest_status_change else None,
            }
            for m in case.memberships.all()
        ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("q", None)
    return render(
        request,
        "front/case_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": paginator.count},
        status=status,
    )


def _search(request):
    """A search arrives by POST, is kept in the session and comes back as an opaque id in the address."""
    form = CaseFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "front/case_list.html", {"form": form, "page": None}, status=400)
    filters = {name: value for name, value in request.POST.items() if name in form.fields and name != "q" and value}
    term = form.cleaned_data["q"]
    if term:
        filters["search"] = remember_search(request, term)
        if searches_by_name(term):
            record_access(request, AccessAction.SEARCH_BY_NAME, detail="case list")
    return redirect(f"{reverse('front:case_list')}?{urlencode(filters)}")


@never_cache
@login_required
@require_GET
def case_timeline(request, case_id):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    people = (
        Person.objects.visible_to(request.user)
        .filter(memberships__case=case)
        .select_related("identity")
        .distinct()
        .order_by("codename")
    )
    form = TimelineFilterForm(request.GET or None, people=people)
    status = 200
    kinds, person_id, as_of = None, None, None
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        kinds = form.cleaned_data["kind"] or None
        person_id = form.cleaned_data["person"] or None
        as_of = form.cleaned_data["as_of"]
    timeline = build_timeline(
        case, as_of=as_of, kinds=kinds, person_id=person_id, reveal_whereabouts=may_see_identities(request.user)
    )
    record_access(request, AccessAction.VIEW_TIMELINE, case=case, detail=f"as of {as_of}" if as_of else "")
    return render(
        request,
        "front/case_timeline.html",
        {
            "case": case,
            "form": form,
            "timeline": timeline,
            # An export is of the record as it is now: a page of the record as it stood on a past day leads to
            # the form rather than showing it, which would also mean building the whole of today's timeline.
            "export_form": None
            if as_of
            else ExportForm(case=case, user=request.user, timeline=None if (kinds or person_id) else timeline),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def person_detail(request, person_id):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).with_status_seen_by(request.user).select_related("identity"),
        pk=person_id,
    )
    # Each row checked against the user's teams by its own case, rather than "case IN (every case the user may
    # see)", which SQLite lists in full first: thousands of cases for a large team, for a person in two.
    in_visible_cases = in_cases_visible_to(request.user)
    memberships = person.memberships.filter(in_visible_cases).select_related("case")
    changes = list(
        StatusChange.objects.filter(in_visible_cases, person=person)
        .select_related("case")
        .prefetch_related("sources")
        .order_by("sequence")
    )
    # A report that disagrees with another says which, found among the reports shown: a link into a case the
    # user may not see names nothing of it.
    shown = {change.pk: change for change in changes}
    for change in changes:
        change.account_of = shown.get(change.differs_from_id)
    appeals = Appeal.objects.filter(in_visible_cases, people=person).select_related("case")
    responses = (
        OfficialResponse.objects.filter(
            Q(appeal__in=appeals) | Q(appeal__isnull=True, case__in=memberships.values("case"))
        )
        .select_related("appeal", "case")
        .order_by(*EARLIEST_FIRST)
    )
    may_see_identity = may_see_identities(request.user)
    identity = person.identity_or_none if may_see_identity else None
    # The spellings a name is found by: identity data, encrypted like the identity and shown with it.
    spellings = list(NameVariant.objects.filter(person=person)) if may_see_identity else []
    record_access(
        request, AccessAction.VIEW_IDENTITY if identity or spellings else AccessAction.VIEW_PERSON, person=person
    )
    return render(
        request,
        "front/person_detail.html",
        {
            "person": person,
            "label": person_label(person),
            "identity": identity,
            "spellings": spellings,
            "may_see_identity": may_see_identity,
            "memberships": memberships,
            "changes": changes,
            "appeals": appeals,
            "responses": responses,
        },
    )


@never_cache
@login_required
@require_GET
def deadlines(request):
    today = timezone.localdate()
    visible = Deadline.objects.visible_to(request.user).select_related("appeal__case")
    overdue = visible.overdue(today).order_by("next_due_on")
    upcoming = visible.upcoming(today).order_by("next_due_on")

    def rows(deadlines):
        return [
            {"deadline": d, "state": state, "label": label}
            for d in deadlines[:DEADLINES_SHOWN]
            for state, label in [deadline_state(d, today)]
        ]

    waiting = appeals_waiting_for_an_answer(request.user).select_related("case")[:20]
    # The page's totals and the navigation's counts in one pass over a team's open deadlines, not three.
    counts = due_counts(request.user, today=today, days_ahead=DUE_SOON_DAYS, all_upcoming=True)
    return render(
        request,
        "front/deadlines.html",
        {
            "overdue": rows(overdue),
            "overdue_total": counts["overdue"],
            "upcoming": rows(upcoming),
            "upcoming_total": counts["upcoming"],
            "deadlines_due": counts,
            "waiting": [{"appeal": a, "days": (today - a.filed_start).days} for a in waiting],
            "today": today,
        },
    )


@never_cache
@login_required
@require_GET
def source_file(request, source_id):
    """The copy of an attachment made to be served: without the metadata that may name its author."""
    source = _attached_source(request, source_id)
    record_access(request, AccessAction.VIEW_ATTACHMENT, case=source.case, obj=source)
    return _attachment(source, source.read_file(), "")


@never_cache
@login_required
@require_GET
def source_original(request, source_id):
    """An attachment byte for byte as uploaded, for custody: its metadata may name people."""
    source = _attached_source(request, source_id)
    # Checked after the case, so that another team's source answers like a missing one (404), not 403.
    if not may_see_identities(request.user):
        raise PermissionDenied
    record_access(request, AccessAction.VIEW_ORIGINAL, case=source.case, obj=source)
    return _attachment(source, source.read_original(), "-original")


def _attached_source(request, source_id) -> Source:
    source = get_object_or_404(Source.objects.visible_to(request.user).select_related("case"), pk=source_id)
    if not source.file:
        raise Http404
    return source


def _attachment(source: Source, content: bytes, suffix: str) -> FileResponse:
    extension = ALLOWED_TYPES.get(source.media_type, "bin")
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        # Neither the uploaded name nor the title: either may name someone.
        filename=f"{source.case.reference}-source-{str(source.pk)[:8]}{suffix}.{extension}",
        content_type=source.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
