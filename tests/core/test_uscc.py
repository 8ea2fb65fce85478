import pytest

from guanwu.tenancy.validators import ciq_code_error, customs_code_error, uscc_check_char, uscc_error


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example of GB 32100-2015
        "91440300708461136T",  # a real registered company
        "91610131MA6TX0001" + uscc_check_char("91610131MA6TX0001"),
    ],
)
def test_valid_credit_codes(code):
    assert uscc_error(code) is None
    assert uscc_error(code.lower()) is None  # entered in lower case


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位错误,第18位应为 3"),
        ("91440300708461136X", "校验位错误,第18位应为 T"),
        ("9144030070846113", "应为18位"),
        ("", "应为18位"),
        ("91350100M000100YO3", "非法字符"),  # O is not in the alphabet
        ("9135010OM000100Y43", "非法字符"),  # the region part must be digits
    ],
)
def test_invalid_credit_codes_name_the_problem(code, message):
    assert message in uscc_error(code)


def test_check_char_of_every_alphabet_position_round_trips():
    base = "91350100M000100Y"
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        first17 = base + ch
        assert uscc_error(first17 + uscc_check_char(first17)) is None


def test_customs_and_ciq_codes():
    assert customs_code_error("6101930001") is None
    assert customs_code_error("610193000") == "海关编码应为10位数字或大写字母"
    assert ciq_code_error("") is None
    assert ciq_code_error("61006000x1") == "检验检疫代码应为10位数字"
