"""Pages kept for signed-in people (allas.signed_in_pages): a signed-in page is rendered
once and served again with two queries (the session and the user), each person gets their
own name and CSRF token in it, a page of one person's is never served to another, and
what anyone writes shows at once."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from allas import db_writes
from allas.models import AgeBand
from allas.signed_in_pages import CSRF_MARK, kept_for_signed_in
from groups.models import Membership, Sector
from meetings.models import SignUp
from notifications.models import Follow
from proposals import services
from tests.dialogue_factories import dialogue_meeting
from tests.factories import Client, UserFactory, membership
from tests.proposals.conftest import make_proposal
from tests.services import cache_unreachable

pytestmark = pytest.mark.django_db

SHARED = ["/", "/mal/", "/forslag/", "/forslag/?ort=storebro&status=submitted", "/forslag/?q=cykel"]
JOIN = {"sector": Sector.choices[0][0], "age_band": AgeBand.choices[0][0], "motivation": ""}
# Served again with the session and the user only.
KEPT_QUERIES = 2


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def signed_in(user, *, enforce_csrf=False):
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def get(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(ctx.captured_queries)


def token(content: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)


@pytest.mark.parametrize("path", [*SHARED, "proposal", "ort", "account"])
def test_a_signed_in_page_is_served_again_with_the_session_and_the_user_only(
    author, resident, path
):
    proposal = make_proposal(author)
    path = {"proposal": f"/forslag/{proposal.pk}/", "ort": "/orter/storebro/"}.get(path, path)
    path = "/uppfoljning/2026/" if path == "account" else path
    client = signed_in(resident)
    first, rendered = get(client, path)
    again, served = get(client, path)
    assert served == KEPT_QUERIES < rendered
    assert resident.display_name in again and "Logga ut" in again
    assert CSRF_MARK not in again and "<!--personal:" not in again
    # The same page but for the token, which is new for every response.
    assert re.sub(r'value="[^"]{64}"', "", again) == re.sub(r'value="[^"]{64}"', "", first)


@pytest.mark.parametrize("path", SHARED)
def test_a_shared_page_carries_each_persons_own_name_and_token(author, resident, path):
    make_proposal(author)
    other = UserFactory(display_name="Annan Invånare")
    first = signed_in(resident)
    get(first, path)
    client = signed_in(other, enforce_csrf=True)
    content, served = get(client, path)
    assert served == KEPT_QUERIES  # the page kept for the first person
    assert "Annan Invånare" in content and resident.display_name not in content
    assert resident.email not in content
    # Their own token: the log-out form in the page signs them out.
    response = client.post("/konto/logout/", {"csrfmiddlewaretoken": token(content)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_and_residents_each_get_their_own_kind_of_page(staff, resident):
    staff_client = signed_in(staff)
    resident_client = signed_in(resident)
    for _ in range(2):
        assert "För personal" in get(staff_client, "/forslag/")[0]
        assert "För personal" not in get(resident_client, "/forslag/")[0]


def test_a_page_of_one_persons_is_never_served_to_another(author, resident):
    proposal = make_proposal(author)
    path = f"/forslag/{proposal.pk}/"
    get(signed_in(author), path)
    mine, _ = get(signed_in(author), path)
    assert "Ändra ditt förslag" in mine  # the author's own links
    theirs, rendered = get(signed_in(resident), path)
    assert "Ändra ditt förslag" not in theirs and rendered > KEPT_QUERIES
    assert author.display_name not in theirs.split("</header>")[0]


def test_what_anyone_writes_shows_at_once_on_a_persons_kept_page(resident, coordinator):
    client = signed_in(resident)
    assert "Gå med i gruppen" in get(client, "/orter/storebro/")[0]
    get(client, "/orter/storebro/")
    # A private change the content version does not follow: the resident applies…
    assert client.post("/orter/storebro/bli-medlem/", JOIN).status_code == 302
    assert "Du har ansökt om att gå med" in get(client, "/orter/storebro/")[0]
    # …and the coordinator's decision, in another session, shows on the resident's page.
    applied = Membership.objects.get(user=resident)
    decider = signed_in(coordinator)
    decider.post(f"/orter/storebro/grupp/ansokan/{applied.pk}/", {"decision": "approve"})
    content, _ = get(client, "/orter/storebro/")
    assert "Du har ansökt" not in content and "Lämna gruppen" in content
    # Following (or no longer), written outside any page of the group's.
    before = "Sluta följa Storebro" in content
    get(client, "/orter/storebro/")
    client.post("/orter/storebro/folj/")
    get(client, "/orter/storebro/")  # the message
    content, _ = get(client, "/orter/storebro/")
    assert ("Sluta följa Storebro" in content) is not before


def test_the_coordinators_page_shows_a_new_application_at_once(coordinator):
    client = signed_in(coordinator)
    get(client, "/orter/storebro/grupp/")
    _, served = get(client, "/orter/storebro/grupp/")
    assert served == KEPT_QUERIES
    membership(UserFactory(display_name="Ny Sökande"), status=Membership.Status.PENDING)
    assert "Ny Sökande" in get(client, "/orter/storebro/grupp/")[0]


def test_a_waiting_message_is_shown_on_a_page_rendered_for_it(resident):
    client = signed_in(resident)
    get(client, "/forslag/")
    client.post("/tillganglighet/", {"kind": "other", "message": "Knappen syns inte."})
    content, rendered = get(client, "/forslag/")
    assert "Tack! Vi har tagit emot ditt meddelande." in content and rendered > KEPT_QUERIES
    assert "Tack! Vi har tagit emot" not in get(client, "/forslag/")[0]


@kept_for_signed_in
def _greeting(request):
    # Opted in as shared, but shows the person outside a hole.
    return HttpResponse(f"<p>Hej {request.user.display_name}</p>")


urlpatterns = [path("hej/", _greeting), path("", include("allas.urls"))]


@pytest.mark.urls(__name__)
def test_a_shared_page_with_the_renderers_name_in_it_is_not_kept(resident):
    client = signed_in(resident)
    get(client, "/hej/")
    assert resident.display_name in get(client, "/hej/")[0]
    other = UserFactory(display_name="Annan Invånare")
    content, _ = get(signed_in(other), "/hej/")
    assert "Annan Invånare" in content and resident.display_name not in content


def test_with_the_cache_off_every_page_is_rendered(settings, resident):
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(resident)
    get(client, "/forslag/")
    _, rendered = get(client, "/forslag/")
    assert rendered > KEPT_QUERIES


def test_a_write_renews_the_writes_version_and_a_rolled_back_one_does_not(
    django_capture_on_commit_callbacks, resident
):
    from django.core.cache import cache

    cache.delete(db_writes.WRITES_KEY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        resident.display_name = "Nytt Namn"
        resident.save()
    after_commit = cache.get(db_writes.WRITES_KEY)
    assert after_commit is not None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                resident.display_name = "Återställd"
                resident.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and cache.get(db_writes.WRITES_KEY) == after_commit
    # A write that changes no row changes no page.
    Follow.objects.filter(user=resident, pk=-1).update(is_active=False)
    assert cache.get(db_writes.WRITES_KEY) == after_commit
    # The session table is written on many requests and shows on no page.
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert cache.get(db_writes.WRITES_KEY) == after_commit


def test_a_staff_session_without_its_second_factor_gets_no_staff_page(
    staff, staff_session_without_second_factor
):
    get(signed_in(staff), "/forslag/")  # kept for staff, with the staff menu
    client = Client()
    client.force_login(staff_session_without_second_factor, second_factor=False)
    for _ in range(2):
        content, _ = get(client, "/forslag/")
        assert "För personal" not in content and "Handläggare Utan Steg" in content


def test_each_language_has_its_own_kept_page(resident):
    english = UserFactory(display_name="English Reader", language="en")
    get(signed_in(resident), "/mal/")
    for _ in range(2):
        content, _ = get(signed_in(english), "/mal/")
        assert '<html lang="en">' in content
        assert '<html lang="sv">' in get(signed_in(resident), "/mal/")[0]


def test_a_coordinator_removed_from_the_group_loses_the_kept_members_page(coordinator):
    client = signed_in(coordinator)
    for _ in range(2):
        assert client.get("/orter/storebro/grupp/").status_code == 200
    Membership.objects.filter(user=coordinator).delete()
    assert client.get("/orter/storebro/grupp/").status_code in (403, 404)


def test_with_the_cache_down_signed_in_pages_answer_and_are_fresh(settings, author, resident):
    cache_unreachable(settings)
    proposal = make_proposal(author, title="Första rubriken")
    client = signed_in(resident)
    assert "Första rubriken" in get(client, "/forslag/")[0]
    services.proposal_edit(proposal=proposal, by=author, title="Ny rubrik", body="Ny")
    content, _ = get(client, f"/forslag/{proposal.pk}/")
    assert "Ny rubrik" in content and resident.display_name in content
    assert "Ny rubrik" in get(client, "/forslag/")[0]


def test_a_visitors_meeting_page_is_kept_with_their_own_token(resident):
    meeting = dialogue_meeting(title="Bygdemöte om bryggan")
    path = f"/moten/{meeting.pk}/"
    first = Client(enforce_csrf_checks=True)
    content, rendered = get(first, path)
    assert rendered > 0 and "Bygdemöte om bryggan" in content
    visitor = Client(enforce_csrf_checks=True)
    content, served = get(visitor, path)
    assert served == 0 and "Logga in" in content
    assert CSRF_MARK not in content and "csrftoken" in visitor.cookies
    # The token in the kept page is the visitor's own: their sign-up goes through.
    form = {"csrfmiddlewaretoken": token(content), "name": "Besökare", "email": "b@example.se"}
    response = visitor.post(f"/moten/{meeting.pk}/anmal/", form)
    assert response.status_code in (200, 302) and response.status_code != 403
    assert SignUp.objects.filter(meeting=meeting, email="b@example.se").exists()
    # A signed-in person gets their own page, not the visitors'.
    content, _ = get(signed_in(resident), path)
    assert resident.display_name in content and "Logga in" not in content.split("</header>")[0]


def test_staffs_page_from_a_session_past_the_second_factor_is_not_served_to_another(author, staff):
    proposal = make_proposal(author)
    path = f"/forslag/{proposal.pk}/"
    strong = signed_in(staff)
    for _ in range(2):
        assert 'id="answer-heading"' in get(strong, path)[0]
    password_only = Client()
    password_only.force_login(staff, second_factor=False)
    for _ in range(2):
        content, _ = get(password_only, path)
        assert 'id="answer-heading"' not in content and "För personal" not in content
