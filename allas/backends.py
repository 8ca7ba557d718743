"""The login backends, loading with each signed-in user whether they are staff of the
department and their oldest second factor, in the same query: pages ask `is_staff_member`
several times, and a page's query count stays what it was before staff meant "in the
department's group, past the second factor"."""

import functools

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model

from .permissions import with_staff_membership

# Stands for the user's id while the statement is built.
_ANY_ID = -7_654_321


@functools.cache
def _user_statement() -> tuple[str, tuple]:
    """The query loading a signed-in user, built by the ORM once per process: every
    signed-in request runs it, and building it took longer than running it."""
    users = with_staff_membership(get_user_model()._default_manager).filter(pk=_ANY_ID)
    return users.query.sql_with_params()


class _LoadsStaffMembership:
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        sql, params = _user_statement()
        params = tuple(user_id if value == _ANY_ID else value for value in params)
        user = next(iter(get_user_model()._default_manager.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_LoadsStaffMembership, backends.ModelBackend):
    pass


class AuthenticationBackend(_LoadsStaffMembership, auth_backends.AuthenticationBackend):
    pass
