"""French company identifiers and e-mail domains, as the applications check them.

- SIREN: 9 digits, SIRET: 14 digits (the SIREN and a 5-digit establishment number), both
  with a Luhn check digit. La Poste's establishments (SIREN 356000000) are the one known
  exception: their SIRET's digits add up to a multiple of 5 instead (INSEE).
- Spaces and dots people type between groups of digits are ignored.
"""

import re

LA_POSTE_SIREN = "356000000"
NOT_DIGITS = re.compile(r"[\s.\-\u00a0]")


def normalise(value: str) -> str:
    return NOT_DIGITS.sub("", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def identifier_problem(value: str) -> str | None:
    """None when ``value`` is a well-formed SIREN or SIRET, else "format" or "checksum"."""
    digits = normalise(value)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (9, 14):
        return "format"
    if len(digits) == 14 and digits.startswith(LA_POSTE_SIREN):
        # Either rule: the head office's SIRET follows Luhn, the others the sum of digits.
        if luhn_valid(digits) or sum(int(c) for c in digits) % 5 == 0:
            return None
        return "checksum"
    if not luhn_valid(digits):
        return "checksum"
    if len(digits) == 14 and not luhn_valid(digits[:9]):
        return "checksum"
    return None


def siren_of(value: str) -> str:
    """The SIREN (9 digits) of a SIREN or SIRET."""
    return normalise(value)[:9]


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


def website_domain(url: str) -> str:
    """The host of a URL without "www.", lower case ("" when there is none)."""
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#@]+)", (url or "").strip(), re.IGNORECASE)
    host = match.group(1).lower() if match else ""
    return host.removeprefix("www.")


def same_organisation_domain(email: str, website: str) -> bool:
    """The address is on the website's domain or one of its sub-domains (or the other way)."""
    mail, site = email_domain(email), website_domain(website)
    if not mail or not site:
        return False
    return mail == site or mail.endswith("." + site) or site.endswith("." + mail)
