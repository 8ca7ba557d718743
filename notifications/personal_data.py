"""Follows, notification settings and waiting notifications in a person's register extract,
and their removal with the account."""

from django.utils.translation import gettext_lazy as _

from allas.personal_data import Field, Link, Part, coded, label_of, model_fields
from allas.vocabulary import notice_kinds

from .models import Follow, Notice, NotificationSetting


def export(user) -> list[Part]:
    kinds = notice_kinds()
    follows = Follow.objects.filter(user=user).select_related("locality").order_by("id")
    chosen = NotificationSetting.objects.filter(user=user).order_by("id")
    waiting = Notice.objects.filter(user=user, digest_key__isnull=True).order_by("created_at", "id")
    return [
        Part(
            key="orter_du_följer",
            title=_("Orter you follow"),
            about=_(
                "The orter you hear about when something happens. A follow you have stopped "
                "is kept, so that it does not start again by itself."
            ),
            entries=[
                model_fields(
                    f,
                    ort="locality",
                    följer="is_active",
                    automatiskt="automatic",
                    började="created_at",
                )
                for f in follows
            ],
        ),
        Part(
            key="notisinställningar",
            title=_("Your notification settings"),
            about=_(
                "How you have chosen to hear of each kind of news. A kind you have not "
                "chosen for comes in the weekly digest."
            ),
            entries=[
                [
                    Field("typ", label_of(s, "kind"), coded(s.kind, kinds)),
                    *model_fields(s, hur="delivery", ändrad="changed_at"),
                ]
                for s in chosen
            ],
        ),
        Part(
            key="notiser_som_väntar",
            title=_("News waiting for your weekly digest"),
            about=_("What has happened since your last weekly digest, to be sent in the next."),
            entries=[
                [
                    *model_fields(n, hände="created_at"),
                    Field("typ", label_of(n, "kind"), coded(n.kind, kinds)),
                    *model_fields(n, rubrik="title"),
                    Field(
                        "adress",
                        label_of(n, "url"),
                        Link(n.url) if n.url.startswith("/") else n.url,
                    ),
                ]
                for n in waiting
            ],
        ),
    ]


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    Notice.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
