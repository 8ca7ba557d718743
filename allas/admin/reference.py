"""The portal's reference data in the admin: the localities and the SLUS goals that
groups, plans and proposals point at."""

from django.contrib import admin

from .. import audit
from ..admin_choices import PortalAdmin
from ..models import Locality, SlusGoal
from ..page_cache import RenewsPublicContentAdmin


@admin.register(Locality)
class LocalityAdmin(RenewsPublicContentAdmin, audit.AuditedAdmin, PortalAdmin):
    list_display = ["name", "slug", "population", "population_year"]
    search_fields = ["name"]
    # Slugs are part of the public URLs (a contract), so they are not edited here.
    readonly_fields = ["slug"]


@admin.register(SlusGoal)
class SlusGoalAdmin(RenewsPublicContentAdmin, audit.AuditedAdmin, PortalAdmin):
    list_display = ["number", "short_name", "name", "slug"]
    readonly_fields = ["slug"]
