"""The member list as a CSV file that Excel with Swedish settings opens as it is."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.exports import csv_download


def members_csv_response(memberships, filename) -> HttpResponse:
    header = [
        _("Group"),
        _("Name"),
        _("E-mail address"),
        _("Represents"),
        _("Age band"),
        _("Role"),
        _("Status"),
        _("Network delegate"),
        _("Member since"),
    ]
    rows = (
        [
            m.group.name,
            m.user.display_name,
            m.user.email,
            m.get_sector_display(),
            m.get_age_band_display(),
            m.get_role_display(),
            m.get_status_display(),
            _("Yes") if m.is_delegate else _("No"),
            timezone.localtime(m.joined_at).date().isoformat() if m.joined_at else "",
        ]
        for m in memberships
    )
    return csv_download(filename, header, rows)
