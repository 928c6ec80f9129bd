"""The new-business pipeline (争取新客户, SPEC §3): prospects moving through the seed's
stages, every move kept as a row. A won prospect becomes a clients.Company and stays
linked to it as that client's history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class Stage(models.TextChoices):
    """The seed's chain, in order. Open stages come first, then the won side, then lost."""

    COLLECT_INFO = "collect_info", _("Collect information")
    PICK_TARGET = "pick_target", _("Pick target")
    RESEARCH = "research", _("Research")
    AIMS_PREPARED = "aims_prepared", _("Negotiation aims prepared")
    FIRST_MEETING = "first_meeting", _("First meeting")
    CREDENTIALS = "credentials", _("Credentials meeting")
    AGREED = "agreed", _("Agreed to work together")
    REHEARSAL = "rehearsal", _("Pitch rehearsal")
    PITCH = "pitch", _("Pitch")
    WON = "won", _("Won")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    NOTARISED = "notarised", _("Notarised")
    HANDED_OVER = "handed_over", _("Handed to execution")
    LOST = "lost", _("Lost")


OPEN_STAGES = [
    Stage.COLLECT_INFO,
    Stage.PICK_TARGET,
    Stage.RESEARCH,
    Stage.AIMS_PREPARED,
    Stage.FIRST_MEETING,
    Stage.CREDENTIALS,
    Stage.AGREED,
    Stage.REHEARSAL,
    Stage.PITCH,
]
# After the win: the contract, notarisation when the client asks for it, hand-over.
WON_STAGES = [Stage.WON, Stage.CONTRACT_SIGNED, Stage.NOTARISED, Stage.HANDED_OVER]
CLOSED_STAGES = [*WON_STAGES, Stage.LOST]


def _transitions() -> dict[str, set[str]]:
    """Open stages move forward one or more steps or back (with a reason), and to lost;
    only the pitch can be won. Lost is final unless reopened (prospect_reopen)."""
    moves: dict[str, set[str]] = {}
    for stage in OPEN_STAGES:
        moves[stage] = {*OPEN_STAGES, Stage.LOST} - {stage}
    moves[Stage.PITCH].add(Stage.WON)
    moves[Stage.WON] = {Stage.CONTRACT_SIGNED}
    moves[Stage.CONTRACT_SIGNED] = {Stage.NOTARISED, Stage.HANDED_OVER}
    moves[Stage.NOTARISED] = {Stage.HANDED_OVER}
    moves[Stage.HANDED_OVER] = set()
    moves[Stage.LOST] = set()
    return moves


TRANSITIONS = _transitions()
ORDER = [*OPEN_STAGES, *WON_STAGES]


def is_backward(old: str, new: str) -> bool:
    return old in ORDER and new in ORDER and ORDER.index(new) < ORDER.index(old)


class Source(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    COLD_CALL = "cold_call", _("Cold call or visit")
    INBOUND = "inbound", _("Came to us")
    TENDER = "tender", _("Tender")
    EVENT = "event", _("Event or exhibition")
    MEDIA = "media", _("Press and media")
    OTHER = "other", _("Other")


class Prospect(VersionedModel):
    """A company the agency is trying to win (not a client yet)."""

    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_title = models.CharField(_("contact's title"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact's e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="prospects",
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.COLLECT_INFO
    )
    expected_value = models.DecimalField(
        _("expected value"), max_digits=14, decimal_places=2, default=0
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    probability = models.PositiveSmallIntegerField(_("probability (%)"), default=10)
    expected_close_on = models.DateField(_("expected close date"), null=True, blank=True)
    outcome_reason = models.TextField(_("win/loss reason"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        indexes = [models.Index(fields=["stage", "owner"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_value__gte=0), name="prospect_value_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=100),
                name="prospect_probability_percent",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="prospect_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_won(self) -> bool:
        return self.stage in WON_STAGES

    @property
    def weighted_value(self):
        return self.expected_value * self.probability / 100


class ProspectStageMove(models.Model):
    """One move of a prospect from one stage to another; never changed or deleted."""

    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.PROTECT, related_name="moves"
    )
    from_stage = models.CharField(_("from stage"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        indexes = [models.Index(fields=["prospect", "at"])]

    def __str__(self) -> str:
        return f"{self.prospect}: {self.from_stage or '—'} → {self.to_stage}"
