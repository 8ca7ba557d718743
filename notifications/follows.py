"""Following an ort or a proposal: by a click, or on its own when the person takes part."""

from django.db import IntegrityError, transaction

from .models import Follow


def _target(locality, proposal_id) -> dict:
    if (locality is None) == (proposal_id is None):
        raise ValueError("Follow either an ort or a proposal.")
    return {"locality": locality} if locality is not None else {"proposal_id": proposal_id}


def is_following(user, *, locality=None, proposal_id=None) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(
        user=user, is_active=True, **_target(locality, proposal_id)
    ).exists()


@transaction.atomic
def follow_toggle(*, user, locality=None, proposal_id=None) -> bool:
    """Starts following, or stops. Returns whether the person follows now."""
    target = _target(locality, proposal_id)
    follow = Follow.objects.select_for_update().filter(user=user, **target).first()
    if follow is None:
        try:
            with transaction.atomic():
                Follow.objects.create(user=user, **target)
        except IntegrityError:  # the same click twice in one instant
            pass
        return True
    follow.is_active = not follow.is_active
    follow.automatic = False
    follow.save(update_fields=["is_active", "automatic"])
    return follow.is_active


def follow_auto(*, user, locality=None, proposal_id=None) -> None:
    """Follows because the person wrote, supported, commented or joined. A follow the person
    stopped stays stopped."""
    if user is None or not user.is_active:
        return
    Follow.objects.bulk_create(
        [Follow(user=user, automatic=True, **_target(locality, proposal_id))],
        ignore_conflicts=True,
    )
