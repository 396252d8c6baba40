"""Every word of the interface is marked for translation, in the Russian catalogue, translated and compiled.

These checks run in CI (`make test`): no user-facing string in Python or templates is left unmarked, and no
field the admin shows goes without a translated name; the committed catalogue holds exactly what `makemessages`
extracts today; every entry is translated, none fuzzy; the compiled catalogue says what the .po says.
docs/translating.md tells how to keep them green.
"""

import ast
import re
import shutil
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "cases", "appeals", "exports", "reminders", "imports", "front", "config")
LOCALE = ROOT / "locale"
PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# --- Python -------------------------------------------------------------------------------------------------

TRANSLATING = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# Arguments and attributes whose string a person reads on a page, in a message or in a command's output.
USER_KEYWORDS = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "description",
    "empty_label",
    "empty_value_display",
    "placeholder",
    "title",
    "subtitle",
    "search_help_text",
    "short_description",
    "message",
}
USER_DICT_KEYS = {"placeholder", "title", "subtitle", "aria-label", "alt", "message", "empty_text"}
# Exceptions whose message is shown to the person who caused them (a form, a page, a command's output).
SHOWN_EXCEPTIONS = {"ValidationError", "CommandError", "ExportRefused", "EditConflict"}
# Exceptions whose message is for developers and operators (logs, a traceback, settings refusing to start).
DEVELOPER_EXCEPTIONS = {
    "ImproperlyConfigured",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "KeyError",
    "LookupError",
    "AssertionError",
    "NotImplementedError",
    "SuspiciousOperation",
    "SuspiciousFileOperation",
    "PermissionDenied",
    "Http404",
    "EncryptedLookup",
}
# Keyword arguments that are not interface text: what the access log notes, a response's content type.
DATA_KEYWORDS = {"detail", "content_type"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|VACUUM|WITH)\b")
# Files that hold no interface text. The demo's public cases are record data; deployment checks speak to the
# operator in the language of the code, as Django's own do.
NOT_INTERFACE_FILES = {"front/demo.py", "accounts/checks.py", "reminders/checks.py"}
# Strings that are deliberately not translated, and why.
NOT_INTERFACE_TEXT = {
    ("accounts/roles.py", "Staff editors"): "a group's name: the roles are found by it",
    ("accounts/twofactor.py", "Authenticator app"): "a device's stored name; the admin lists devices under their kind",
    ("accounts/twofactor.py", "Recovery codes"): "a device's stored name; the admin lists devices under their kind",
    ("cases/models.py", "name key of {}"): "name keys are shown on no page",
    ("appeals/enums.py", "UA RUS 4/2019"): "an example reference, written the same in every language",
    ("exports/render.py", "DejaVu Sans"): "a font's name",
    ("exports/templatetags/figures.py", ' fill-opacity="0.35" stroke="{}" stroke-dasharray="3 2"'): "SVG attributes",
    ("exports/templatetags/figures.py", 'fill="#eeeeee" stroke="#767676" stroke-dasharray="2 2"'): "SVG attributes",
    ("exports/templatetags/figures.py", 'fill="{}" fill-opacity="{}" stroke="#d0d7de"'): "SVG attributes",
    ("imports/layout.py", "Case people"): "a sheet's name in the import layout, the same in every language",
    ("imports/layout.py", "people in cases"): "a sheet's name in the import layout, the same in every language",
    ("imports/layout.py", "Status changes"): "a sheet's name in the import layout, the same in every language",
    ("imports/layout.py", "Appeal steps"): "a sheet's name in the import layout, the same in every language",
    ("imports/layout.py", "Official responses"): "a sheet's name in the import layout, the same in every language",
    ("exports/render.py", "Table Grid"): "a style's name in Word",
    ("exports/views.py", 'attachment; filename="{}"'): "a response header",
    ("front/figures.py", 'attachment; filename="{}"'): "a response header",
    ("cases/datefields.py", "CAST(substr({}, 1, 4) AS INTEGER)"): "SQL",
    ("cases/datefields.py", "CAST(substr({}, 6, 2) AS INTEGER)"): "SQL",
    ("config/settings.py", "Case tracker (development)"): "a setting's default: the organisation's own name",
    ("front/management/commands/generate_scale_data.py", "Synthetic scale data"): "invented record data",
    ("front/management/commands/generate_scale_data.py", "Synthetic case {}"): "invented record data",
    ("front/management/commands/generate_scale_data.py", "Synthetic report."): "invented record data",
    (
        "front/management/commands/generate_scale_data.py",
        "Government's reply to the UN communication",
    ): "invented record data",
}


