"""Satisfaction surveys (满意度调查).

A template holds the questions (scale 1–5 or 0–10, choice, text); one scale question may
be the CSAT question (1–5) and one the NPS question (0–10). Once a survey has been sent
from a template its questions are frozen: an edit makes a new revision (a copy) and the
old one is retired.

A survey is one template sent to one client company (for a job, a period or by hand)
and the contact asked. It is answered once, through its one-time link (only the SHA-256
of the link's token is kept; the link expires) or in the portal by a client user; the
answer burns the link. The CSAT and NPS scores of the answer are copied onto the survey
so that results are read from one table.

A survey plan sends a client the periodic survey every N months.
"""

import calendar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel

__all__ = [
    "Survey",
    "SurveyAnswer",
    "SurveyPlan",
    "SurveyQuestion",
    "SurveyTemplate",
]


class SurveyTemplate(VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    # The template the completion sweep sends (one active at a time).
    for_completion = models.BooleanField(_("sent when a job completes"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when the first survey is sent: the questions no longer change in place.
    frozen = models.BooleanField(_("in use"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-revision"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [
            models.UniqueConstraint(
                fields=["for_completion"],
                condition=Q(for_completion=True, is_active=True),
                name="service_one_completion_template",
            )
        ]

    def __str__(self) -> str:
        return self.name if self.revision == 1 else f"{self.name} (r{self.revision})"


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", _("Scale 1–5")
        SCALE10 = "scale10", _("Scale 0–10")
        CHOICE = "choice", _("Choice")
        TEXT = "text", _("Text")

    class Measure(models.TextChoices):
        NONE = "", _("—")
        CSAT = "csat", _("CSAT (satisfaction, 1–5)")
        NPS = "nps", _("NPS (likely to recommend, 0–10)")

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Choice questions: the options, one per entry.
    options = models.JSONField(_("options"), default=list, blank=True)
    measure = models.CharField(
        _("measures"), max_length=4, choices=Measure.choices, default="", blank=True
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "measure"],
                condition=~Q(measure=""),
                name="service_one_measure_per_template",
            ),
            models.CheckConstraint(
                condition=Q(measure="")
                | Q(measure="csat", kind="scale5")
                | Q(measure="nps", kind="scale10"),
                name="service_measure_matches_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale(self) -> range | None:
        if self.kind == self.Kind.SCALE5:
            return range(1, 6)
        if self.kind == self.Kind.SCALE10:
            return range(0, 11)
        return None


class Survey(VersionedModel):
    class Reason(models.TextChoices):
        COMPLETION = "completion", _("Job completed")
        PERIODIC = "periodic", _("Periodic")
        MANUAL = "manual", _("Sent by hand")

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for the answer")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Withdrawn")

    class Via(models.TextChoices):
        LINK = "link", _("One-time link")
        PORTAL = "portal", _("Portal")

    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="surveys"
    )
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact asked"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField(_("sent to"), blank=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    # The SHA-256 of the one-time link's token (kept after the answer, so that a reused
    # link can say it was used: single use is the status).
    token_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    expires_at = models.DateTimeField(_("link expires"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_via = models.CharField(
        _("answered through"), max_length=6, choices=Via.choices, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    csat = models.PositiveSmallIntegerField(_("CSAT (1–5)"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("NPS score (0–10)"), null=True, blank=True)
    comment = models.TextField(_("comments"), blank=True)
    # Whether the CSAT score went into the job's summary (False: the summary was already
    # signed, or there was none, so the score stays on the survey only).
    in_job_summary = models.BooleanField(_("written into the job summary"), default=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [
            models.Index(fields=["company", "answered_at"]),
            models.Index(fields=["company", "-sent_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["job"],
                condition=Q(reason="completion"),
                name="service_one_completion_survey_per_job",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5),
                name="service_survey_csat_range",
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="service_survey_nps_range"
            ),
            models.CheckConstraint(
                condition=Q(status="answered", answered_at__isnull=False)
                | (~Q(status="answered") & Q(answered_at__isnull=True)),
                name="service_survey_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.company}"

    @property
    def number(self) -> str:
        return f"DC-{self.pk:06d}"

    def is_expired(self, now) -> bool:
        return self.status == self.Status.SENT and now >= self.expires_at


class SurveyAnswer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="service_one_answer_each"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=10),
                name="service_answer_score_range",
            ),
        ]


class SurveyPlan(VersionedModel):
    """The periodic survey of one client: `template` every `every_months` months, sent to
    `contact`; the next one is due `every_months` after the last (or from `starts_on`)."""

    company = models.OneToOneField(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="survey_plan",
    )
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact asked"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    every_months = models.PositiveSmallIntegerField(_("every (months)"))
    starts_on = models.DateField(_("first survey on"))
    last_sent_on = models.DateField(_("last sent"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey plan")
        verbose_name_plural = _("survey plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1, every_months__lte=24),
                name="service_survey_plan_months_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.every_months}"

    @property
    def next_due_on(self):
        if self.last_sent_on is None:
            return self.starts_on
        return add_months(self.last_sent_on, self.every_months)


def add_months(day, months: int):
    """`day` moved `months` months on (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
