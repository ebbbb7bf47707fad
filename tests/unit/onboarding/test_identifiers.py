"""SIREN / SIRET format and Luhn key, and the e-mail's domain against the website's."""

import pytest

from onboarding.identifiers import (
    identifier_problem,
    same_organisation_domain,
    siren_of,
    website_domain,
)


@pytest.mark.parametrize(
    "value",
    [
        "732829320",  # a real SIREN
        "732 829 320",  # typed with spaces
        "73282932000074",  # its head office's SIRET
        "732.829.320.00074",
        "35600000000048",  # La Poste's head office (Luhn)
        "35600000049837",  # a La Poste establishment: digits add up to a multiple of 5
    ],
)
def test_well_formed_identifiers_pass(value):
    assert identifier_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "format"),
        ("12345", "format"),
        ("7328293201", "format"),  # 10 digits
        ("73282932A", "format"),
        ("７３２８２９３２０", "format"),  # full-width digits are not ASCII
        ("732829321", "checksum"),  # one digit off
        ("73282932000075", "checksum"),
        ("12345678000006", "checksum"),  # the SIRET's own key works, not its SIREN's
        ("35600000049838", "checksum"),
    ],
)
def test_malformed_identifiers_say_why(value, problem):
    assert identifier_problem(value) == problem


def test_siren_of_a_siret():
    assert siren_of("732 829 320 00074") == "732829320"


@pytest.mark.parametrize(
    ("email", "website", "expected"),
    [
        ("marie@exemple.fr", "https://www.exemple.fr/", True),
        ("marie@rh.exemple.fr", "https://exemple.fr", True),
        ("marie@EXEMPLE.FR", "http://exemple.fr:8080/x", True),
        ("marie@gmail.com", "https://exemple.fr", False),
        ("marie@exemple.fr.evil.com", "https://exemple.fr", False),
        ("marie@notexemple.fr", "https://exemple.fr", False),
        ("", "https://exemple.fr", False),
        ("marie@exemple.fr", "", False),
    ],
)
def test_same_organisation_domain(email, website, expected):
    assert same_organisation_domain(email, website) is expected


def test_website_domain():
    assert website_domain("https://www.Exemple.fr/page?x=1") == "exemple.fr"
    assert website_domain("pas une adresse") == ""