def _name(node) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", "")


def _text(node) -> str | None:
    """The words of a string literal (an f-string's fixed parts, placeholders dropped), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    else:
        return None
    return text


def _words(text: str) -> list[str]:
    # Markup written in Python (the case page's events) is read like a template's: only the text between tags.
    text = re.sub(r"%\(\w+\)[sdi]|\{\w*\}|https?://\S+|<[^<>]*>", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def _is_prose(text: str) -> bool:
    return len(_words(text)) >= 2 and " " in text.strip() and not SQL.match(text)


class Scanner(ast.NodeVisitor):
    """Finds strings a person reads that no gettext call wraps."""

    def __init__(self, path: str):
        self.path = path
        self.found: list[tuple[int, str]] = []
        self.exempt: set[int] = set()  # ids of nodes whose strings are not interface text
        self.checked: set[int] = set()  # ids of nodes already judged by a rule

    def report(self, node, *, strict: bool):
        """``strict``: in a place whose text a person reads, any word is interface text."""
        if node is None or id(node) in self.exempt:
            return
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                self.report(element, strict=strict)
            return
        if isinstance(node, ast.Dict):
            for value in node.values:
                self.report(value, strict=strict)
            return
        if isinstance(node, ast.BinOp):  # "..." % values, "a" + "b"
            self.report(node.left, strict=strict)
            self.report(node.right, strict=strict)
            return
        if isinstance(node, ast.IfExp):
            self.report(node.body, strict=strict)
            self.report(node.orelse, strict=strict)
            return
        text = _text(node)
        if text is None:
            return
        self.checked.add(id(node))
        if ((strict and _words(text)) or _is_prose(text)) and (self.path, text) not in NOT_INTERFACE_TEXT:
            self.found.append((node.lineno, text))

    def exempt_tree(self, node):
        for child in ast.walk(node):
            self.exempt.add(id(child))

    def visit_Module(self, node):
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self._docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._docstring(node)
        choices = any(_name(base).endswith("Choices") for base in node.bases)
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                targets = [_name(t) for t in statement.targets]
                if choices and isinstance(statement.value, ast.Tuple) and len(statement.value.elts) == 2:
                    self.report(statement.value.elts[1], strict=True)
                elif "help" in targets and any(_name(base) == "BaseCommand" for base in node.bases):
                    # A command's --help is for the operator, in the language of the code.
                    self.exempt_tree(statement.value)
                elif set(targets) & USER_KEYWORDS:
                    self.report(statement.value, strict=True)
        self.generic_visit(node)

    def _docstring(self, node):
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and _text(body[0].value) is not None:
            self.exempt.add(id(body[0].value))

    def visit_Assign(self, node):
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in USER_KEYWORDS:
                self.report(node.value, strict=True)
        self.generic_visit(node)

    def visit_Return(self, node):
        # A list filter's lookups(): (value, label) pairs.
        if isinstance(node.value, (ast.List, ast.Tuple)):
            for element in node.value.elts:
                if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                    self.report(element.elts[1], strict=True)
        self.generic_visit(node)

    def visit_Dict(self, node):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in USER_DICT_KEYS:
                self.report(value, strict=True)
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _name(node.func)
        receiver = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if name in TRANSLATING:
            self.exempt_tree(node)
            return
        if (
            name in DEVELOPER_EXCEPTIONS
            or name in {"add_argument", "execute", "executemany", "RunSQL", "warn"}
            or re.fullmatch(r"log(ger|ging)?", receiver)
            or (receiver == "re" and name in {"compile", "match", "fullmatch", "search", "sub", "split", "findall"})
        ):
            self.exempt_tree(node)
            return
        if name in SHOWN_EXCEPTIONS and node.args:
            self.report(node.args[0], strict=True)
        if receiver == "messages" and name in MESSAGE_LEVELS and len(node.args) > 1:
            self.report(node.args[1], strict=True)
        if name in {"message_user", "add_error"} and len(node.args) > 1:
            self.report(node.args[1], strict=True)
        if name == "write" and receiver in {"stdout", "stderr"} and node.args:
            written = node.args[0]
            if isinstance(written, ast.Call) and _name(getattr(written.func, "value", None)) == "style":
                written = written.args[0] if written.args else None
            self.report(written, strict=True)
        if name.endswith("Field") and name not in RELATIONS and node.args:
            self.report(node.args[0], strict=True)
        for keyword in node.keywords:
            if keyword.arg in DATA_KEYWORDS:
                self.exempt_tree(keyword.value)
            if keyword.arg in USER_KEYWORDS:
                self.report(keyword.value, strict=True)
            if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for choice in keyword.value.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                        self.report(choice.elts[1], strict=True)
        self.generic_visit(node)

    def visit_Constant(self, node):
        if id(node) not in self.exempt and id(node) not in self.checked:
            self.report(node, strict=False)

    def visit_JoinedStr(self, node):
        if id(node) not in self.exempt and id(node) not in self.checked:
            self.report(node, strict=False)


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" not in path.parts and relative not in NOT_INTERFACE_FILES:
                yield relative


def unmarked_python(relative: str) -> list[str]:
    scanner = Scanner(relative)
    scanner.visit(ast.parse((ROOT / relative).read_text(), relative))
    return [f"{relative}:{line}: {text!r}" for line, text in sorted(scanner.found)]


def test_python_strings_shown_to_people_are_marked_for_translation():
    found = [problem for relative in python_files() for problem in unmarked_python(relative)]

    assert found == [], "Wrap these in gettext (docs/translating.md):\n" + "\n".join(found)


# --- Templates ----------------------------------------------------------------------------------------------

TEMPLATES = ROOT / "templates"
# Stands for every template token: it holds no letter and no "<" or ">", so tags stay whole around it.
TOKEN = "\x00"
ATTRIBUTES = re.compile(r"""\s(title|placeholder|alt|aria-label|value)\s*=\s*(["'])(.*?)\2""", re.S)
# Blocks whose content is an attribute's value, not text.
ATTRIBUTE_BLOCKS = {"bodyclass"}
# Words that read the same in every language.
UNIVERSAL = {"SHA-256"}


def visible_text(source: str) -> tuple[list[str], str]:
    """What a template shows that no translate tag covers: attribute values people read, and the text."""
    rebuilt, depth, blocks = [], 0, []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split() or [""]
            if words[0] in {"blocktranslate", "blocktrans", "comment"}:
                depth += 1
            elif words[0] in {"endblocktranslate", "endblocktrans", "endcomment"}:
                depth -= 1
            elif words[0] == "block":
                blocks.append(words[1] in ATTRIBUTE_BLOCKS)
                depth += blocks[-1]
            elif words[0] == "endblock":
                depth -= blocks.pop()
            rebuilt.append(TOKEN)
        elif token.token_type == TokenType.TEXT and not depth:
            rebuilt.append(token.contents)
        else:
            rebuilt.append(TOKEN)
    html = "".join(rebuilt)
    html = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    attributes = []
    for tag in re.findall(r"<[^>]*>", html):
        for name, _quote, value in ATTRIBUTES.findall(tag):
            shown = name != "value" or re.search(r"""type=["']?(submit|button|reset)""", tag)
            if shown and re.search(r"[A-Za-z]{2,}", value):
                attributes.append(value)
    text = re.sub(r"<[^>]*>", " ", html)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    for word in UNIVERSAL:
        text = text.replace(word, " ")
    return attributes, " ".join(text.replace(TOKEN, " ").split())


def unmarked_template(path: Path) -> list[str]:
    attributes, text = visible_text(path.read_text())
    relative = path.relative_to(ROOT).as_posix()
    found = [f"{relative}: attribute {value!r}" for value in attributes]
    if re.search(r"[A-Za-z]{2,}", text):
        found.append(f"{relative}: text {text!r}")
    return found


def test_template_text_is_marked_for_translation():
    found = [problem for path in sorted(TEMPLATES.rglob("*.html")) for problem in unmarked_template(path)]

    assert found == [], "Use {% translate %} or {% blocktranslate %} (docs/translating.md):\n" + "\n".join(found)


# --- The catalogue ------------------------------------------------------------------------------------------

# What `make messages` passes to makemessages (Makefile); the test extracts the same way into a scratch copy.
MAKEMESSAGES = {
    "locale": ["ru"],
    "no_obsolete": True,
    "add_location": "file",
    "ignore_patterns": ["tests", "bench", "var"],
}


def _keys(catalogue) -> set:
    return {
        (message.context, message.id if isinstance(message.id, str) else tuple(message.id))
        for message in catalogue
        if message.id
    }


def _read_po(path):
    with path.open("rb") as file:
        return read_po(file, locale="ru")


def test_the_catalogue_holds_exactly_what_the_code_marks(tmp_path, settings, monkeypatch):
    assert shutil.which("xgettext"), "makemessages needs GNU gettext: make test-tools installs it"
    source = tmp_path / "source"
    for folder in (*APPS, "templates"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(source)

    call_command("makemessages", verbosity=0, **MAKEMESSAGES)

    extracted, committed = _keys(_read_po(tmp_path / "locale/ru/LC_MESSAGES/django.po")), _keys(_read_po(PO))
    assert (sorted(extracted - committed, key=str), sorted(committed - extracted, key=str)) == ([], []), (
        "The catalogue is behind the code (missing, then stale entries): run `make messages` (docs/translating.md)"
    )


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = _read_po(PO)
    plural_forms = catalogue.num_plurals

    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
            or (message.pluralizable and len(message.string) != plural_forms)
        )
    ]

    assert plural_forms == 3
    assert untranslated == []


