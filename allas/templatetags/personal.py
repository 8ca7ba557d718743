"""{% personal "name" %}: a part of the page that belongs to the person asking (the
header's account links), left as a hole when the page is kept for signed-in people and
filled for each request (allas.signed_in_pages)."""

from django import template

from allas.signed_in_pages import personal_part

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name):
    request = context.get("request")
    # A page rendered without its request (the server error page) has no person to show.
    return personal_part(request, name) if request is not None else ""
