from allas.templatetags.portal_text import breakable_email


def test_an_email_address_may_break_only_after_its_at_and_before_its_dots():
    assert breakable_email("anna.berg@vimmerby.se") == "anna<wbr>.berg@<wbr>vimmerby<wbr>.se"


def test_what_is_not_an_address_stays_escaped():
    assert breakable_email("<b>@x") == "&lt;b&gt;@<wbr>x"
    assert breakable_email(None) == ""
