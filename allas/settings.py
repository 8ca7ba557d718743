"""The one settings module. Everything that differs between a laptop, CI and production
comes from the environment (see docs/configuration.md); the defaults are the embedded,
no-services setup.
"""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(a long random string), or DEBUG=true on a development machine."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

# The portal's address, for links in e-mails (which are written without a request).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "allas",
    "notifications",
    "groups",
    "proposals",
    "meetings",
    "allas.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses HTML; WhiteNoise serves static files pre-compressed (brotli and gzip).
    # Since Django 4.2 it also masks the CSRF token against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "allas.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the input: a NUL byte gets a 400, not a database error.
    "allas.bad_input.BadInputMiddleware",
    # Before the session: a visitor's stored page costs no session, user or query.
    "allas.page_cache.VisitorPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user carries whether this session passed the second factor.
    "allas.middleware.SessionSecondFactorMiddleware",
    "allas.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allas.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "allas.urls"
WSGI_APPLICATION = "allas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "allas.context_processors.portal",
            ],
        },
    },
    {
        # Plain text (e-mail subjects and text parts): nothing is HTML-escaped, so a title
        # with "quotes" & <angles> reads as typed. Never used for a web page.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'allas.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-allas.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "allas.User"
# Django's and allauth's backends, each also loading whether the user is staff.
AUTHENTICATION_BACKENDS = [
    "allas.backends.ModelBackend",
    "allas.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 2.1.1 asks for at least 12; 10 with the common-password list is the
    # municipality's floor for residents, who mostly type on phones.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "Sommar2026" passes the two above: a common word with a year after it.
    {"NAME": "allas.passwords.PredictablePasswordValidator"},
    # "Allas-Vimmerby-1", "Storebro2026!": the words anyone guesses first on this site.
    {"NAME": "allas.passwords.PortalWordsPasswordValidator"},
]
# Argon2id, tuned in allas.passwords. The others only read older hashes: a successful login
# with one of them stores the password again as Argon2id.
PASSWORD_HASHERS = [
    "allas.passwords.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login, verification is mandatory, rate limits stay on.
ACCOUNT_ADAPTER = "allas.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Allas Vimmerby: "
ACCOUNT_SIGNUP_FORM_CLASS = "allas.forms.SignupForm"
ACCOUNT_FORMS = {
    "reset_password": "allas.account_forms.ResetPasswordForm",
    "add_email": "allas.account_forms.AddEmailForm",
}
# A notice to every verified address of the account when its password, e-mail addresses or
# second factor change (allas.adapters.AccountAdapter.send_notification_mail).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# A signup with an address already in use is told so next to the field (what residents
# expect, and what the portal promises); the signup rate limit keeps that from being used
# to list addresses. Password reset never tells: allas.forms.ResetPasswordForm answers the
# same for every address, and an unknown one gets an "account not found" e-mail.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so that they are visibly on.
    "login": "30/m/ip",
    # Failed logins (allas.login_limits): the per-ip rate counts each source; the per-key
    # rate counts only wrong codes at the second step (key: the account), as a stranger
    # never gets there. Passwords are counted per address and source instead, and per
    # address from all sources with a growing wait, so that nobody can lock an account.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_from_source": "5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# The second factor (tvåstegsverifiering): every staff right needs a session that passed it
# (allas.permissions.is_staff_member; the admin sends staff to set it up or type the code,
# allas.middleware.StaffSecondFactorMiddleware), open to every resident at /konto/2fa/.
# Passkeys (inloggningsnycklar, WebAuthn) count as a second factor too. fido2 accepts
# http://localhost as an origin, so MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays off.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Allas Vimmerby"
MFA_RECOVERY_CODE_COUNT = 10
# One period either side: a phone's clock drifts, and typing the code takes a moment.
MFA_TOTP_TOLERANCE = 1
# The pages and form errors in the portal's own words (allas/mfa_adapter.py, allas/mfa_forms.py).
MFA_ADAPTER = "allas.mfa_adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "allas.mfa_forms.LoginCodeForm",
    "reauthenticate": "allas.mfa_forms.ReauthenticateCodeForm",
    "activate_totp": "allas.mfa_forms.ActivateAppForm",
    "add_webauthn": "allas.passkey_forms.AddPasskeyForm",
    "edit_webauthn": "allas.passkey_forms.EditPasskeyForm",
    "authenticate_webauthn": "allas.passkey_forms.LoginPasskeyForm",
}

# The client's address for rate limits. Behind the documented reverse proxy every request
# comes from the proxy, so one person could lock everyone out: the proxy's X-Forwarded-For
# is read instead, counting this many trusted proxies from the right, or a header the proxy
# sets itself (e.g. X-Real-IP). Both are off by default, so a forged header is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None

# Languages: Swedish first, English second. No language prefix in URLs.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
# WhiteNoise looks there at startup, collected or not.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (tests, a quick start) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=not DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Cache: Redis when there is one (rate limits then hold across processes), memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache may have a Redis of its own (a database or server with maxmemory and
# allkeys-lru), apart from the broker's, which must never evict (docs/performance.md,
# "Memory").
# Empty means the same Redis as REDIS_URL.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="") or REDIS_URL
# With Redis down or hung the cache degrades to no cache (allas.cache), so pages and rate
# limits answer on: each call waits at most these timeouts, once, and after a failure the
# process leaves Redis alone for a few seconds.
CACHES = {
    "default": (
        {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Whole public pages for visitors, kept until the content changes (allas.page_cache); this
# bounds only what time alone changes. Without Redis each process would keep its own
# pages and miss the others' changes, so the default there is off (0).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600 if CACHE_REDIS_URL else 0)

# E-mail. Every message goes through the outbox (allas.models.OutboundEmail); this is the
# transport the outbox delivers with. The default prints to the console.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F821
    # Printed as a person reads it, with the whole message kept under MAIL_PRINTER_DIR.
    EMAIL_BACKEND = "allas.mail_printer.EmailBackend"
MAIL_PRINTER_DIR = env.str("MAIL_PRINTER_DIR", default=str(BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Allas Vimmerby <noreply@vimmerby.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds between the retries of one delivery task (SMTP down, 4xx); then the row waits for
# the sweep, which tries it again after OUTBOX_SWEEP_RETRY_AFTER seconds, until it has had
# OUTBOX_MAX_ATTEMPTS attempts and has failed.
OUTBOX_RETRY_DELAYS = [
    int(s) for s in env.list("OUTBOX_RETRY_DELAYS", default=["30", "120", "600"])
]
OUTBOX_SWEEP_RETRY_AFTER = env.int("OUTBOX_SWEEP_RETRY_AFTER", default=900)
# A new row waits this long before the sweep may hand it out: its own task normally sends
# it long before.
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
# A row claimed by a worker that died is given to another after this many seconds.
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=300)
# A row still "sending" this long after its claim began has no live task (the task time
# limit below is shorter): the admin shows it as "may have been sent" until the claim ends.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=120)

# Celery. With no broker the tasks run in-process (the embedded default) and
# `manage.py run_periodic` runs the beat schedule's jobs.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is ever sent to it; naming it keeps kombu from warning on every task.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="allas")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues an e-mail must not wait long on a dead or hung broker: the row is
# already written, and the sweep hands it to a worker later (allas.tasks). One try: a
# retry would double the wait on a hung broker.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task not acknowledged (its worker died) goes back to the queue after this. The
    # outbox does not wait for it: the sweep re-sends a row once its claim has run out.
    "visibility_timeout": 3600,
    "socket_connect_timeout": env.float("BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("BROKER_SOCKET_TIMEOUT", default=1.0),
    # Every key in Redis starts with this, so that two portals (or two test runs) can
    # share one Redis database.
    "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
}
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "allas.tasks.outbox_sweep", "schedule": 120.0},
    "proposal-reminders": {"task": "proposals.tasks.send_proposal_reminders", "schedule": 900.0},
    "meeting-reminders": {"task": "meetings.tasks.send_meeting_reminders", "schedule": 300.0},
    # Each run sends the digests not yet sent this week; a key per person and week.
    "weekly-digest": {"task": "notifications.tasks.send_weekly_digests", "schedule": 900.0},
    # Deletes the personal data of dialogue meetings' sign-ups (DIALOGUE_SIGNUP_RETENTION_DAYS).
    "dialogue-retention": {
        "task": "meetings.tasks.remove_old_signup_data",
        "schedule": 3600.0,
    },
    # Deletes audit log entries older than AUDIT_RETENTION_DAYS.
    "audit-retention": {"task": "allas.tasks.remove_expired_audit_events", "schedule": 3600.0},
}

# How long the audit log (allas.models.AuditEvent) keeps who did what: three years by
# default, as the privacy notice says.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3 * 365)
if AUDIT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 1.")

# Network meeting reminders: to those who have not answered, this many days before the
# answer deadline; to those coming, this many days and hours before the start; to
# coordinators whose group has not reported, this many days before the report deadline.
MEETING_RSVP_REMINDER_DAYS = env.int("MEETING_RSVP_REMINDER_DAYS", default=3)
MEETING_REMINDER_DAYS_BEFORE = env.int("MEETING_REMINDER_DAYS_BEFORE", default=2)
MEETING_REMINDER_HOURS_BEFORE = env.int("MEETING_REMINDER_HOURS_BEFORE", default=3)
MEETING_REPORT_REMINDER_DAYS = env.int("MEETING_REPORT_REMINDER_DAYS", default=5)
# The groups' dialogue meetings: everyone signed up is reminded this many hours before the
# start (two days by default); the sign-ups of visitors without an account, and everyone's
# needs, are deleted this many days after the meeting (the count is kept).
DIALOGUE_REMINDER_HOURS = env.int("DIALOGUE_REMINDER_HOURS", default=48)
DIALOGUE_SIGNUP_RETENTION_DAYS = env.int("DIALOGUE_SIGNUP_RETENTION_DAYS", default=90)
# Sign-ups per address and per source (allauth's rate format: per key, per ip).
DIALOGUE_SIGNUP_RATE = env.str("DIALOGUE_SIGNUP_RATE", default="5/h/key,20/h/ip")
if DIALOGUE_REMINDER_HOURS < 1 or DIALOGUE_SIGNUP_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        "DIALOGUE_REMINDER_HOURS and DIALOGUE_SIGNUP_RETENTION_DAYS must be at least 1."
    )
# Proposals lifted to the municipality: the register (registratorn) gets each one by
# e-mail at this address (none is sent when it is empty), and staff register it with a case
# number that must match CASE_NUMBER_PATTERN (a regular expression; by default
# "KS 2026/123": the register's letters, the year, a number).
REGISTRY_EMAIL = env.str("REGISTRY_EMAIL", default="registrator@vimmerby.se")
CASE_NUMBER_PATTERN = env.str("CASE_NUMBER_PATTERN", default=r"^[A-ZÅÄÖ]{1,6} \d{4}/\d{1,6}$")
CASE_NUMBER_EXAMPLE = env.str("CASE_NUMBER_EXAMPLE", default="KS 2026/123")
try:
    re.compile(CASE_NUMBER_PATTERN)
except re.error as error:
    raise ImproperlyConfigured(
        f"CASE_NUMBER_PATTERN is not a regular expression: {error}"
    ) from None
# Calendar replies (iMIP): invitations name this address as ORGANIZER, so "Accept" in
# Outlook, Google or Apple Calendar is mailed here; the MTA pipes it to
# `manage.py receive_mail`, or `receive_mail --imap` fetches it from MEETING_IMAP_URL
# (imaps://user:password@host:993/INBOX).
MEETING_REPLY_EMAIL = env.str("MEETING_REPLY_EMAIL", default="natverksmote@vimmerby.se")
MEETING_IMAP_URL = env.str("MEETING_IMAP_URL", default="")

# Notifications: an unsubscribe link works this many days (an older one leads to the
# settings page); the List-Unsubscribe header's mailto: address, whose mail the MTA pipes to
# `manage.py receive_unsubscribe`; the weekly digest goes out from this weekday
# (0 = Monday) and hour, Stockholm time.
UNSUBSCRIBE_LINK_DAYS = env.int("UNSUBSCRIBE_LINK_DAYS", default=90)
UNSUBSCRIBE_MAILTO = env.str("UNSUBSCRIBE_MAILTO", default="avregistrera@vimmerby.se")
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
if UNSUBSCRIBE_LINK_DAYS < 1:
    raise ImproperlyConfigured("UNSUBSCRIBE_LINK_DAYS must be at least 1.")
if not 0 <= DIGEST_WEEKDAY <= 6:
    raise ImproperlyConfigured("DIGEST_WEEKDAY must be 0 (Monday) to 6 (Sunday).")
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("DIGEST_HOUR must be 0 to 23.")

# Each app's words, which the core labels without importing the app (allas.vocabulary):
# modules with its audit verbs, e-mail kinds and notice kinds. Notice kinds are asked for in
# this order on the notification settings page.
VOCABULARY_MODULES = [
    "allas.words",
    "notifications.words",
    "proposals.words",
    "groups.words",
    "meetings.words",
]

# Each app's events that notifications tells followers of: modules with EVENTS (the texts
# of each event) and the functions that build its notifications, and if the app keeps
# follows of its own, follows_summary(user) for the notification settings page. The
# notifications app knows no app above it; this list does.
NOTICE_MODULES = [
    "proposals.notices",
    "groups.notices",
    "meetings.notices",
]

# Each app's part of a register extract and of deleting an account: modules with
# export(user), refuse_erase(user) and erase(user). The core knows no app; this list does.
PERSONAL_DATA_MODULES = [
    "groups.personal_data",
    "proposals.personal_data",
    "meetings.personal_data",
    "notifications.personal_data",
]

# Each app's part of the portal's search (/sok/), in the order the page shows them:
# modules with search(*, query, terms, user, limit). The core searches the orter itself.
SEARCH_MODULES = [
    "proposals.search",
    "groups.search",
    "meetings.search",
    "meetings.dialogue.search",
    "allas.search",
]

# What the apps above groups link to an action of a plan, shown on the plan's page and in
# its open data: modules with attach(actions), which give each action what links to it.
# Groups imports none of them; this list names them.
ACTION_LINK_MODULES = ["proposals.action_links"]

# What the apps beside meetings link to a group's dialogue meeting, shown on its page:
# modules with attach(meetings), which give each meeting meeting.raised_proposals.
# Meetings imports none of them; this list names them.
DIALOGUE_PROPOSAL_MODULES = ["proposals.meeting_links"]

# Each app's part of the year's account (/uppfoljning/<year>/), in the order the page shows
# them: modules with part(year) and data_years() (allas.year_account.parts). The core
# draws and exports what they give; it imports none of them.
YEAR_ACCOUNT_MODULES = ["groups.year_account", "proposals.year_account", "meetings.year_account"]

# The municipality's contact details: the non-digital route shown in every page's footer.
MUNICIPALITY = {
    "name": env.str("MUNICIPALITY_NAME", default="Vimmerby kommun"),
    "department": env.str("MUNICIPALITY_DEPARTMENT", default="Utvecklingsavdelningen"),
    "phone": env.str("MUNICIPALITY_PHONE", default="0492-76 90 00"),
    "email": env.str("MUNICIPALITY_EMAIL", default="kommun@vimmerby.se"),
    "postal_address": env.str("MUNICIPALITY_POSTAL_ADDRESS", default="Box 164, 598 22 Vimmerby"),
    "visiting_address": env.str("MUNICIPALITY_VISITING_ADDRESS", default="Stadshuset, Vimmerby"),
    "dpo_email": env.str("MUNICIPALITY_DPO_EMAIL", default="dataskyddsombud@vimmerby.se"),
}

# Security. Production values are the defaults; DEBUG relaxes what needs HTTPS.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
# Django's database sessions, read with a statement written once (allas.sessions).
SESSION_ENGINE = "allas.sessions"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script, no inline style, nothing from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# Browser features the portal never uses, off for it and anything it could be made to embed.
# Passkeys (publickey-credentials-*) stay allowed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "allas.views.csrf_failure"
