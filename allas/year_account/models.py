"""The development department's foreword to a year's account, written in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class YearForeword(models.Model):
    """What the development department says first about a year: shown above the charts of
    /uppfoljning/<year>/ and printed with them."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    foreword = models.TextField(
        _("foreword"),
        max_length=5000,
        help_text=_("Plain text. A blank line starts a new paragraph."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        app_label = "allas"
        ordering = ["-year"]
        verbose_name = _("foreword to the year's account")
        verbose_name_plural = _("forewords to the year's account")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2017) & models.Q(year__lte=2100),
                name="yearforeword_year_in_range",
            )
        ]

    def __str__(self):
        return str(self.year)
