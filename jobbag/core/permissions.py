"""One way to ask "may this user do X (to this object)" and "which rows may they see".

Each app's `permissions.py` registers its rules and row scopes here at start-up; pages,
API, services and tests all call `can`/`require`/`visible`, never their own checks.
"""

from collections.abc import Callable

from django.db import models

from jobbag.core.errors import NotAllowed

Rule = Callable[..., bool]
Scope = Callable[..., models.QuerySet]

_rules: dict[str, Rule] = {}
_scopes: dict[type[models.Model], Scope] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Registers `fn(user, obj=None) -> bool` as the rule for action `name`."""

    def register(fn: Rule) -> Rule:
        if name in _rules:
            raise ValueError(f"Permission rule {name!r} registered twice")
        _rules[name] = fn
        return fn

    return register


def scope(model: type[models.Model]) -> Callable[[Scope], Scope]:
    """Registers `fn(user, queryset) -> queryset` as the visible rows of `model`."""

    def register(fn: Scope) -> Scope:
        _scopes[model] = fn
        return fn

    return register


def can(user, action: str, obj=None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        fn = _rules[action]
    except KeyError:
        raise LookupError(f"No permission rule named {action!r}") from None
    return bool(fn(user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise NotAllowed()


def visible(user, queryset: models.QuerySet) -> models.QuerySet:
    """The rows of `queryset` this user may see; nothing for anonymous or unregistered."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    fn = _scopes.get(queryset.model)
    if fn is None:
        return queryset.none()
    return fn(user, queryset)


def registered_rules() -> list[str]:
    return sorted(_rules)
