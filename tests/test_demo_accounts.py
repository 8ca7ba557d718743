"""The demo is honest about who holds which rights: its department staff account is staff
and nothing more, and the one superuser is a separate account the README names."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from allas.management.commands.load_demo import STAFF_EMAIL, SUPERUSER_EMAIL
from allas.models import User
from allas.staff import STAFF_GROUP

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def rights(email):
    account = User.objects.get(email=email)
    return (
        account.is_staff,
        account.is_superuser,
        account.groups.filter(pk=Group.objects.get(name=STAFF_GROUP).pk).exists(),
    )


def accounts():
    return sorted(
        User.objects.values_list("email", "is_staff", "is_superuser", "password", "display_name")
    )


def test_the_demo_staff_account_is_department_staff_without_superuser_rights():
    load_demo()
    # is_staff, is_superuser, in the department's permission group
    assert rights(STAFF_EMAIL) == (True, False, True)
    assert rights(SUPERUSER_EMAIL) == (True, True, True)
    assert User.objects.filter(is_superuser=True).count() == 1


def test_loading_the_demo_again_changes_nothing():
    load_demo()
    before = accounts()
    load_demo()
    assert accounts() == before


def test_loading_the_demo_takes_superuser_rights_from_an_old_demos_staff_account():
    load_demo()
    User.objects.filter(email=STAFF_EMAIL).update(is_superuser=True)  # as an old demo made it
    load_demo()
    assert rights(STAFF_EMAIL) == (True, False, True)
    assert rights(SUPERUSER_EMAIL) == (True, True, True)


def test_the_readme_names_the_demo_superuser_and_what_it_is_for():
    rows = [line for line in README.read_text().splitlines() if line.startswith("| ")]
    staff = next(row for row in rows if f"`{STAFF_EMAIL}`" in row)
    superuser = next(row for row in rows if f"`{SUPERUSER_EMAIL}`" in row)
    assert "not a superuser" in staff
    assert "managing rights" in superuser
