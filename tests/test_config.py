import pytest

from fmnist.config import PRESETS, RunConfig


def test_the_defaults_are_the_lessons_model():
    config = RunConfig()
    assert (config.arch, config.hidden_units, config.activation) == ("mlp", (128,), "relu")
    assert (config.optimizer, config.batch_size, config.epochs, config.normalize) == ("adam", 32, 5, True)
    assert config.dropout == 0.0


def test_the_lessons_model_has_101770_parameters():
    # 784*128 + 128 + 128*10 + 10, as model.summary() shows in the lesson
    assert RunConfig().params == 101_770


def test_the_lesson_cnn_is_two_convolutions_with_dropout_for_ten_epochs():
    config = RunConfig.lesson_cnn()
    assert (config.arch, config.dropout, config.epochs) == ("cnn", 0.3, 10)


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"arch": "rnn"}, "arch must be one of"),
        ({"activation": "swish"}, "activation must be one of"),
        ({"optimizer": "adagrad"}, "optimizer must be one of"),
        ({"hidden_units": ()}, "at least one hidden layer"),
        ({"dropout": 1.0}, "dropout"),
        ({"epochs": 0}, "at least 1"),
        ({"learning_rate": 0}, "learning rate"),
    ],
)
def test_impossible_settings_are_refused_with_a_reason(changes, problem):
    with pytest.raises(ValueError, match=problem):
        RunConfig(**changes)


def test_descriptions_name_what_differs_from_the_lesson():
    assert RunConfig().describe() == "MLP 128 relu, 5 epochs"
    assert RunConfig(epochs=1, normalize=False).describe() == "MLP 128 relu, 1 epoch, raw pixels"
    assert RunConfig(hidden_units=(128, 128), epochs=10).describe() == "MLP 128-128 relu, 10 epochs"


def test_settings_survive_a_round_trip_through_a_dict():
    config = RunConfig(hidden_units=[64, 32], dropout=0.2, optimizer="sgd")
    assert RunConfig.from_dict(config.to_dict()) == config
    assert config.hidden_units == (64, 32)  # lists become tuples: settings stay hashable


def test_a_changed_preset_lists_each_change_in_words():
    lesson = PRESETS["The lesson"]
    assert lesson.changes_from(lesson) == []
    assert RunConfig(epochs=3).changes_from(PRESETS["1 epoch"]) == ["epochs 1 → 3"]
    assert RunConfig(hidden_units=(64, 64)).changes_from(lesson) == ["model MLP 128 relu → MLP 64-64 relu"]
    assert PRESETS["CNN"].with_(activation="tanh").changes_from(PRESETS["CNN"]) == [
        "model CNN 64-64 conv → CNN 64-64 conv tanh"
    ]
    assert RunConfig(normalize=False, seed=7).changes_from(lesson) == ["pixels 0..1 → raw 0..255", "seed 0 → 7"]


def test_a_run_table_row_shows_every_setting_in_full():
    columns = PRESETS["CNN for photos"].with_(optimizer="sgd", learning_rate=0.01, batch_size=64).columns()
    assert columns == {
        "model": "CNN 64-64 conv",
        "epochs": "10",
        "pixels": "0..1",
        "augment": "on",
        "dropout": "0.3",
        "optimizer": "sgd 0.01",
        "batch": "64",
        "seed": "0",
    }


def test_every_experiment_says_what_to_notice_and_is_recognised_whatever_its_seed():
    from fmnist.config import PRESETS, WHAT_TO_NOTICE, preset_of

    assert set(WHAT_TO_NOTICE) == set(PRESETS)
    assert preset_of(PRESETS["512 hidden units"].with_(seed=7)) == "512 hidden units"
    assert preset_of(RunConfig(epochs=3)) is None
