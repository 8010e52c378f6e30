"""The Keras code for a run's settings, written the way the lesson writes it.

`keras_code(config)` is a script a learner can paste into a notebook: the lesson's
`tfds.load`, `Sequential([...])`, `compile`, `fit` and `evaluate`, with every setting the app's
controls changed. It builds the same layers, with the same parameter count, as the app's
model (fmnist.model); it scales pixels in the data pipeline, as the lesson does, where the app
keeps that step inside the model. No Streamlit here.
"""

from __future__ import annotations

from fmnist.config import AUGMENT_SHIFT, AUGMENT_TURN, AUGMENT_ZOOM, CNN_FILTERS, RunConfig

IMPORTS = "import math\n\nimport tensorflow as tf\nimport tensorflow_datasets as tfds\n"

DATA = """\
dataset, metadata = tfds.load('fashion_mnist', as_supervised=True, with_info=True)
train_dataset, test_dataset = dataset['train'], dataset['test']
num_train_examples = metadata.splits['train'].num_examples
num_test_examples = metadata.splits['test'].num_examples
"""

NORMALISE = """
def normalize(images, labels):
    images = tf.cast(images, tf.float32)
    images /= 255  # pixels from 0..255 to [0, 1]
    return images, labels

train_dataset = train_dataset.map(normalize)
test_dataset = test_dataset.map(normalize)
"""

RAW = """
def as_float(images, labels):
    return tf.cast(images, tf.float32), labels  # pixels stay 0..255: the 'no normalisation' experiment

train_dataset = train_dataset.map(as_float)
test_dataset = test_dataset.map(as_float)
"""

OPTIMIZER_CLASSES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}
DEFAULT_RATE = {"adam": 0.001, "sgd": 0.01, "rmsprop": 0.001}  # Keras' own, for which the name alone is enough


def model_code(config: RunConfig) -> str:
    """`model = tf.keras.Sequential([...])` and `model.compile(...)` for the config."""
    layers = ["tf.keras.Input(shape=(28, 28, 1))"]
    if config.augment:
        layers += [
            "tf.keras.layers.RandomFlip('horizontal')",
            f"tf.keras.layers.RandomRotation({AUGMENT_TURN:g}, fill_mode='constant')",
            f"tf.keras.layers.RandomTranslation({AUGMENT_SHIFT:g}, {AUGMENT_SHIFT:g}, fill_mode='constant')",
            f"tf.keras.layers.RandomZoom(({-AUGMENT_ZOOM:g}, {AUGMENT_ZOOM:g}), fill_mode='constant')",
        ]
    activation = f"tf.nn.{config.activation}"
    if config.arch == "cnn":
        for filters in CNN_FILTERS:
            layers += [
                f"tf.keras.layers.Conv2D({filters}, (3, 3), activation={activation})",
                "tf.keras.layers.MaxPooling2D((2, 2))",
            ]
        layers.append("tf.keras.layers.Flatten()")
        if config.dropout:
            layers.append(f"tf.keras.layers.Dropout({config.dropout:g})")
    else:
        layers.append("tf.keras.layers.Flatten()")
        for units in config.hidden_units:
            layers.append(f"tf.keras.layers.Dense({units}, activation={activation})")
            if config.dropout:
                layers.append(f"tf.keras.layers.Dropout({config.dropout:g})")
    layers.append("tf.keras.layers.Dense(10, activation=tf.nn.softmax)")
    listed = "".join(f"    {layer},\n" for layer in layers)
    return (
        f"model = tf.keras.Sequential([\n{listed}])\n\n"
        f"model.compile(optimizer={_optimizer(config)},\n"
        "              loss='sparse_categorical_crossentropy',\n"
        "              metrics=['accuracy'])\n"
    )


def _optimizer(config: RunConfig) -> str:
    if config.learning_rate == DEFAULT_RATE[config.optimizer]:
        return repr(config.optimizer)
    return f"tf.keras.optimizers.{OPTIMIZER_CLASSES[config.optimizer]}(learning_rate={config.learning_rate:g})"


def training_code(config: RunConfig) -> str:
    """The lesson's batching, `fit` and `evaluate`, with the config's batch size and epochs."""
    return (
        f"BATCH_SIZE = {config.batch_size}\n"
        "train_dataset = train_dataset.cache().repeat().shuffle(num_train_examples).batch(BATCH_SIZE)\n"
        "test_dataset = test_dataset.cache().batch(BATCH_SIZE)\n\n"
        f"model.fit(train_dataset, epochs={config.epochs}, "
        "steps_per_epoch=math.ceil(num_train_examples / BATCH_SIZE))\n\n"
        "test_loss, test_accuracy = model.evaluate(test_dataset, steps=math.ceil(num_test_examples / BATCH_SIZE))\n"
        "print('Accuracy on test dataset:', test_accuracy)\n"
    )


def keras_code(config: RunConfig) -> str:
    """The whole script: imports, data, model, training, evaluation."""
    note = (
        "# The app also adds copies of some training pictures drawn as outlines, as people draw them\n"
        "# (fmnist/augment.py); this script trains on the dataset's pictures alone.\n"
        if config.augment
        else ""
    )
    seed = note + f"tf.keras.utils.set_random_seed({config.seed})  # the same starting weights and order each time\n"
    return "\n".join(
        [
            f"# {config.describe()}: the Fashion-MNIST explorer's settings as the lesson's code",
            IMPORTS,
            seed,
            DATA + (NORMALISE if config.normalize else RAW),
            model_code(config),
            training_code(config),
        ]
    )
