from django.urls import path

from . import views

urlpatterns = [
    path("orter/<slug:slug>/folj/", views.follow_locality, name="follow_locality"),
    path("konto/notiser/", views.notification_settings, name="notification_settings"),
    path(
        "konto/notiser/avsluta/<str:token>/",
        views.unsubscribe,
        name="notifications_unsubscribe",
    ),
]
