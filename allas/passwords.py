"""A password validator for what Django's common-password list misses in Swedish."""

import re
from functools import cache

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words Swedes pick and then put a year or a few digits after ("Sommar2026", "Vimmerby1!").
SWEDISH_WORDS = {
    "sommar",
    "vinter",
    "var",
    "vår",
    "host",
    "höst",
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
    "mandag",
    "måndag",
    "tisdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lordag",
    "lördag",
    "sondag",
    "söndag",
    "losenord",
    "lösenord",
    "hemligt",
    "hemlig",
    "valkommen",
    "välkommen",
    "vimmerby",
    "allas",
    "allasvimmerby",
    "kommun",
    "sverige",
    "stockholm",
    "smaland",
    "småland",
    "storebro",
    "gullringen",
    "frodinge",
    "frödinge",
    "djursdala",
    "locknevi",
    "pelarne",
    "rumskulla",
    "tuna",
    "sodravi",
    "södravi",
    "hej",
    "hejsan",
    "kalle",
    "anka",
}
TRAILING = re.compile(r"[\d\W_]+$")
LEADING = re.compile(r"^[\d\W_]+")


@cache
def _common() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


class PredictablePasswordValidator:
    """Refuses a common word with digits or signs around it, such as "Sommar2026"."""

    def validate(self, password, user=None):
        core = LEADING.sub("", TRAILING.sub("", password.lower()))
        if core != password.lower() and (core in SWEDISH_WORDS or core in _common()):
            raise ValidationError(
                _(
                    "This password is a common word with digits or signs added, which is easy "
                    "to guess. Choose a few words that only you would put together."
                ),
                code="password_predictable",
            )

    def get_help_text(self):
        return _("Not a common word with a year or a few digits added.")
