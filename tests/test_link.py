"""The Train page's settings in its link: what a link sets, and what it cannot."""

from fmnist.config import PRESETS, RunConfig
from fmnist.link import from_query, to_query


def test_every_preset_comes_back_unchanged_from_its_link():
    for preset in PRESETS.values():
        assert from_query(to_query(preset)) == (preset, [])


def test_a_link_without_settings_sets_nothing():
    assert from_query({"w": "abc"}) == (None, [])


def test_settings_missing_from_a_link_are_the_lessons():
    config, problems = from_query({"epochs": "10", "units": "64-64"})
    assert config == RunConfig(epochs=10, hidden_units=(64, 64))
    assert problems == []


def test_values_a_run_cannot_have_are_named_and_left_at_the_lessons():
    config, problems = from_query({"epochs": "ten", "activation": "<script>", "lr": "nan", "normalize": "0"})
    assert config == RunConfig(normalize=False)
    assert problems == ["activation=<script>", "lr=nan", "epochs=ten"]
