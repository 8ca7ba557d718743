"""The login backends, loading with each signed-in user whether they are staff of the
department and their oldest second factor, in the same query: pages ask `is_staff_member`
several times, and a page's query count stays what it was before staff meant "in the
department's group, past the second factor"."""

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model

from .permissions import with_staff_membership


class _LoadsStaffMembership:
    def get_user(self, user_id):
        user = with_staff_membership(get_user_model()._default_manager).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_LoadsStaffMembership, backends.ModelBackend):
    pass


class AuthenticationBackend(_LoadsStaffMembership, auth_backends.AuthenticationBackend):
    pass
