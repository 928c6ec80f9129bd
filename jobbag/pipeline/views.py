"""Pages of the new-business pipeline: the board, the list, a prospect's page and its
forms. Views are thin: forms parse, services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.pipeline import selectors, services
from jobbag.pipeline.forms import FilterForm, MoveForm, ProspectForm, ReasonForm, WinForm
from jobbag.pipeline.models import OPEN_STAGES, TRANSITIONS, Prospect, Stage
from jobbag.pipeline.permissions import edit_check, people_behind, sees_every_prospect

VIEW = "pipeline.view"
PAGE_SIZE = 30


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _prospect(request, pk: int) -> Prospect:
    """The prospect if the user may see it; 404 for anything outside their scope."""
    _require(request, VIEW)
    prospect = selectors.prospect_for(request.user, pk)
    if prospect is None:
        raise Http404
    return prospect


def _owners(user):
    """The people whose prospects `user` works: everyone for management, else their team."""
    owners = selectors.owners_for_choice()
    if sees_every_prospect(user):
        return owners
    return owners.filter(pk__in=people_behind(user))


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _move_choices(prospect: Prospect) -> list[tuple[str, str]]:
    """The stages a prospect may move to here; winning and losing have their own forms."""
    legal = TRANSITIONS[prospect.stage] - {Stage.WON, Stage.LOST}
    return [(stage.value, stage.label) for stage in Stage if stage in legal]


def _neighbours(prospect: Prospect) -> tuple[str | None, str | None]:
    """The open stages just before and after the prospect's, for the board's buttons."""
    if prospect.stage not in OPEN_STAGES:
        return None, None
    index = OPEN_STAGES.index(prospect.stage)
    back = OPEN_STAGES[index - 1] if index > 0 else None
    forward = OPEN_STAGES[index + 1] if index + 1 < len(OPEN_STAGES) else None
    return back, forward


def card_context(prospect: Prospect, can_edit: bool, error: str = "") -> dict:
    back, forward = _neighbours(prospect)
    return {
        "prospect": prospect,
        "back": Stage(back) if back else None,
        "forward": Stage(forward) if forward else None,
        "can_edit": can_edit,
        "card_error": error,
    }


# Board and list ------------------------------------------------------------------------


@login_required
def board(request):
    """One column per open stage; the latest closed prospects below."""
    _require(request, VIEW)
    data = selectors.board_for(request.user)
    may_edit = edit_check(request.user)
    columns = [
        {
            "stage": column["stage"],
            "cards": [card_context(p, may_edit(p)) for p in column["prospects"]],
        }
        for column in data["columns"]
    ]
    context = {
        "columns": columns,
        "closed": data["closed"],
        "can_create": can(request.user, "pipeline.prospect.create"),
    }
    return render(request, "pipeline/board.html", context)


def _filtered(request):
    owners = _owners(request.user)
    form = FilterForm(request.GET or None, owners=owners)
    values = form.cleaned_data if form.is_valid() else {}
    owner = values.get("owner")
    prospects = selectors.prospects_for(
        request.user,
        stage=values.get("stage", ""),
        owner=owner.pk if owner else None,
        state=values.get("state", ""),
    )
    return form, prospects


@login_required
def prospect_list(request):
    """Every prospect the user may see, filtered; the weighted value sums value × chance."""
    _require(request, VIEW)
    form, prospects = _filtered(request)
    page = Paginator(prospects, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    context = {
        "form": form,
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
        "totals": selectors.weighted_totals(prospects),
    }
    return render(request, "pipeline/list.html", context)


@login_required
def prospect_export(request):
    """The filtered list as an .xlsx file."""
    _require(request, VIEW)
    _form, prospects = _filtered(request)
    headers = [
        _("Name"),
        _("Industry"),
        _("Stage"),
        _("Owner"),
        _("Expected value"),
        _("Currency"),
        _("Probability (%)"),
        _("Weighted value"),
        _("Expected close date"),
        _("Contact person"),
        _("Win/loss reason"),
        _("Client code"),
        _("Created"),
    ]
    rows = (
        [
            p.name,
            p.industry,
            p.get_stage_display(),
            str(p.owner),
            p.expected_value,
            p.currency,
            p.probability,
            p.weighted_value,
            p.expected_close_on,
            p.contact_name,
            p.outcome_reason,
            p.company.code if p.company_id else "",
            p.created_at,
        ]
        for p in prospects.iterator(chunk_size=500)
    )
    return xlsx_response(
        filename="prospects.xlsx", sheet=_("Prospects"), headers=headers, rows=rows
    )


# One prospect ----------------------------------------------------------------------------


def _detail_page(request, prospect: Prospect, *, move_form=None, reason_form=None, status=200):
    can_edit = can(request.user, "pipeline.prospect.edit", prospect)
    choices = _move_choices(prospect)
    context = {
        "prospect": prospect,
        "moves": selectors.moves_of(prospect),
        "history": history_for(prospect),
        "can_edit": can_edit,
        "can_win": can_edit
        and Stage.WON in TRANSITIONS[prospect.stage]
        and can(request.user, "pipeline.prospect.win", prospect),
        "can_lose": can_edit and Stage.LOST in TRANSITIONS[prospect.stage],
        "can_reopen": can_edit and prospect.stage == Stage.LOST,
        "move_form": move_form
        or (MoveForm(initial={"version": prospect.version}, choices=choices) if choices else None),
        "reason_form": reason_form or ReasonForm(initial={"version": prospect.version}),
    }
    return render(request, "pipeline/detail.html", context, status=status)


@login_required
def prospect_detail(request, pk: int):
    prospect = _prospect(request, pk)
    return _detail_page(request, prospect)


@login_required
def prospect_create(request):
    _require(request, "pipeline.prospect.create")
    owners = _owners(request.user)
    if request.method == "POST":
        form = ProspectForm(request.POST, owners=owners, creating=True)
        if form.is_valid():
            try:
                prospect = services.prospect_create(actor=request.user, **form.values())
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Prospect added: %(name)s.") % {"name": prospect})
                return redirect("pipeline:detail", pk=prospect.pk)
        status = 400
    else:
        form = ProspectForm(owners=owners, creating=True, initial={"owner": request.user.pk})
        status = 200
    context = {"form": form, "title": _("New prospect"), "back_url": reverse("pipeline:board")}
    return render(request, "pipeline/form.html", context, status=status)


@login_required
def prospect_edit(request, pk: int):
    prospect = _prospect(request, pk)
    _require(request, "pipeline.prospect.edit", prospect)
    owners = _owners(request.user)
    if request.method == "POST":
        form = ProspectForm(request.POST, owners=owners, creating=False)
        if form.is_valid():
            try:
                services.prospect_update(
                    actor=request.user,
                    prospect=prospect,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.values(),
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": prospect})
                return redirect("pipeline:detail", pk=prospect.pk)
        else:
            status = 400
    else:
        initial = {name: getattr(prospect, name) for name in services.PROSPECT_FIELDS}
        initial["owner"] = prospect.owner_id
        initial["version"] = prospect.version
        form = ProspectForm(owners=owners, creating=False, initial=initial)
        status = 200
    context = {
        "form": form,
        "title": _("Edit %(name)s") % {"name": prospect},
        "back_url": reverse("pipeline:detail", args=[prospect.pk]),
        "history": history_for(prospect),
    }
    return render(request, "pipeline/form.html", context, status=status)


# Moves -----------------------------------------------------------------------------------


def _card_response(request, prospect: Prospect, error: str = ""):
    """The card again, in place, with what went wrong. htmx swaps only 2xx answers, so a
    refusal shown on the card answers 200."""
    fresh = selectors.prospect_for(request.user, prospect.pk) or prospect
    can_edit = can(request.user, "pipeline.prospect.edit", fresh)
    return render(request, "pipeline/_card.html", card_context(fresh, can_edit, error))


@login_required
def prospect_move(request, pk: int):
    """The move form; from the board, an htmx POST that answers with the moved card."""
    prospect = _prospect(request, pk)
    _require(request, "pipeline.prospect.edit", prospect)
    choices = _move_choices(prospect)
    if request.method != "POST":
        form = MoveForm(initial={"version": prospect.version}, choices=choices)
        return render(request, "pipeline/move.html", {"prospect": prospect, "form": form})
    data = request.POST.copy()
    # The board's "back" button asks for the reason with hx-prompt.
    if request.htmx and request.htmx.prompt is not None and not data.get("note"):
        data["note"] = request.htmx.prompt
    form = MoveForm(data)
    if not form.is_valid():
        if request.htmx:
            return _card_response(request, prospect, _("Reload the page and try again."))
        form.fields["to"].choices = choices
        return render(
            request, "pipeline/move.html", {"prospect": prospect, "form": form}, status=400
        )
    try:
        moved = services.prospect_move(
            actor=request.user,
            prospect=prospect,
            expected_version=form.cleaned_data["version"],
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        if request.htmx:
            return _card_response(request, prospect, str(error.message))
        show_refusal(form, error)
        form.fields["to"].choices = choices
        context = {"prospect": prospect, "form": form}
        return render(request, "pipeline/move.html", context, status=_status(error))
    if request.htmx:
        # The card leaves its column (the swap empties its place) and joins its new one.
        context = card_context(moved, can_edit=True)
        return render(request, "pipeline/_moved.html", context)
    messages.success(
        request,
        _("%(name)s moved to “%(stage)s”.") % {"name": moved, "stage": moved.get_stage_display()},
    )
    return redirect("pipeline:detail", pk=moved.pk)


@login_required
def prospect_win(request, pk: int):
    prospect = _prospect(request, pk)
    _require(request, "pipeline.prospect.win", prospect)
    if request.method == "POST":
        form = WinForm(request.POST)
        status = 400
        if form.is_valid():
            values = form.cleaned_data
            try:
                company = services.prospect_win(
                    actor=request.user,
                    prospect=prospect,
                    expected_version=values["version"],
                    code=values["code"],
                    company_name=values["company_name"],
                    reason=values["reason"],
                    client_group=values["client_group"],
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.success(
                    request,
                    _("Won! %(name)s is now a client (code %(code)s).")
                    % {"name": company, "code": company.code},
                )
                return redirect("pipeline:detail", pk=prospect.pk)
    else:
        form = WinForm(initial={"version": prospect.version, "company_name": prospect.name})
        status = 200
    return render(request, "pipeline/win.html", {"prospect": prospect, "form": form}, status=status)


@login_required
def prospect_lose(request, pk: int):
    prospect = _prospect(request, pk)
    _require(request, "pipeline.prospect.edit", prospect)
    if request.method == "POST":
        form = ReasonForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.prospect_lose(
                    actor=request.user,
                    prospect=prospect,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.warning(request, _("%(name)s is recorded as lost.") % {"name": prospect})
                return redirect("pipeline:detail", pk=prospect.pk)
    else:
        form = ReasonForm(initial={"version": prospect.version})
        status = 200
    return render(
        request, "pipeline/lose.html", {"prospect": prospect, "form": form}, status=status
    )


@login_required
@require_POST
def prospect_reopen(request, pk: int):
    prospect = _prospect(request, pk)
    _require(request, "pipeline.prospect.edit", prospect)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, prospect, reason_form=form, status=400)
    try:
        services.prospect_reopen(
            actor=request.user,
            prospect=prospect,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        show_refusal(form, error)
        return _detail_page(request, prospect, reason_form=form, status=_status(error))
    messages.success(request, _("%(name)s is open again.") % {"name": prospect})
    return redirect("pipeline:detail", pk=prospect.pk)
