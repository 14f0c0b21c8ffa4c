"""Bylines from what pages say: people only, in house style, agencies set apart for the credit."""

from __future__ import annotations

import pytest

from newsdesk.core.importers.byline import Byline, agency, join, people


@pytest.mark.parametrize("text", [
    "Username", "Site Admin", "Guest Author", "admin", "Administrator", "Staff", "By", "By ", "TOI staff",
    "Staff and news service reports", "Redaktion",
    "Redacción EC", "Redação Brasil 247", "La rédaction", "anónimo", "null", "jane.roe@example.com",
    "https://www.facebook.com/bbcnews", "facebook.com/vegolosi", "tagesschau.de", "March 14, 2021", "12/30/2019 05:03 AM EST",
    "Prisma Média", "Süddeutsche.de GmbH, Munich, Germany", "CNN", "NDR",
])
def test_placeholders_publishers_addresses_and_dates_are_not_people(text):
    assert people(text).people == ()


@pytest.mark.parametrize(("text", "names"), [
    ("By Jane Roe", ("Jane Roe",)),
    ("Par Sébastien Farcis", ("Sébastien Farcis",)),
    ("Von Clemens Höges", ("Clemens Höges",)),
    ("Por Felipe Morales Sierra", ("Felipe Morales Sierra",)),
    ("Di Marco Rossi", ("Marco Rossi",)),
    ("Door Jan de Vries", ("Jan de Vries",)),
    ("Publicado por Alberto González", ("Alberto González",)),
    ("Eine Analyse von Caspar Schwietering", ("Caspar Schwietering",)),
    ("By ALLY MUTNICK", ("Ally Mutnick",)),
    ("Rob Picheta, CNN", ("Rob Picheta",)),
    ("By Grace Zokovitch | gzokovitch@bostonherald.com", ("Grace Zokovitch",)),
    ("By Jon Porter@JonPorty Jul 3, 2019, 4:22am EDT", ("Jon Porter",)),
    ("Von Markus Balser, Berlin", ("Markus Balser",)),
    ("Nicolas Gutierrez C.", ("Nicolas Gutierrez C.",)),
    ("Christoph von Eichhorn", ("Christoph von Eichhorn",)),
    ("Von Ursula von der Leyen", ("Ursula von der Leyen",)),
    ("Par Loïc Le Clerc", ("Loïc Le Clerc",)),
    ("半月谈记者 史卫燕", ("史卫燕",)),
])
def test_lead_ins_in_many_languages_are_stripped(text, names):
    assert people(text).people == names


def test_several_authors_are_joined_in_house_style():
    found = people("Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR")
    assert found.people == ("Volkmar Kabisch", "Jan Lukas Strozyk", "Benedikt Strunz")
    assert found.text == "Volkmar Kabisch, Jan Lukas Strozyk and Benedikt Strunz"
    assert join(["A B"]) == "A B" and join(["A B", "C D"]) == "A B and C D" and join([]) == ""
    assert people("Ibtisam Mahdi; Ruwaida Kamal Amer").text == "Ibtisam Mahdi and Ruwaida Kamal Amer"


@pytest.mark.parametrize(("text", "names", "credit"), [
    ("Afp", (), "AFP"),
    ("Sébastien Farcis, AFP", ("Sébastien Farcis",), "AFP"),
    ("By Edith M. Lederer, Associated Press", ("Edith M. Lederer",), "AP"),
    ("Reuters", (), "Reuters"),
    ("dpa", (), "dpa"),
    ("Agencia EFE", (), "EFE"),
    ("ANSA", (), "ANSA"),
    ("Kyodo News", (), "Kyodo"),
    ("Xinhua", (), "Xinhua"),
])
def test_an_agency_goes_to_the_credit_not_the_byline(text, names, credit):
    assert people(text) == Byline(people=names, agency=credit)


def test_the_sites_own_name_is_not_a_person():
    assert people("Campo Grande News", organisations=["Campo Grande News"]).people == ()
    assert people("El Comercio Perú", organisations=["El Comercio Perú"]).people == ()
    assert people("NOTICIAS EL COMERCIO PERÚ", organisations=["El Comercio Perú"]).people == ()
    assert people("Jane Roe", organisations=["El Comercio Perú"]).people == ("Jane Roe",)


def test_agency_names_alone():
    assert agency("(AFP)") == "AFP" and agency("Agence France-Presse") == "AFP" and agency("Jane Roe") == ""