def test_translations_keep_their_placeholders():
    catalogue = _read_po(PO)

    problems = [f"{message.id!r}: {error}" for message, errors in catalogue.check() for error in errors]

    assert problems == []


def test_the_compiled_catalogue_says_what_the_po_says():
    with MO.open("rb") as file:
        compiled = read_mo(file)
    written = _read_po(PO)

    def translations(catalogue):
        # read_mo gives a context as bytes and a plural entry's forms as a list; read_po, str and a tuple.
        return {
            (
                m.context.decode() if isinstance(m.context, bytes) else m.context,
                m.id if isinstance(m.id, str) else tuple(m.id),
            ): (m.string if isinstance(m.string, str) else tuple(m.string))
            for m in catalogue
            if m.id
        }

    assert translations(compiled) == translations(written), "Compile it again: make messages"


# --- Field names --------------------------------------------------------------------------------------------

# The second-factor devices take most of their fields from django-otp, which names them in English only; their
# admin pages are for administrators (accounts/admin.py).
NAMED_BY_A_LIBRARY = {"accounts"}


def test_every_field_staff_see_in_the_admin_has_a_translated_name():
    """A field without a verbose_name is named after itself ("person"): a column, a label or a history row in
    English on a Russian page. The string scan cannot see it, so the models the admin shows are asked."""
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in set(APPS) - NAMED_BY_A_LIBRARY and admin.site.is_registered(model)
        for field in model._meta.get_fields()
        if not field.auto_created and not field.primary_key and not isinstance(field.verbose_name, Promise)
    ]

    assert untranslated == []
