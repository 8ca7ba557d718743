"""The groups app's part of a person's register extract and of deleting an account."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas import audit
from allas.personal_data import Field, Part, model_fields

from .models import Membership
from .permissions import coordinator_memberships, is_last_coordinator


def export(user) -> list[Part]:
    memberships = Membership.objects.filter(user=user).select_related("group").order_by("id")
    return [
        Part(
            key="medlemskap",
            title=gettext_lazy("Memberships"),
            about=gettext_lazy(
                "Your memberships of the local development groups and your requests to join "
                "one: your role, whom you represent and what the group decided."
            ),
            entries=[
                [
                    *model_fields(m, grupp="group", roll="role", status="status"),
                    *model_fields(m, representerar="sector", åldersgrupp="age_band"),
                    *model_fields(m, nätverksombud="is_delegate"),
                    Field(
                        "varför_du_vill_vara_med",
                        gettext_lazy("why you want to join"),
                        m.motivation,
                    ),
                    *model_fields(m, ansökte="requested_at", beslutad="decided_at"),
                    *model_fields(m, besked="decision_message", medlem_sedan="joined_at"),
                    *model_fields(m, lämnade="left_at"),
                ]
                for m in memberships
            ],
        )
    ]


def refuse_erase(user) -> str | None:
    """A group always keeps a coordinator, also when one deletes their account."""
    for m in coordinator_memberships(user).select_related("group"):
        if is_last_coordinator(m):
            return _(
                "You are the only coordinator of %(group)s. Appoint another coordinator "
                "before you delete your account."
            ) % {"group": m.group.name}
    return None


def erase(user) -> None:
    """Memberships go with the account; the record of decisions and the audit log keep
    no name."""
    memberships = Membership.objects.filter(user=user)
    audit.forget_person(memberships)
    memberships.delete()
