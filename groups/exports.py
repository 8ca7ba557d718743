"""The member list as a CSV file that Excel with Swedish settings opens as it is."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def _csv_cell(value) -> str:
    """Keeps a spreadsheet from running a cell as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def members_csv_response(memberships, filename) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte order mark so that Excel opens å, ä and ö correctly, and semicolons,
    # which Excel expects with Swedish settings.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
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
    )
    for m in memberships:
        writer.writerow(
            _csv_cell(v)
            for v in [
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
        )
    return response
