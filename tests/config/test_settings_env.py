"""Settings from the environment: a typo stops the start-up with the variable's name, never a silent default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str


def test_unset_variables_take_their_defaults(monkeypatch):
    for name in ("TRACKER_FLAG", "TRACKER_COUNT", "TRACKER_NAMES", "TRACKER_NAME"):
        monkeypatch.delenv(name, raising=False)

    assert (env_bool("TRACKER_FLAG", True), env_int("TRACKER_COUNT", 3)) == (True, 3)
    assert (env_list("TRACKER_NAMES", ["a"]), env_str("TRACKER_NAME", "x")) == (["a"], "x")


def test_values_are_parsed_to_their_types(monkeypatch):
    monkeypatch.setenv("TRACKER_FLAG", "off")
    monkeypatch.setenv("TRACKER_COUNT", "48")
    monkeypatch.setenv("TRACKER_NAMES", "a.example.org, b.example.org")

    assert env_bool("TRACKER_FLAG", True) is False
    assert env_int("TRACKER_COUNT", 3, minimum=1) == 48
    assert env_list("TRACKER_NAMES", []) == ["a.example.org", "b.example.org"]


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("TRACKER_VALUE", False), "perhaps", "TRACKER_VALUE must be a boolean"),
        (lambda: env_int("TRACKER_VALUE", 1), "ten", "TRACKER_VALUE must be an integer"),
        (lambda: env_int("TRACKER_VALUE", 1, minimum=1), "0", "TRACKER_VALUE must be at least 1"),
    ],
)
def test_a_bad_value_stops_with_the_variable_named(monkeypatch, reader, value, message):
    monkeypatch.setenv("TRACKER_VALUE", value)

    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def test_a_secret_is_read_from_the_file_its_FILE_variable_names(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("TRACKER_SECRET", "from-the-environment")
    monkeypatch.setenv("TRACKER_SECRET_FILE", str(secret))

    assert env_str("TRACKER_SECRET", "") == "from-a-file"
