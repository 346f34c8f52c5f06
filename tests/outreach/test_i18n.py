"""UI translations: the compiled catalogues are served by Django, and no translation breaks a
placeholder. (scripts/setup.sh compiles locale/ with pybabel before the suite runs.)"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\{\s*\w+\s*\}\}")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pcm", "E pass di care check"), ("fr", "Passe le contrôle de bienveillance"), ("es", "Supera la revisión de cuidado")],
)
def test_django_serves_the_translation(language, expected):
    with translation.override(language):
        assert translation.gettext("Passes the care check") == expected


@pytest.mark.django_db
def test_pages_follow_the_chosen_language(client, agent):
    client.force_login(agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pcm"
    page = client.get(reverse("outreach:template-list")).content.decode()
    assert "Wetin e dey for" in page  # "Purpose" in Pidgin
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Modèles de message" in client.get(reverse("outreach:template-list")).content.decode()


@pytest.mark.parametrize("language", ["en", "pcm", "fr", "es"])
def test_catalogue_placeholders_match(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        # A plural entry's string is a tuple of forms; it is untranslated when every form is empty.
        targets = [message.string] if isinstance(message.string, str) else list(message.string)
        if not message.id or not any(targets):
            continue
        sources = [message.id] if isinstance(message.id, str) else [message.id[0]] + [message.id[1]] * (len(targets) - 1)
        for source, target in zip(sources, targets, strict=True):
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source
