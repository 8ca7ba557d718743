"""The foreword to a year's account: the development department's own words above the
year's charts at /uppfoljning/<year>/. Saving one shows it at once (the content version)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..admin_choices import PortalAdmin
from ..page_cache import RenewsPublicContentAdmin
from ..year_account.models import YearForeword


@admin.register(YearForeword)
class YearForewordAdmin(RenewsPublicContentAdmin, audit.AuditedAdmin, PortalAdmin):
    list_display = ["year", "updated_at", "account_link"]
    fields = ["year", "foreword"]
    ordering = ["-year"]

    @admin.display(description=_("the year's account"))
    def account_link(self, obj):
        url = reverse("year_account", args=[obj.year])
        return format_html('<a href="{}">{}</a>', url, url)
