"""{% public_fragment "name" value … %}…{% endpublic_fragment %}: a part of a page that is
the same for everyone who may see the page, rendered once per content version, language,
name and values (allas.page_cache.cached_public) and reused for every request, signed in
or not. The part must show only public content: nothing of the person asking (no user,
no CSRF token, no form), and everything else it depends on named in the values."""

import hashlib

from django import template
from django.template.base import FilterExpression

from allas import page_cache

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, name: FilterExpression, values: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        values = repr([str(value.resolve(context)) for value in self.values])
        key = f"fragment:{self.name.resolve(context)}:{hashlib.sha256(values.encode()).hexdigest()}"
        return page_cache.cached_public(key, lambda: self.nodelist.render(context))


@register.tag
def public_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("public_fragment needs a name")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
