"""Password validators for what Django's common-password list misses in Swedish, and the
hasher that stores passwords."""

import re
import unicodedata
from functools import cache

from django.conf import settings
from django.contrib.auth import hashers
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words Swedes pick and then put a year or a few digits after ("Sommar2026", "Hemligt1!").
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
    "sverige",
    "stockholm",
    "smaland",
    "småland",
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


# The words anyone guessing a password here tries first: the portal's and the municipality's
# names and the ten orter, without å, ä and ö (passwords are compared folded).
PORTAL_WORDS = {
    "allas",
    "vimmerby",
    "kommun",
    "kommunen",
    "djursdala",
    "frodinge",
    "gullringen",
    "locknevi",
    "pelarne",
    "rumskulla",
    "storebro",
    "sodravi",
    "tuna",
}
# Digits and signs that stand in for letters ("@llas", "V1mmerby").
LOOKALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s"})


def _fold(text: str) -> str:
    """Lower case without marks: "Södra Vi" and "sodra vi" are the same words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


@cache
def _portal_words() -> frozenset[str]:
    names = (settings.MUNICIPALITY["name"], settings.MFA_TOTP_ISSUER)
    from_settings = {_letters(_fold(w)) for name in names for w in name.split()}
    return frozenset(PORTAL_WORDS | {w for w in from_settings if len(w) >= 4})


def _only_portal_words(letters: str) -> bool:
    """Whether `letters` is nothing but portal words one after another."""
    words = _portal_words()
    longest = max(map(len, words))
    # ends[i]: the first i letters are portal words one after another.
    ends = [True] + [False] * len(letters)
    for i in range(1, len(letters) + 1):
        ends[i] = any(ends[j] and letters[j:i] in words for j in range(max(0, i - longest), i))
    return bool(letters) and ends[-1]


class PortalWordsPasswordValidator:
    """Refuses a password made only of the portal's own words, whatever the case, digits
    and signs around them: "allasvimmerby", "Allas-Vimmerby-1", "Storebro2026!". A longer
    password that merely has one of them among other words is fine."""

    def validate(self, password, user=None):
        folded = _fold(password)
        if _only_portal_words(_letters(folded)) or _only_portal_words(
            _letters(folded.translate(LOOKALIKES))
        ):
            raise ValidationError(
                _(
                    "The password is only words that belong to the portal, such as Allas, "
                    "Vimmerby or the name of an ort. They are the first words anyone "
                    "guesses. Add words of your own."
                ),
                code="password_portal_words",
            )

    def get_help_text(self):
        return _("Not only words that belong to the portal, such as Allas, Vimmerby or an ort.")


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane). With Django's own 100 MiB
    and 8 lanes a login takes about a second on the portal's 2-core server when four people
    log in at once, and twelve gunicorn threads checking at once would need 1.2 GB; this
    takes well under a quarter of a second (bench/login.py) and 230 MB. One lane, because
    more lanes only add threads competing for the same two cores. Changing a figure here
    stores each password again at its owner's next login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
