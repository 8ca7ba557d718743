"""Words the portal's Swedish never uses, for the tests that read it."""

import re

# The portal's "never" list, and the words it replaces that allauth and Django
# would otherwise bring in ("verifiera", "tvåfaktorsautentisering", "MFA").
NEVER = [
    r"\bvänligen\b",
    r"\bklicka här\b",
    r"\bepost",
    r"\be-mail",
    r"(?<![@./\w])mail\b",
    r"\bmailet\b",
    r"\bsubmit\b",
    r"\bcancel\b",
    r"\bsave\b",
    r"\bedit\b",
    r"\bdelete\b",
    r"\blogin\b",
    r"\blogout\b",
    r"\bdashboard\b",
    r"\bfeedback\b",
    r"\bevent\b",
    r"\buser\b",
    r"\bN/A\b",
    r"---------",
    r"\bverifier",
    r"\b2FA\b",
    r"\bMFA\b",
    r"tvåfaktor",
    r"multifaktor",
    # Django's own Swedish for its form errors, password rules and admin, which the
    # portal says in its own words (allas/django_texts.py).
    r"detta fält måste fyllas i",
    r"\bvar god\b",
    r"kontrollera att detta värde",
    r"säkerställ att detta värde",
    r"alltför likt",
    r"kan inte bara vara numeriskt",
    r"lägg till ytterligare",
    r"\badministration av\b",
    r"\bauthenticators\b",
    r"\bhuvudsaklig",
    r"gör till huvudsaklig",
    # Jargon residents should not have to know: a feed or a calendar file is explained in
    # words ("Prenumerera i din nyhetsläsare", "Lägg in i din kalender").
    r"atom-flöde",
    r"\(\.ics\)",
    r"\(json\)",
    r"\bmejl",
    # The answer or the step someone took, not a bureaucratic "ärende-ID".
    r"ärende-id",
    r"\beskalera",
]


def never_words(text: str) -> list[str]:
    return [word for word in NEVER if re.search(word, text, flags=re.IGNORECASE)]
