"""The core app's models in the admin, one module per job. Importing the modules registers
their admins on the portal's site (allas.admin_site)."""

from . import (  # noqa: F401  registration
    accounts,
    audit_log,
    feedback,
    outbox,
    reference,
    year_account,
)
from .read_only import ReadOnlyAdmin

__all__ = ["ReadOnlyAdmin"]
