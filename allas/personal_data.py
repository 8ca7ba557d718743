"""A person's register extract (registerutdrag): everything the portal keeps about them, in
one shape from which both the downloaded file and the readable page are made, so the two
always say the same.

Each app gives its part through settings.PERSONAL_DATA_MODULES: `export(user)` returns a
list of Part. A part is a titled list of entries (or exactly one, the profile), and an entry
a list of Field, each with
- `key`: its name in the file: Swedish, lower case, words joined by "_" ("e-post" keeps
  its hyphen, being one word). The file is read
  by programs too, so a key is written out where the field is, never made from a label;
- `label`: the same name in the reader's language, for the page (a lazy translation,
  mostly the model field's own verbose name);
- `value`: text, a number, yes/no, a date or time, a Link, or a Coded stored word.

The file is Swedish whatever the person's language, since it is the person's own record
in the municipality's language: a stored word is written as {"kod": …, "text": …}, the
code as stored and its meaning as the portal shows it in Swedish; times are ISO 8601 in
Swedish time. The page follows the person's language."""

import datetime
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from .models import OutboundEmail
from .vocabulary import email_kind_label

# What the file says once at the top: how a stored word and a time are written.
CODED_SHAPE = _(
    "A stored word is written as a code and a text: the code is what the portal stores, "
    "the text what it means."
)
TIMES = _("Times are given as in ISO 8601, in Swedish time.")


@dataclass(frozen=True)
class Coded:
    """A stored word (a status, a choice) with what it means."""

    code: str
    label: Promise | str


@dataclass(frozen=True)
class Link:
    """A page of the portal: the file gives its full address, the page links to it."""

    path: str

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise | str
    value: object

    @property
    def kind(self) -> str:
        """How the page shows the value."""
        value = self.value
        if value is None or value == "":
            return "empty"
        if isinstance(value, bool):
            return "yes_no"
        if isinstance(value, Coded):
            return "coded"
        if isinstance(value, Link):
            return "link"
        if isinstance(value, datetime.datetime):
            return "time"
        if isinstance(value, datetime.date):
            return "date"
        return "text"


@dataclass(frozen=True)
class Part:
    key: str
    title: Promise | str
    about: Promise | str
    entries: list[list[Field]] = field(default_factory=list)
    # The profile is one entry, not a list of them.
    one: bool = False


@dataclass(frozen=True)
class Extract:
    person: object
    made_at: datetime.datetime
    parts: list[Part]


def coded(code: str, labels) -> Coded | None:
    """`labels` is a model field's choices, a {code: label} of a vocabulary or a function
    giving the label of a code."""
    if code in (None, ""):
        return None
    if callable(labels):
        return Coded(code, labels(code))
    return Coded(code, dict(labels).get(code, code))


def label_of(instance: Model, name: str) -> Promise | str:
    return instance._meta.get_field(name).verbose_name


def model_fields(instance: Model, **keys: str) -> list[Field]:
    """The entry of a model instance, as `key="field_name"`: the label is the field's own
    verbose name, a stored word comes with its meaning and a related object as its name."""
    fields = []
    for key, name in keys.items():
        model_field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if model_field.choices:
            value = coded(value, model_field.flatchoices)
        elif model_field.is_relation:
            value = None if value is None else str(value)
        fields.append(Field(key, model_field.verbose_name, value))
    return fields


def _core_parts(user) -> list[Part]:
    emails = OutboundEmail.objects.filter(to__iexact=user.email).order_by("created_at", "id")
    # A kind no app names any longer still reads by its family.
    kind_label = lazy(email_kind_label, str)
    return [
        Part(
            key="profil",
            title=_("Your profile"),
            about=_(
                "What you have told us about yourself, and when you created your account "
                "and last logged in."
            ),
            entries=[
                [
                    *model_fields(user, **{"e-postadress": "email"}),
                    *model_fields(
                        user,
                        visningsnamn="display_name",
                        språk="language",
                        hemort="home_locality",
                        åldersgrupp="age_band",
                        konto_skapat="date_joined",
                        senast_inloggad="last_login",
                    ),
                ]
            ],
            one=True,
        ),
        Part(
            key="e-post_till_dig",
            title=_("E-mail we have sent you"),
            about=_(
                "The e-mails the portal has sent, or is about to send, to your address: "
                "when, what about, the subject and how the sending went."
            ),
            entries=[
                [
                    *model_fields(email, skapat="created_at"),
                    Field("typ", label_of(email, "kind"), coded(email.kind, kind_label)),
                    *model_fields(email, ämne="subject", status="status", skickat="sent_at"),
                ]
                for email in emails
            ],
        ),
    ]


def _app_parts(user) -> list[Part]:
    parts = []
    for name in settings.PERSONAL_DATA_MODULES:
        given = import_module(name).export(user)
        if not isinstance(given, list) or not all(isinstance(p, Part) for p in given):
            raise ImproperlyConfigured(f"{name}.export(user) must return a list of Part.")
        parts += given
    return parts


def extract_for(*, user) -> Extract:
    parts = _core_parts(user) + _app_parts(user)
    keys = [part.key for part in parts]
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"Two parts of the register extract share a key: {keys}")
    return Extract(person=user, made_at=timezone.now(), parts=parts)


def _file_value(value):
    if isinstance(value, Coded):
        return {"kod": value.code, "text": str(value.label)}
    if isinstance(value, Link):
        return value.url
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def as_file(extract: Extract) -> dict:
    """The extract as the downloaded file: Swedish keys, and Swedish words beside codes."""
    municipality = settings.MUNICIPALITY
    with translation.override("sv"):
        data = {
            "om_uttaget": {
                "gäller": {
                    "namn": extract.person.display_name,
                    "e-postadress": extract.person.email,
                },
                "gjort": _file_value(extract.made_at),
                "webbplats": settings.SITE_URL,
                "personuppgiftsansvarig": municipality["name"],
                "dataskyddsombud": municipality["dpo_email"],
                "koder": str(CODED_SHAPE),
                "tider": str(TIMES),
                "delar": {part.key: f"{part.title}: {part.about}" for part in extract.parts},
            }
        }
        for part in extract.parts:
            entries = [{f.key: _file_value(f.value) for f in entry} for entry in part.entries]
            data[part.key] = entries[0] if part.one else entries
    return data
