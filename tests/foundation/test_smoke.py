import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk"])
def test_home_page_answers_in_every_language(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()
