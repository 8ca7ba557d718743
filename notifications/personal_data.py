"""Follows, notification settings and waiting notifications in a person's register extract,
and their removal with the account."""

from .models import Follow, Notice, NotificationSetting


def export(user) -> dict:
    return {
        "follows": [
            {
                "ort": f.locality.name,
                "following": f.is_active,
                "automatic": f.automatic,
                "since": f.created_at,
            }
            for f in Follow.objects.filter(user=user).select_related("locality").order_by("id")
        ],
        "notification_settings": {
            s.kind: s.delivery for s in NotificationSetting.objects.filter(user=user)
        },
        "notifications_waiting_for_digest": list(
            Notice.objects.filter(user=user, digest_key__isnull=True)
            .order_by("created_at")
            .values("created_at", "kind", "title")
        ),
    }


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    Notice.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
