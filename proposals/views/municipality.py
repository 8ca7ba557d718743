"""The path to the municipality's decision: the group lifts a proposal, staff register it
and record the decision, and staff's list of what waits at the municipality."""

from django.http import Http404


def case_list(request):
    raise Http404


def proposal_lift(request, pk):
    raise Http404


def case_page(request, pk):
    raise Http404
