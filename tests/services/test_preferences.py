"""Reading settings: each value checked, a refusal writes nothing, anonymous readers read the defaults."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from articles.models import ReaderPreferences
from articles.services.preferences import PreferencesRejected, preferences_for, preferences_update

pytestmark = pytest.mark.django_db


def test_anonymous_readers_get_the_defaults_and_nothing_is_written():
    preferences = preferences_for(AnonymousUser())
    assert (preferences.theme, preferences.font_size, preferences.line_width, preferences.typeface) == (
        "system",
        "medium",
        "normal",
        "serif",
    )
    assert preferences.hidden_types == () and not preferences.stored
    assert not ReaderPreferences.objects.exists()
    with pytest.raises(PermissionDenied):
        preferences_update(user=AnonymousUser(), theme="dark")
    assert not ReaderPreferences.objects.exists()


def test_a_reader_who_never_chose_reads_the_defaults_without_a_row(alice):
    assert preferences_for(alice).font_size == "medium" and preferences_for(alice).stored
    assert not ReaderPreferences.objects.exists()


def test_any_subset_of_settings_is_kept_and_the_rest_left_alone(alice):
    preferences_update(user=alice, font_size="large", typeface="sans")
    preferences_update(user=alice, theme="DARK ", hidden_types=["ORG", "quote", "ORG"])
    preferences = preferences_for(alice)
    assert (preferences.theme, preferences.font_size, preferences.typeface, preferences.line_width) == (
        "dark",
        "large",
        "sans",
        "normal",
    )
    # Kept in the legend's order, once each.
    assert preferences.hidden_types == ("quote", "ORG")
    assert ReaderPreferences.objects.count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"colour": "red"}, "Unknown setting “colour”"),
        ({"theme": "sepia"}, "Theme cannot be “sepia”: choose one of system, light, dark"),
        ({"font_size": "12px"}, "Font size cannot be “12px”"),
        ({"line_width": ""}, "Line width cannot be “”"),
        ({"typeface": None}, "Typeface cannot be “None”"),
        ({"hidden_types": ["PERSON", "<script>"]}, "Unknown highlight type “<script>”"),
        ({"hidden_types": {"PERSON": 1}}, "hidden_types must be a list"),
        # One bad value refuses the good ones sent with it.
        ({"font_size": "large", "theme": "neon"}, "Theme cannot be “neon”"),
    ],
)
def test_unknown_settings_or_values_are_refused_with_a_message_and_nothing_written(alice, changes, message):
    preferences_update(user=alice, font_size="small")
    with pytest.raises(PreferencesRejected, match=message):
        preferences_update(user=alice, **changes)
    row = ReaderPreferences.objects.get(user=alice)
    assert (row.font_size, row.theme, row.hidden_types) == ("small", "system", [])
