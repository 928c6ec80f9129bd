from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.calendar import selectors, services
from jobbag.calendar.forms import CalculatorForm, CalendarDayForm
from jobbag.calendar.models import FIRST_YEAR, LAST_YEAR, CalendarDay
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotFound
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can


def _require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _month_grid(year: int, entries: list[CalendarDay]) -> list[dict]:
    """Twelve months of weeks (Monday first) whose cells say how each day counts."""
    by_date = {entry.date: entry for entry in entries}
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        cells: list[dict | None] = [None] * first.weekday()
        day = first
        while day <= last:
            entry = by_date.get(day)
            if entry is not None:
                state = "work" if entry.is_working else "off"
            else:
                state = "weekend" if day.weekday() >= 5 else "plain"
            cells.append({"date": day, "state": state, "entry": entry})
            day += timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        months.append({"first": first, "weeks": weeks})
    return months


def _year_page(request, year: int, *, day_form=None, calculator=None, status: int = 200):
    entries = selectors.year_days(year)
    context = {
        "year": year,
        "record": selectors.year_record(year),
        "entries": entries,
        "months": _month_grid(year, entries),
        "can_manage": can(request.user, "calendar.manage"),
        "day_form": day_form or CalendarDayForm(initial={"date": date(year, 1, 1)}),
        "calculator": calculator or CalculatorForm(initial={"start": timezone.localdate()}),
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "calendar/year.html", context, status=status)


@login_required
def year(request, year: int | None = None):
    """The year's holidays and make-up days as a list and a month grid."""
    _require(request, "calendar.view")
    year = year or timezone.localdate().year
    _check_year(year)
    return _year_page(request, year)


@login_required
@require_POST
def day_add(request):
    _require(request, "calendar.manage")
    form = CalendarDayForm(request.POST)
    shown_year = timezone.localdate().year
    if form.is_valid():
        data = form.cleaned_data
        # A refusal re-shows the year the admin was entering a day for.
        if FIRST_YEAR <= data["date"].year <= LAST_YEAR:
            shown_year = data["date"].year
        try:
            entry = services.calendar_day_set(
                actor=request.user,
                day=data["date"],
                kind=data["kind"],
                name_zh=data["name_zh"],
                name_en=data["name_en"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved: %(day)s.") % {"day": entry})
            return redirect("calendar:year", year=entry.date.year)
    return _year_page(request, shown_year, day_form=form, status=400)


@login_required
def day_edit(request, day: str):
    _require(request, "calendar.manage")
    entry = selectors.day_entry(_parse_day(day))
    if entry is None:
        raise Http404
    if request.method == "POST":
        form = CalendarDayForm(request.POST, editing=True, initial={"date": entry.date})
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.calendar_day_set(
                    actor=request.user,
                    day=entry.date,
                    kind=data["kind"],
                    name_zh=data["name_zh"],
                    name_en=data["name_en"],
                    version=data["version"],
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Saved: %(day)s.") % {"day": entry.date})
                return redirect("calendar:year", year=entry.date.year)
        status = 400
    else:
        form = CalendarDayForm(
            editing=True,
            initial={
                "date": entry.date,
                "kind": entry.kind,
                "name_zh": entry.name_zh,
                "name_en": entry.name_en,
                "version": entry.version,
            },
        )
        status = 200
    context = {"entry": entry, "form": form, "history": history_for(entry)}
    return render(request, "calendar/day_edit.html", context, status=status)


@login_required
@require_POST
def day_remove(request, day: str):
    _require(request, "calendar.manage")
    when = _parse_day(day)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.calendar_day_remove(actor=request.user, day=when, version=version)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed: %(day)s.") % {"day": when})
    return redirect("calendar:year", year=when.year)


@login_required
@require_POST
def year_known(request, year: int):
    _require(request, "calendar.manage")
    _check_year(year)
    known = request.POST.get("known", "1") == "1"
    services.calendar_year_mark_known(actor=request.user, year=year, known=known)
    if known:
        messages.success(request, _("%(year)s is marked as known.") % {"year": year})
    else:
        messages.warning(request, _("%(year)s is marked as not known.") % {"year": year})
    return redirect("calendar:year", year=year)


@login_required
def calculate(request):
    """The working-day calculator: an htmx partial, or the year page without JavaScript."""
    _require(request, "calendar.view")
    form = CalculatorForm(request.GET)
    result = None
    if form.is_valid():
        start, n = form.cleaned_data["start"], form.cleaned_data["n"]
        due = services.add_working_days(start, n)
        first, last = sorted([start, due])
        result = {
            "start": start,
            "n": n,
            "due": due,
            "unknown_years": selectors.unknown_years(first.year, last.year),
        }
    template = "calendar/_calculator.html" if request.htmx else "calendar/calculate.html"
    context = {"calculator": form, "result": result}
    return render(request, template, context, status=200 if result else 400)
