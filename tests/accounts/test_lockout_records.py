"""The lockout's records say who failed, from where and when; never what was typed or asked for."""

from urllib.parse import quote

from axes.models import AccessAttempt
from django.db import connection

from accounts.models import AuthenticatorApp

# What a visitor typed: a search by a person's name (in `next`, and in the address itself), a wrong
# password and a wrong code. None of it may reach the lockout's tables.
SEARCHED_NAME = "Zelimkhan Canaryev"
WRONG_PASSWORD = "canary-password-7"
WRONG_CODE = "canarycode42"


def _axes_rows() -> list[str]:
    """Every value of every row of django-axes' tables, as the database holds them."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("axes_"):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our table names
                values += [str(value) for row in cursor.fetchall() for value in row]
    return values


def test_failed_logins_and_wrong_codes_leave_nothing_typed_in_the_lockout_records(client, alice):
    AuthenticatorApp.objects.create(user=alice, name="phone", confirmed=True)
    search = f"/cases/?q={quote(SEARCHED_NAME)}"
    credentials = {"username": "alice", "password": WRONG_PASSWORD, "next": search}

    client.post(f"/accounts/login/?next={quote(search)}", credentials)
    client.post(f"/accounts/login/?q={quote(SEARCHED_NAME)}", credentials)
    client.post("/accounts/login/", {**credentials, "password": "correct horse battery staple"})
    client.post(f"/accounts/2fa/?next={quote(search)}", {"token": WRONG_CODE, "next": search})

    attempts = AccessAttempt.objects.filter(username="alice")
    assert attempts.exists()
    assert {(attempt.get_data, attempt.post_data) for attempt in attempts} == {("", "")}
    stored = "\n".join(_axes_rows()).lower()
    for typed in ["canaryev", quote(SEARCHED_NAME).lower(), WRONG_PASSWORD, WRONG_CODE]:
        assert typed not in stored
