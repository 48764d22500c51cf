"""Diacritics-insensitive search keys (DOMAIN.md: `thuan` finds `Thuận`, `duc` finds `Đức`)."""

import pytest

from vietnam.text import fold, search_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("THUẬN", "thuan"),
        ("Thuận", "thuan"),
        ("đường Hùng Vương", "duong hung vuong"),
        ("Bắc Kạn", "bac kan"),
        ("Phường Phùng Chí Kiên", "phuong phung chi kien"),
        ("ĐẶNG THỊ Ơ Ư", "dang thi o u"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_drops_diacritics_and_case(text, expected):
    assert fold(text) == expected


def test_fold_handles_precomposed_and_decomposed_input_alike():
    precomposed = "Nguyễn"
    decomposed = "Nguye\u0302\u0303n"
    assert precomposed != decomposed
    assert fold(precomposed) == fold(decomposed) == "nguyen"


def test_fold_collapses_and_trims_whitespace():
    assert fold("  Nguyễn \t Văn\n\nĐức  ") == "nguyen van duc"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_fold_of_nothing_is_empty(empty):
    assert fold(empty) == ""


def test_search_key_joins_folded_parts_and_skips_empty_ones():
    assert search_key("Nguyễn Văn Thuận", None, "", "0912345678", "Đức") == (
        "nguyen van thuan 0912345678 duc"
    )


def test_search_key_of_nothing_is_empty():
    assert search_key() == ""
    assert search_key(None, "") == ""


def test_folded_query_is_found_in_the_folded_text():
    key = search_key("Nguyễn Văn Đức", "Phường Bắc Kạn, Thái Nguyên")
    for query in ("duc", "Đức", "bac kan", "THÁI NGUYÊN"):
        assert fold(query) in key
