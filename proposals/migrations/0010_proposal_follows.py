import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def move_proposal_follows(apps, schema_editor):
    """Each follow of a proposal kept by notifications (by the proposal's bare id) becomes
    a ProposalFollow, as it was. Those whose proposal no longer exists are orphans, left
    behind because nothing could delete them with the proposal: they are not copied, and
    every follow of a proposal leaves notifications, whose Follow is the ort's only."""
    Follow = apps.get_model("notifications", "Follow")
    Proposal = apps.get_model("proposals", "Proposal")
    ProposalFollow = apps.get_model("proposals", "ProposalFollow")
    of_proposals = Follow.objects.filter(proposal_id__isnull=False)
    rows = (
        of_proposals.filter(proposal_id__in=Proposal.objects.values("pk"))
        .order_by("pk")
        .values_list("user_id", "proposal_id", "is_active", "automatic", "created_at")
    )
    batch = []
    for user_id, proposal_id, is_active, automatic, created_at in rows.iterator(BATCH):
        batch.append(
            ProposalFollow(
                user_id=user_id,
                proposal_id=proposal_id,
                is_active=is_active,
                automatic=automatic,
                created_at=created_at,
            )
        )
        if len(batch) == BATCH:
            ProposalFollow.objects.bulk_create(batch)
            batch = []
    ProposalFollow.objects.bulk_create(batch)
    of_proposals.delete()


def move_back(apps, schema_editor):
    Follow = apps.get_model("notifications", "Follow")
    ProposalFollow = apps.get_model("proposals", "ProposalFollow")
    Follow.objects.bulk_create(
        (
            Follow(
                user_id=f.user_id,
                proposal_id=f.proposal_id,
                is_active=f.is_active,
                automatic=f.automatic,
                created_at=f.created_at,
            )
            for f in ProposalFollow.objects.order_by("pk").iterator(BATCH)
        ),
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0009_report_and_decision_labels"),
        ("notifications", "0001_follows_settings_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    # Notifications, the lower app, drops its proposal follows after they are copied here,
    # without its migration naming this app.
    run_before = [("notifications", "0002_follow_ort_only")]

    operations = [
        migrations.CreateModel(
            name="ProposalFollow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="following")),
                (
                    "automatic",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Started by writing, supporting, commenting or joining the group."
                        ),
                        verbose_name="started automatically",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="started"),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows",
                        to="proposals.proposal",
                        verbose_name="proposal",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "proposal follow",
                "verbose_name_plural": "proposal follows",
                "indexes": [
                    models.Index(
                        fields=["proposal", "is_active"], name="proposals_p_proposa_c8c3cc_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "proposal"), name="proposalfollow_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(move_proposal_follows, move_back),
    ]
