import pytest
from django.contrib.auth.models import AnonymousUser

from jobbag.accounts.models import Department, User
from jobbag.core.errors import NotAllowed
from jobbag.core.permissions import can, registered_rules, require, visible


def test_it_refuses_everything_to_anonymous_users(cast):
    assert can(AnonymousUser(), "accounts.directory.view") is False
    assert visible(AnonymousUser(), User.objects.all()).count() == 0


def test_it_refuses_everything_to_deactivated_users(cast):
    cast.ae.is_active = False
    assert can(cast.ae, "accounts.directory.view") is False
    assert visible(cast.ae, User.objects.all()).count() == 0


def test_an_unknown_rule_is_a_programming_error_not_a_silent_no(cast):
    with pytest.raises(LookupError):
        can(cast.ae, "no.such.rule")


def test_require_raises_not_allowed_when_the_rule_says_no(cast):
    require(cast.ae, "accounts.directory.view")
    with pytest.raises(NotAllowed):
        require(cast.client, "accounts.directory.view")


def test_rows_of_a_model_without_a_scope_are_hidden(cast):
    assert visible(cast.gm, Department.objects.all()).count() == 0


def test_client_users_see_only_themselves_among_users(cast):
    assert list(visible(cast.client, User.objects.all())) == [cast.client]
    staff_seen = set(visible(cast.ae, User.objects.all()).values_list("username", flat=True))
    assert "client" not in staff_seen and "outsider" not in staff_seen
    assert {"ae", "ad", "gm"} <= staff_seen


def test_rules_are_registered_at_start_up():
    assert "accounts.directory.view" in registered_rules()
