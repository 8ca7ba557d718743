"""The groups' dialogue meetings in public: the list of every coming meeting (the network's
too), an ort's meetings, one meeting with its sign-up, the subscribable calendars, and
the personal page a sign-up's link opens without logging in (confirm, change the needs,
cancel, the calendar file).

Every change is a POST to a view of its own that redirects with a message; a GET changes
nothing, since mail scanners open the links in e-mails."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from allas.models import Locality
from allas.outcomes import Refused
from allas.page_cache import cached_for_visitors
from allas.signed_in_pages import kept_for_signed_in
from groups.models import DialogueMeeting

from .. import calendar
from ..models import SignUp
from . import limits, proposal_links, public_queries, signups
from .permissions import can_manage_meetings, can_see_meeting, can_sign_up_in_one_step
from .public_forms import FilterForm, NeedsForm, SignUpForm

PAGE_SIZE = 20
# The lists reach this deep; a filter finds the rest.
MAX_PAGES = 20

Status = SignUp.Status


def _get_meeting_for_user(request, pk) -> DialogueMeeting:
    """A draft is its group's coordinators' and staff's: to everyone else it does not
    exist (404)."""
    meeting = get_object_or_404(DialogueMeeting.objects.select_related("group__locality"), pk=pk)
    if not can_see_meeting(request.user, meeting):
        raise Http404
    return meeting


def _get_signup_for_link(request, token) -> SignUp:
    """The sign-up whose personal link this is, for whoever holds it. A wrong link, one to
    a draft or one of a meeting long past is a friendly 404 that says what to do."""
    signup = signups.signup_by_token(token)
    if signup is None:
        raise _LinkNotFound
    return signup


class _LinkNotFound(Exception):
    pass


def _personal(response):
    # The page is the person's own: keep it out of shared caches. (The site-wide
    # same-origin referrer policy keeps the token from other sites.)
    response["Cache-Control"] = "private, no-store"
    return response


def _link_views(view):
    """Personal-link views answer an unknown link with the page that explains it."""

    def wrapped(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except _LinkNotFound:
            return _personal(render(request, "meetings/dialogue/link_not_found.html", status=404))

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


# -- lists ---------------------------------------------------------------------------


@kept_for_signed_in
@cached_for_visitors(params=("ort", "typ", "sida"))
@require_safe
def meeting_list(request):
    form = FilterForm(request.GET or None)
    ort = kind = ""
    if form.is_bound and form.is_valid():
        ort, kind = form.cleaned_data["ort"], form.cleaned_data["typ"]
    locality = Locality.objects.filter(slug=ort).first() if ort else None
    page = public_queries.coming_page(
        request.GET.get("sida"),
        per_page=PAGE_SIZE,
        max_pages=MAX_PAGES,
        locality=locality,
        kind=kind,
    )
    params = request.GET.copy()
    params.pop("sida", None)
    return render(
        request,
        "meetings/dialogue/list.html",
        {
            "form": form,
            "page": page,
            "params": params.urlencode(),
            "filtered": bool(ort or kind),
            "locality": locality,
        },
    )


@kept_for_signed_in
@cached_for_visitors(params=("sida",))
@require_safe
def ort_list(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    coming = public_queries.coming_page(1, per_page=50, max_pages=1, locality=locality)
    past = public_queries.past_page(
        locality, request.GET.get("sida"), per_page=PAGE_SIZE, max_pages=MAX_PAGES
    )
    return render(
        request,
        "meetings/dialogue/ort_list.html",
        {"locality": locality, "coming": coming, "past": past},
    )


# -- one meeting and its sign-up -------------------------------------------------------


# Its sign-up form carries a CSRF token, which the visitors' page cache cannot store:
# visitors' pages are kept here instead, with the token filled in for each.
@kept_for_signed_in(per_person=True, visitors=True)
@require_safe
def meeting_detail(request, pk):
    return detail_page(request, _get_meeting_for_user(request, pk))


def detail_page(request, meeting, *, form=None, status=200):
    """The meeting's page. After a refused sign-up, `form` is the bound form with the
    reason, shown again as it was filled in."""
    user = request.user
    one_step = can_sign_up_in_one_step(user)
    mine = public_queries.own_signup(user, meeting) if one_step else None
    takes_signups = meeting.takes_signups()
    can_sign_up = takes_signups and not (mine and mine.is_active)
    if form is None and can_sign_up:
        initial = {}
        if user.is_authenticated and not one_step:
            initial = {"name": user.display_name, "email": user.email}
        form = SignUpForm(meeting=meeting, one_step=one_step, initial=initial)
    proposal_links.attach([meeting])
    response = render(
        request,
        "meetings/dialogue/detail.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "locality": meeting.group.locality,
            "goals": list(meeting.goals.all()),
            "seats": public_queries.seats(meeting),
            "has_ended": meeting.ends_at < timezone.now(),
            # The deadline and the places are said only while sign-up is open.
            "takes_signups": takes_signups,
            "mine": mine,
            # A refused form stays, with the reason, even where the page offers none now.
            "form": form if can_sign_up or (form is not None and form.is_bound) else None,
            "one_step": one_step,
            "can_manage": can_manage_meetings(user, meeting.group),
            "confirm_hours": signups.CONFIRM_HOURS,
        },
        status=status,
    )
    if mine is not None:
        response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def signup_create(request, pk):
    """A signed-in resident is signed up at once; anyone else gets a link to confirm.
    Counted per address and per source: past the limit nothing is done."""
    meeting = _get_meeting_for_user(request, pk)
    one_step = can_sign_up_in_one_step(request.user)
    form = SignUpForm(request.POST, meeting=meeting, one_step=one_step)
    if not form.is_valid():
        return detail_page(request, meeting, form=form)
    data = form.cleaned_data
    address = request.user.email if one_step else data["email"]
    if not limits.signup_allowed(request, address):
        form.add_error(None, limits.TOO_MANY)
        return detail_page(request, meeting, form=form, status=429)
    try:
        signup = signups.signup_create(
            meeting=meeting,
            user=request.user if one_step else None,
            language=request.LANGUAGE_CODE,
            **data,
        )
    except Refused as exc:
        form.add_error(None, str(exc))
        return detail_page(request, meeting, form=form)
    messages.success(request, _what_happens_next(signup))
    return redirect(meeting)


def _what_happens_next(signup: SignUp) -> str:
    if signup.status == Status.UNCONFIRMED:
        return _(
            "We have sent a link to %(email)s. Open it within %(hours)d hours and press "
            "the button to confirm. Nothing is reserved until you confirm."
        ) % {"email": signup.email, "hours": signups.CONFIRM_HOURS}
    if signup.status == Status.WAITING:
        return _(
            "The meeting is full, so you are on the waiting list, in place %(place)d. "
            "We will e-mail you if a place becomes free."
        ) % {"place": signups.waiting_place(signup)}
    return _("You are signed up. A confirmation with a calendar file is on its way to your e-mail.")


# -- calendars -------------------------------------------------------------------------


def _ics_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def meeting_ics(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    if not meeting.is_public:
        raise Http404
    content = calendar.feed_ics([meeting], name=f"Allas Vimmerby – {meeting.title}")
    return _ics_response(content, f"mote-{meeting.pk}.ics")


@require_safe
def feed_ics(request):
    name = _("Allas Vimmerby – meetings")
    return _ics_response(
        calendar.feed_ics(public_queries.feed_meetings(), name=name), "allas-vimmerby-moten.ics"
    )


@require_safe
def ort_feed_ics(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    name = _("Allas Vimmerby – meetings in %(ort)s") % {"ort": locality.name}
    meetings = public_queries.feed_meetings(locality=locality)
    return _ics_response(calendar.feed_ics(meetings, name=name), f"moten-{locality.slug}.ics")


# -- the personal page -----------------------------------------------------------------


@_link_views
@require_safe
def signup_page(request, token):
    """See the sign-up and, by buttons that post, confirm it, change the needs or cancel
    it. Opening the page changes nothing."""
    signup = _get_signup_for_link(request, token)
    return _signup_page(request, signup)


def _signup_page(request, signup, *, needs_form=None):
    meeting = signup.meeting
    now = timezone.now()
    open_to_change = (
        signup.is_active
        and meeting.status == DialogueMeeting.Status.PUBLISHED
        and not meeting.has_started()
    )
    asks = meeting.asks_food or meeting.asks_access
    if needs_form is None and open_to_change and asks:
        needs_form = NeedsForm(
            meeting=meeting,
            initial={"food_needs": signup.food_needs, "access_needs": signup.access_needs},
        )
    unconfirmed = signup.status == Status.UNCONFIRMED
    expired = unconfirmed and signups.confirm_link_expired(signup)
    return _personal(
        render(
            request,
            "meetings/dialogue/signup.html",
            {
                "signup": signup,
                "meeting": meeting,
                "locality": meeting.group.locality,
                "place": signups.waiting_place(signup) if signup.status == Status.WAITING else None,
                "link_expired": expired,
                "can_confirm": unconfirmed and not expired and meeting.takes_signups(),
                "open_to_change": open_to_change,
                # Ended or held: the page says so, and what the sign-up was, not what it is.
                "is_over": meeting.status == DialogueMeeting.Status.HELD
                or (meeting.status == DialogueMeeting.Status.PUBLISHED and meeting.ends_at < now),
                "needs_form": needs_form if open_to_change and asks else None,
                "confirm_hours": signups.CONFIRM_HOURS,
            },
        )
    )


@_link_views
@require_POST
def signup_confirm(request, token):
    signup = _get_signup_for_link(request, token)
    try:
        signup = signups.signup_confirm(signup=signup)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _what_happens_next(signup))
    return redirect(signup.get_answer_url())


@_link_views
@require_POST
def signup_needs(request, token):
    signup = _get_signup_for_link(request, token)
    form = NeedsForm(request.POST, meeting=signup.meeting)
    if form.is_valid():
        try:
            signups.signup_change_needs(
                signup=signup,
                food_needs=form.cleaned_data.get("food_needs", ""),
                access_needs=form.cleaned_data.get("access_needs", ""),
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your answers have been saved."))
        return redirect(signup.get_answer_url())
    return _signup_page(request, signup, needs_form=form)


@_link_views
@require_POST
def signup_withdraw(request, token):
    """Cancels the sign-up or the place in line; a freed seat goes to the first in line."""
    signup = _get_signup_for_link(request, token)
    try:
        signups.signup_cancel(signup=signup)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("You have cancelled your sign-up. Thank you for letting us know.")
        )
    return redirect(signup.get_answer_url())


@_link_views
@require_safe
def signup_ics(request, token):
    """The person's own calendar event, as the e-mail's attachment has it: a calendar
    program that answers it reaches this sign-up."""
    signup = _get_signup_for_link(request, token)
    if signup.status != Status.SIGNED_UP:
        raise Http404
    meeting = signup.meeting
    cancelled = meeting.status == DialogueMeeting.Status.CANCELLED
    content = calendar.personal_ics(calendar.meeting_ics(meeting, cancelled=cancelled), signup)
    return _personal(_ics_response(content, f"mote-{signup.meeting_id}.ics"))
