"""How each person wants to hear of each kind: at once, in the weekly digest, or never."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.outcomes import Refused
from allas.vocabulary import notice_kinds

from .models import DEFAULT_DELIVERY, Delivery, Notice, NotificationSetting


class NotificationError(Refused):
    """A rule stopped the change; the message is shown to the user as it is."""


def settings_for(user) -> dict[str, str]:
    """The person's choice for every kind, defaults filled in."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in notice_kinds()}


@transaction.atomic
def settings_save(*, user, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in notice_kinds() or delivery not in Delivery.values:
            raise NotificationError(_("Choose direct, weekly digest or never for each kind."))
    now = timezone.now()
    for kind, delivery in choices.items():
        NotificationSetting.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery, "changed_at": now}
        )
    never = [k for k, d in choices.items() if d == Delivery.NEVER]
    if never:
        Notice.objects.filter(user=user, kind__in=never, digest_key__isnull=True).delete()


def deliveries_for(user_ids, kind) -> dict[int, str]:
    """Each person's choice for one kind, defaults filled in: one query for any number."""
    chosen = dict(
        NotificationSetting.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in user_ids}
