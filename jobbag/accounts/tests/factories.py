from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from jobbag.accounts.models import ClientGroup, Department, Position, Role, User

# Tests sign in with this password; it passes the validators.
PASSWORD = "Jobbag-test-2026!"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name_zh = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = factory.LazyAttribute(lambda p: p.role.replace("_", "-"))
    role = Role.STAFF
    name_zh = factory.LazyAttribute(lambda p: str(Role(p.role).label))
    name_en = factory.LazyAttribute(lambda p: Role(p.role).name.title())


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@agency.example")
    kind = User.Kind.STAFF

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.password = hashed(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


@cache
def hashed(password: str) -> str:
    """An Argon2 hash computed once per password: hashing per user would slow every test."""
    return make_password(password)


def staff(username: str, role: str, *, department: str = "account", **extra) -> User:
    """A staff member holding the position for `role` in `department`."""
    dept = DepartmentFactory(code=department)
    position = PositionFactory(role=role, department=dept)
    return UserFactory(username=username, position=position, department=dept, **extra)


class ClientGroupFactory(DjangoModelFactory):
    class Meta:
        model = ClientGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group{n}")
    name_zh = factory.Sequence(lambda n: f"客户组{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")
