"""The meetings' part of a person's register extract and of deleting an account: the
network meeting's invitations and roles, and the sign-ups to the groups' dialogue
meetings."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas.personal_data import Field, Part, label_of, model_fields

from .dialogue import signups
from .models import Invitation, NetworkRole, SignUp


def export(user) -> list[Part]:
    invitations = (
        Invitation.objects.filter(user=user).select_related("meeting", "group").order_by("id")
    )
    signups = SignUp.objects.filter(user=user).select_related("meeting__group")
    return [
        Part(
            key="inbjudningar_till_nätverksträffar",
            title=gettext_lazy("Invitations to the network meetings"),
            about=gettext_lazy(
                "The network meetings you have been invited to, your answer and what you "
                "told us you need."
            ),
            entries=[
                [
                    Field("möte", label_of(i, "meeting"), i.meeting.title),
                    Field("börjar", label_of(i.meeting, "starts_at"), i.meeting.starts_at),
                    *model_fields(i, namn="name", **{"e-postadress": "email"}),
                    *model_fields(i, representerar="represents", grupp="group"),
                    *model_fields(i, roll="role_description", svar="answer"),
                    *model_fields(i, kost="dietary_needs"),
                    *model_fields(i, tillgänglighetsbehov="accessibility_needs"),
                    *model_fields(i, svarade="answered_at", svarade_via="answered_by"),
                    *model_fields(i, inbjudan_skickad="sent_at"),
                ]
                for i in invitations
            ],
        ),
        Part(
            key="roller_i_nätverket",
            title=gettext_lazy("Your roles in the network"),
            about=gettext_lazy(
                "Your roles in the network besides a group's, for which you are invited to "
                "the network meetings."
            ),
            entries=[
                model_fields(
                    r,
                    representerar="kind",
                    titel="role_title",
                    organisation="organisation",
                    aktiv="active",
                )
                for r in NetworkRole.objects.filter(user=user).order_by("id")
            ],
        ),
        Part(
            key="anmälningar_till_gruppernas_möten",
            title=gettext_lazy("Sign-ups to the groups' meetings"),
            about=gettext_lazy(
                "The groups' meetings you have signed up to, what you told us you need, "
                "and whether you have a seat."
            ),
            entries=[
                [
                    Field("möte", label_of(s, "meeting"), s.meeting.title),
                    Field("grupp", label_of(s.meeting, "group"), str(s.meeting.group)),
                    Field("börjar", label_of(s.meeting, "starts_at"), s.meeting.starts_at),
                    *model_fields(s, namn="name", **{"e-postadress": "email"}),
                    *model_fields(s, status="status", mat="food_needs"),
                    *model_fields(s, tillgänglighetsbehov="access_needs"),
                    *model_fields(s, anmäld="created_at", bekräftad="confirmed_at"),
                    *model_fields(s, på_väntelistan_sedan="queued_at"),
                    *model_fields(s, avanmäld="cancelled_at"),
                ]
                for s in signups.order_by("meeting__starts_at", "id")
            ],
        ),
    ]


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    """Invitations are kept for the meetings' counts, without name, address or needs."""
    with translation.override(settings.LANGUAGE_CODE):
        former = _("Former user")
    for invitation in Invitation.objects.filter(user=user):
        invitation.name = former
        invitation.email = f"raderad-{invitation.pk}@invalid.example"
        invitation.dietary_needs = invitation.accessibility_needs = ""
        invitation.user = None
        invitation.save()
    NetworkRole.objects.filter(user=user).delete()
    # The sign-ups go with the account (the foreign key cascades); a seat at a coming
    # meeting is given up first, so that the first on the waiting list moves up.
    for signup in SignUp.objects.filter(user=user, status=SignUp.Status.SIGNED_UP).filter(
        meeting__status="published", meeting__starts_at__gt=timezone.now()
    ):
        signups.signup_cancel(signup=signup)
