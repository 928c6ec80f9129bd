"""Meetings (SPEC §6): purpose, agenda items with owners, attendees from both sides, room,
time; the agenda goes out ahead (late is flagged); the client is asked for topics; the
pre-meeting checklist."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class Side(models.TextChoices):
    AGENCY = "agency", _("Agency")
    CLIENT = "client", _("Client")


class Meeting(VersionedModel):
    class Kind(models.TextChoices):
        CLIENT = "client", _("Meeting with the client")
        INTERNAL = "internal", _("Internal meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AGENDA_SENT = "agenda_sent", _("Agenda sent")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLIENT)
    purpose = models.CharField(_("purpose"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    agenda_sent_at = models.DateTimeField(_("agenda sent"), null=True, blank=True)
    # The agenda went out later than MeetingSettings.agenda_lead_hours before the start.
    agenda_late = models.BooleanField(_("agenda sent late"), default=False)
    topics_requested_at = models.DateTimeField(_("client asked for topics"), null=True, blank=True)
    # The agenda (its items, attendees, time or room) changed after it was sent: it should
    # be sent again.
    agenda_changed_at = models.DateTimeField(
        _("agenda changed after sending"), null=True, blank=True
    )
    # The organiser was reminded that the agenda is due (the hourly sweep's once-only mark).
    agenda_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["company", "-starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} · {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    # The owner is on either side: one of ours or one of the client's people.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("owner (client side)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    # A topic the client proposed through the portal, and who proposed it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_client = models.BooleanField(_("proposed by the client"), default=False)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_contact__isnull=True),
                name="agenda_item_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """One person at the meeting: a staff member or one of the client's contacts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    role = models.CharField(_("role in the meeting"), max_length=100, blank=True)

    class Meta:
        ordering = ["meeting", "side", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(side="agency", user__isnull=False, contact__isnull=True))
                | Q(side="client", user__isnull=True, contact__isnull=False),
                name="attendee_side_matches_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendee_user_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="attendee_contact_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"])]


class ChecklistItem(models.Model):
    """The pre-meeting checklist of SPEC §6, each item ticked and linked."""

    class Kind(models.TextChoices):
        AGENDA_COPIES = "agenda_copies", _("Copies of the agenda")
        LAST_REPORT = "last_report", _("Last contact report")
        BUDGET = "budget", _("Latest budget summary")
        WORK_IN_PROGRESS = "wip", _("Work in progress")
        QUOTES_TIMELINE = "quotes_timeline", _("Production quotes and timeline")
        MEDIA_SAMPLES = "media_samples", _("Media samples")
        APPROVALS = "approvals", _("Approvals")
        GUIDELINES = "guidelines", _("Client guidelines")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist")
    kind = models.CharField(_("item"), max_length=16, choices=Kind.choices)
    done = models.BooleanField(_("ready"), default=False)
    link = models.CharField(_("link"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="checklist_item_once")
        ]
