"""People and organisation over the API: the staff directory, my profile, my tokens."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts import selectors, services, tokens
from jobbag.accounts.models import ApiToken, Role
from jobbag.core.api_support import PagePagination, caller, errors
from jobbag.core.errors import NotFound
from jobbag.core.permissions import require

router = Router(tags=["accounts"])

DIRECTORY = "accounts.directory.view"
TOKENS = "accounts.token.manage"


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class PositionRef(Schema):
    id: int
    code: str
    name: str
    role: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    department: DepartmentRef | None
    position: PositionRef | None
    phone: str
    mobile: str
    is_active: bool


class MeOut(UserOut):
    kind: str
    language: str
    version: int


class MeIn(Schema):
    """Only the fields sent are changed; `version` is the one the edit was made against."""

    version: int
    full_name: str | None = None
    phone: str | None = None
    mobile: str | None = None
    language: str | None = None


class UserFilters(Schema):
    q: str = Field("", max_length=100, description="Part of a name, username or phone number.")
    department: int | None = Field(None, description="Department id.")
    role: Role | None = None


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., max_length=100)


class NewTokenOut(TokenOut):
    secret: str = Field(..., description="Shown only this once; keep it safe.")


@router.get("/users", response={200: list[UserOut], **errors(403)})
@paginate(PagePagination)
def list_users(request: HttpRequest, filters: Query[UserFilters]):
    """The staff directory (not open to client users)."""
    user = caller(request)
    require(user, DIRECTORY)
    return selectors.directory_search(
        viewer=user,
        query=filters.q,
        department_id=filters.department,
        role=filters.role or "",
    )


@router.get("/users/me", response={200: MeOut, **errors()})
def get_me(request: HttpRequest):
    return selectors.user_for_viewer(viewer=caller(request), pk=caller(request).pk)


@router.patch("/users/me", response={200: MeOut, **errors(400, 409)})
def update_me(request: HttpRequest, payload: MeIn):
    """Changes my name, phone numbers or language; 409 when the version is stale."""
    fields = payload.dict(exclude_unset=True, exclude={"version"})
    services.user_update_profile(actor=caller(request), version=payload.version, **fields)
    return selectors.user_for_viewer(viewer=caller(request), pk=caller(request).pk)


@router.get("/users/{user_id}", response={200: UserOut, **errors(404)})
def get_user(request: HttpRequest, user_id: int):
    """One person; 404 for anyone outside what the caller may see."""
    user = selectors.user_for_viewer(viewer=caller(request), pk=user_id)
    if user is None:
        raise NotFound()
    return user


@router.get("/departments", response={200: list[DepartmentOut], **errors(403)})
def list_departments(request: HttpRequest):
    require(caller(request), DIRECTORY)
    return selectors.departments_for_choice()


@router.get("/tokens", response={200: list[TokenOut], **errors()})
def list_tokens(request: HttpRequest):
    """My personal API tokens, revoked ones included."""
    require(caller(request), TOKENS)
    return ApiToken.objects.filter(user=caller(request))


@router.post("/tokens", response={201: NewTokenOut, **errors(400, 409)})
def create_token(request: HttpRequest, payload: TokenIn, response: HttpResponse):
    require(caller(request), TOKENS)
    token, secret = tokens.token_create(actor=caller(request), name=payload.name)
    token.secret = secret
    # The secret is shown once: no cache, and no Idempotency-Key replay, may keep it.
    response["Cache-Control"] = "no-store"
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None, **errors(404)})
def revoke_token(request: HttpRequest, token_id: int):
    """Revokes one of my tokens at once; 404 for anyone else's."""
    require(caller(request), TOKENS)
    tokens.token_revoke(actor=caller(request), token_id=token_id)
    return Status(204, None)
