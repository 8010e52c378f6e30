"""User-supplied names reach the page as plain text."""

import pytest

from ui.text import WORD_JOINER, plain


@pytest.mark.parametrize("name", ["IMG_2031 (1).jpg", "**bold**.png", ":red[alarm].png", "$x^2$.png", "<b>x</b>.keras"])
def test_a_name_loses_none_of_its_characters(name):
    shown = plain(name).replace("\\", "").replace(WORD_JOINER, "")
    assert shown == name


def test_no_markdown_mark_is_left_unescaped():
    escaped = plain("**x** ![p](http://h/p.png) [l](www.x.com) `c` :red[r] $m$")
    for mark in "*![]()`$":
        assert escaped.count(mark) == escaped.count("\\" + mark)


def test_addresses_are_broken_up_so_nothing_reads_as_a_link():
    escaped = plain("see http://127.0.0.1/p.png or www.example.com")
    assert "://" not in escaped.replace("\\", "") and "www." not in escaped.replace("\\", "")


def test_a_name_stays_on_one_line():
    assert "\n" not in plain("two\nlines")
