"""Development plans (handlingsplaner) and their actions: what each group means to do."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.models import actor_field


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Plan.Status.PUBLISHED)


class Plan(models.Model):
    """A group's development plan (handlingsplan) for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    group = models.ForeignKey(
        "groups.DevelopmentGroup",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    needs = models.TextField(
        _("the ort's needs and priorities"),
        blank=True,
        help_text=_("In your own words: what the ort needs most, and what the group puts first."),
    )
    goals = models.ManyToManyField(
        "allas.SlusGoal",
        verbose_name=_("prioritised SLUS areas"),
        blank=True,
        related_name="prioritised_in",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Moves whenever the plan or one of its actions changes (set by the services).
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-year"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="plan_one_per_group_and_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2017) & Q(year__lte=2100), name="plan_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.group}"

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.group.locality.slug, self.year])

    @property
    def title(self):
        return _("Development plan %(year)s") % {"year": self.year}

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class ActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(plan__status=Plan.Status.PUBLISHED)


class Action(models.Model):
    """One thing a group means to do, in its plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        PAUSED = "paused", _("Paused")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    goals = models.ManyToManyField(
        "allas.SlusGoal", verbose_name=_("SLUS areas"), related_name="actions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    responsible = models.CharField(
        _("responsible"),
        max_length=200,
        blank=True,
        help_text=_("Who does it, e.g. the local heritage society or the streets department."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, help_text=_("How far the action has come, 0–100.")
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="action_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="action_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title


class ActionNote(models.Model):
    """A dated line in an action's log, e.g. "2027-03-04: Belysningen är beställd"."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="notes"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.CharField(_("note"), max_length=500)
    author = actor_field(_("written by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.text}"
