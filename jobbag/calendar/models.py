"""The working-day calendar: the exceptions to a Monday–Friday week, year by year."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel

# Dates the calendar accepts; deadlines far outside this span are input mistakes.
FIRST_YEAR = 1990
LAST_YEAR = 2100


class Source(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    MANUAL = "manual", _("Entered by an administrator")


class CalendarDay(VersionedModel):
    """One date that departs from Monday–Friday: a public holiday (off, on a weekday or a
    weekend) or a make-up working day (调休, a Saturday or Sunday that is worked)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP_WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="calendar_day_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["package", "manual"]), name="calendar_day_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=date(FIRST_YEAR, 1, 1), date__lte=date(LAST_YEAR, 12, 31)),
                name="calendar_day_date_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if (get_language() or "").startswith("zh"):
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.MAKEUP_WORKDAY


class CalendarYear(VersionedModel):
    """Whether a year's holidays and make-up days are known, and whether admins were told
    that they are missing. A year without a row, or with known=False, is counted as plain
    Monday–Friday (plus whatever days are in the table)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    known = models.BooleanField(_("data known"), default=False)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, blank=True)
    known_at = models.DateTimeField(_("marked known at"), null=True, blank=True)
    known_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked known by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set once when admins are first warned that the year's data is missing.
    warned_at = models.DateTimeField(_("admins warned at"), null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="calendar_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(known=False) | ~Q(source=""), name="calendar_year_known_has_source"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
