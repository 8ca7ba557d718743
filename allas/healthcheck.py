"""The container's health check: `python -m allas.healthcheck` asks the running web server
for /healthz and exits 0 only on 200. It imports no Django, so a check costs milliseconds.

The request goes to the server directly, not through the reverse proxy, so it says what the
proxy would: a host the portal serves (the first of ALLOWED_HOSTS) and that the visitor's
connection was HTTPS (read only with BEHIND_PROXY), or SECURE_SSL_REDIRECT would answer
every check with a redirect.
"""

import os
import sys
import urllib.error
import urllib.request


def check_host(allowed_hosts: str) -> str:
    """A Host header the portal accepts: ".vimmerby.se" allows "vimmerby.se" and "*"
    allows anything, for which "localhost" is as good as any."""
    for host in allowed_hosts.split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect means the server is misconfigured for the proxy, not healthy.
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={
            "Host": check_host(os.environ.get("ALLOWED_HOSTS", "localhost")),
            "X-Forwarded-Proto": "https",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
