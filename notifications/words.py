"""The notifications app's words (allas.vocabulary): its own e-mail, the weekly digest. The
kinds of notice belong to the apps that cause them; each names its notice e-mails too."""

from django.utils.translation import gettext_lazy as _

EMAIL_KINDS = {"notifications.digest": _("Weekly summary")}
EMAIL_FAMILIES = {"notifications": _("Notice")}
