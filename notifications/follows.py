"""Following something: by a click, or on its own when the person takes part. Written once
for every kind of follow: `model` is a follow model (a FollowBase, this app's ort follow
unless told) and the one keyword left names what it follows, e.g. `locality=storebro`. An
app above passes its own model, e.g. proposals' ProposalFollow with `proposal=`."""

from django.db import IntegrityError, transaction

from .models import Follow


def _one(target: dict) -> dict:
    # With no target, the filters below would find any follow of the person.
    if len(target) != 1:
        raise TypeError("Follow exactly one thing.")
    return target


def is_following(user, *, model=Follow, **target) -> bool:
    if not user.is_authenticated:
        return False
    return model.objects.filter(user=user, is_active=True, **_one(target)).exists()


@transaction.atomic
def follow_toggle(*, user, model=Follow, **target) -> bool:
    """Starts following, or stops. Returns whether the person follows now."""
    follow = model.objects.select_for_update().filter(user=user, **_one(target)).first()
    if follow is None:
        try:
            with transaction.atomic():
                model.objects.create(user=user, **target)
        except IntegrityError:  # the same click twice in one instant
            pass
        return True
    follow.is_active = not follow.is_active
    follow.automatic = False
    follow.save(update_fields=["is_active", "automatic"])
    return follow.is_active


def follow_auto(*, user, model=Follow, **target) -> None:
    """Follows because the person wrote, supported, commented or joined. A follow the person
    stopped stays stopped."""
    if user is None or not user.is_active:
        return
    model.objects.bulk_create(
        [model(user=user, automatic=True, **_one(target))], ignore_conflicts=True
    )
