from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import email_views, passkey_views, second_factor_views, views
from .year_account import views as year_account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("groups.urls")),
    path("", include("proposals.urls")),
    path("", include("meetings.urls")),
    path("", include("notifications.urls")),
    path("orter/", views.locality_list, name="locality_list"),
    path("orter/<slug:slug>/", views.locality_detail, name="locality_detail"),
    path("mal/", views.goal_list, name="goal_list"),
    path("mal/<slug:slug>/", views.goal_detail, name="goal_detail"),
    path("sok/", views.search, name="search"),
    # The year's account; /uppfoljning/ itself and its CSV are the staff's plan follow-up
    # (groups.urls), whose "atgarder-<year>.csv" no pattern here matches.
    path("uppfoljning/<int:year>/", year_account_views.year_account, name="year_account"),
    path(
        "uppfoljning/<int:year>.csv", year_account_views.year_account_csv, name="year_account_csv"
    ),
    path(
        "uppfoljning/<int:year>.json",
        year_account_views.year_account_json,
        name="year_account_json",
    ),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("sprak/", views.set_language, name="set_language"),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/mina-data/", views.my_data, name="my_data"),
    path("konto/mina-data/visa/", views.my_data_page, name="my_data_page"),
    path("konto/radera/", views.delete_account, name="delete_account"),
    # Before allauth's own: staff may not remove their last second factor.
    path(
        "konto/2fa/webauthn/keys/<int:pk>/remove/",
        passkey_views.remove_passkey,
        name="mfa_remove_webauthn",
    ),
    # Before allauth's own: setting up a second factor proves it for this session.
    path(
        "konto/2fa/totp/activate/",
        second_factor_views.activate_app,
        name="mfa_activate_totp",
    ),
    path(
        "konto/2fa/webauthn/add/",
        second_factor_views.add_passkey,
        name="mfa_add_webauthn",
    ),
    # Before allauth's own: each address offers only what the rules allow for it.
    path("konto/email/", email_views.email_addresses, name="account_email"),
    path("konto/", include("allauth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]

# Every 400 (a NUL byte, an address too long to send back, a broken upload) gets the
# portal's page in the person's language; Django's own renders it without the request.
handler400 = "allas.bad_input.bad_request"

if settings.DEBUG:
    # Lets `make run` show the error pages as production would, at /__fel/404/ etc.
    from django.views.defaults import page_not_found, permission_denied, server_error

    urlpatterns += [
        path("__fel/403/", permission_denied, {"exception": Exception()}),
        path("__fel/404/", page_not_found, {"exception": Exception()}),
        path("__fel/500/", server_error),
    ]
