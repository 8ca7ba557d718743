"""A group of radio buttons is one question: a fieldset with a legend, and its error told
for the whole group, under the legend, not beside the last option."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_join_forms_missing_choice_is_told_for_the_whole_group(client, resident):
    client.force_login(resident)
    response = client.post("/orter/storebro/bli-medlem/", {"age_band": "not_stated"})
    html = response.content.decode()
    fieldset = re.search(r"<fieldset[^>]*>(.*?)</fieldset>", html, re.S)
    assert fieldset and 'aria-describedby="id_sector_helptext id_sector_error"' in fieldset[0]
    body = fieldset[1]
    legend_end = body.index("</legend>")
    error = body.index('id="id_sector_error"')
    first_option = body.index('class="form-check"')
    # Under the legend, before the first option: not inside any option's box.
    assert legend_end < error < first_option
    assert "Fyll i fältet." in body[error:first_option]
    assert body.count('id="id_sector_error"') == 1
