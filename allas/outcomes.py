"""What a view shows after asking a service for a change: the change is made and said, or
a rule refused it and the person reads why, in the service's own words. Every app's error
(GroupError, ProposalError, MeetingError, …) is a Refused, so the views of every app
handle a refusal the same way."""

from django.contrib import messages


class Refused(Exception):
    """A rule stopped the change; the message is shown to the person as it is."""


def form_saved(request, form, service, *, done, field=None, only=None, **arguments) -> bool:
    """Calls `service(**arguments, **form.cleaned_data)` for a valid form (only the fields
    named in `only`, if given). True when the change is made (and `done` is shown); False
    with the reason on the form (on `field`, or above the form) when a rule refused it, so
    the page is shown again as it was left."""
    data = form.cleaned_data
    try:
        service(**arguments, **({name: data[name] for name in only} if only else data))
    except Refused as exc:
        form.add_error(field, str(exc))
        return False
    messages.success(request, done)
    return True


def acted(request, service, *, done, **arguments) -> bool:
    """Calls `service(**arguments)` for a button without a form to keep: `done` when the
    change is made, the reason as the page's message when a rule refused it."""
    try:
        service(**arguments)
    except Refused as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True
