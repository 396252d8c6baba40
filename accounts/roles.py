"""The three roles, as groups with permissions, kept in step after every migration."""

from django.contrib.auth.models import Group, Permission

ADMINISTRATORS = "Administrators"
STAFF_EDITORS = "Staff editors"
ADVOCATES = "Advocates"
ROLES = (ADMINISTRATORS, STAFF_EDITORS, ADVOCATES)

# The apps whose records the roles act on, by label: this app knows them by name only, never imports them.
DOMAIN_APPS = ("cases", "appeals")
# Removing a person or a whole case is an administrator's decision; editors fix the details.
EDITOR_MAY_DELETE = {
    "namevariant",
    "casemembership",
    "source",
    "statuschange",
    "appealstep",
    "deadline",
    "officialresponse",
    "personidentity",
    "articlefinding",
    "award",
}
# Records shared by every team (facts about States): only administrators change them.
SHARED_MODELS = {"statefact"}


IDENTITY_MODELS = {"personidentity", "namevariant"}


def _wanted(role: str, codename: str, model: str) -> bool:
    action = codename.split("_", 1)[0]
    if model == "namekey":
        return False
    if role == ADMINISTRATORS:
        return True
    if role == STAFF_EDITORS:
        if model in SHARED_MODELS:
            return action == "view"
        return action in {"add", "change", "view"} or (action == "delete" and model in EDITOR_MAY_DELETE)
    # Advocates read case facts; who a person is stays with the staff who need it.
    return action == "view" and not model.startswith("historical") and model not in IDENTITY_MODELS


def ensure_roles(**_kwargs) -> None:
    permissions = list(
        Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related("content_type")
    )
    for role in (ADMINISTRATORS, STAFF_EDITORS, ADVOCATES):
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([p for p in permissions if _wanted(role, p.codename, p.content_type.model)])


def is_administrator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Every scoped query of a page asks. Kept on the user object, as Django keeps its permissions there
    # (``_perm_cache``): a request loads its user afresh, so a change of role counts from the next request.
    if not hasattr(user, "_is_administrator"):
        user._is_administrator = user.groups.filter(name=ADMINISTRATORS).exists()
    return user._is_administrator
