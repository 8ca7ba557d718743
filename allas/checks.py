"""System checks of the portal's own settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register
from django.http.request import validate_host


@register()
def check_site_url(app_configs, **kwargs):
    """Links in e-mails are built from SITE_URL, without a request to correct them: in
    production they must be https and point to a host the portal answers to."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.SITE_URL)
    host = f"[{url.hostname}]" if url.hostname and ":" in url.hostname else url.hostname
    problems = []
    if url.scheme != "https":
        problems.append(
            Warning(
                f"SITE_URL ({settings.SITE_URL}) is not https: links in e-mails would go over "
                "plain HTTP.",
                hint="Set SITE_URL to the portal's public address, e.g. https://allas.vimmerby.se.",
                id="allas.W001",
            )
        )
    if not host or not validate_host(host, settings.ALLOWED_HOSTS):
        problems.append(
            Warning(
                f"The host of SITE_URL ({host or settings.SITE_URL}) is not in "
                "ALLOWED_HOSTS: links in e-mails would not open the portal.",
                hint="Add the host to ALLOWED_HOSTS, or correct SITE_URL.",
                id="allas.W002",
            )
        )
    return problems
