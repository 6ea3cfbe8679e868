"""Phones, e-mails, websites and the e-mail privacy rule, on values of the bundled sources."""

import pytest

from ess_assets.normalise.contact import (
    clean_email,
    clean_website,
    is_consumer_domain,
    is_personal_email,
    phone_e164,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04 35 05 32 58", "+33435053258"),  # GEIQ 69
        ("0471767497", "+33471767497"),  # ASP, COTIERE AVENIR
        ("04.71.76.74.97", "+33471767497"),
        ("+33 4 71 76 74 97", "+33471767497"),
        ("+33 (0)4 71 76 74 97", "+33471767497"),
        ("06 14 01 98 46", "+33614019846"),  # GEIQ, a mobile
        ("04 00 82 35 65", None),  # GEIQ ADRIAL: 04 00 is not an assigned French range
        ("0471", None),
        ("not a phone", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_e164(raw, expected):
    assert phone_e164(raw) == expected


def test_phone_e164_other_region():
    assert phone_e164("022 123 45 67", region="CH") == "+41221234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("compta@cotiere-avenir.fr", "compta@cotiere-avenir.fr"),  # ASP
        (" Julie.Leroy@AG2I.org ", "julie.leroy@ag2i.org"),
        ("mailto:contact@adrial.org", "contact@adrial.org"),
        ("contact@adrial.org; direction@adrial.org", "contact@adrial.org"),
        ("pas d'adresse; contact@adrial.org", "contact@adrial.org"),
        ("contact@adrial", None),
        ("contact.@@adrial.org", None),
        ("contact..lyon@adrial.org", None),
        ("contact adrial.org", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_email(raw, expected):
    assert clean_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www.example.org", "https://www.example.org"),
        ("http://www.Example.org/Page", "http://www.example.org/Page"),
        ("HTTPS://envie.org", "https://envie.org"),
        ("  envie.org/rhone  ", "https://envie.org/rhone"),
        ("//envie.org", "https://envie.org"),
        ("contact@envie.org", None),
        ("non communiqué", None),
        ("localhost", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_website(raw, expected):
    assert clean_website(raw) == expected


@pytest.mark.parametrize(
    ("email", "personal"),
    [
        ("contact@adrial.org", False),  # GEIQ ADRIAL
        ("direction@geiqadi.fr", False),  # GEIQ ADI ALPIN
        ("compta@cotiere-avenir.fr", False),  # ASP, COTIERE AVENIR
        ("aci@vetcoeur.fr", False),  # ASP, VET COEUR
        ("contact.lyon@example.org", False),
        ("accueil-69@example.org", False),
        ("secretariat_general@example.org", False),
        ("contactlyon@example.org", False),
        ("info@gmail.com", False),  # a role address stays a role address at a consumer host
        ("cotiere-avenir@cotiere-avenir.fr", False),  # the organisation's own name
        ("julie.leroy@ag2i.org", True),  # ASP, AINTERIM'AIR
        ("ibernard@geinserim.fr", True),  # GEIQ 69
        ("nicolas.leroy@orange.fr", True),  # ASP, ASSOC REAGIR
        ("jdupont69@example.org", True),
        ("comptoir.marie@example.org", True),  # 'comptoir' is no role word
        ("not an address", True),
        (None, True),
    ],
)
def test_is_personal_email(email, personal):
    assert is_personal_email(email) is personal


@pytest.mark.parametrize(
    ("domain", "consumer"),
    [
        ("gmail.com", True),
        ("orange.fr", True),
        ("Wanadoo.fr", True),
        ("hotmail.fr", True),
        ("outlook.com", True),
        ("yahoo.co.uk", True),
        ("@laposte.net", True),
        ("ag2i.org", False),
        ("laposte.fr", False),  # La Poste the company, not its consumer mailbox
        ("", False),
        (None, False),
    ],
)
def test_is_consumer_domain(domain, consumer):
    assert is_consumer_domain(domain) is consumer
