from django.conf import settings


def portal(request):
    return {"MUNICIPALITY": settings.MUNICIPALITY}
