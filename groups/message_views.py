"""A coordinator writes to the group: write, see the recipients and a preview, send."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import message_services
from .services import GroupError
from .views import _get_group_for_user


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Plain text. Links are made clickable."),
    )
    include_followers = forms.BooleanField(
        label=gettext_lazy("Also send it to those who follow the ort"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        for name in ("subject", "body"):
            if name in data and not data[name].strip():
                self.add_error(name, _("Write some text."))
        return data


def told_sentence(counts: dict[str, int]) -> str:
    """What sending did, in true words: who gets the message by e-mail now, who in their
    weekly digest, who chose never to get the group's messages. A count of nobody is
    left out, unless nobody gets it at all."""
    direct, digest, never = counts["direct"], counts["digest"], counts["never"]
    parts = []
    if direct:
        parts.append(
            ngettext(
                "%(n)d person gets the message by e-mail now.",
                "%(n)d people get the message by e-mail now.",
                direct,
            )
            % {"n": direct}
        )
    if digest:
        parts.append(
            ngettext(
                "%(n)d person gets the message in their weekly digest.",
                "%(n)d people get the message in their weekly digest.",
                digest,
            )
            % {"n": digest}
        )
    if not direct and not digest:
        parts.append(_("Nobody gets the message."))
    if never:
        parts.append(
            ngettext(
                "%(n)d person has chosen never to get the group's messages.",
                "%(n)d people have chosen never to get the group's messages.",
                never,
            )
            % {"n": never}
        )
    return " ".join(parts)


@login_required
def message_write(request, slug):
    group = _get_group_for_user(request, slug, to_manage=True)
    left = message_services.messages_left(group)
    form = MessageForm(request.POST or None)
    context = {"group": group, "form": form, "left": left}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            try:
                message = message_services.group_message_send(
                    group=group,
                    by=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    include_followers=data["include_followers"],
                )
            except GroupError as exc:
                # The subject and text stay in the form, with the reason above it.
                form.add_error(None, str(exc))
                return render(request, "groups/message_write.html", context)
            messages.success(request, told_sentence(message.delivered))
            return redirect(group.get_manage_url())
        if "edit" not in request.POST:
            context["preview"] = data
            context["counts"] = message_services.group_message_recipients(
                group=group, include_followers=data["include_followers"], by=request.user
            )
    return render(request, "groups/message_write.html", context)
