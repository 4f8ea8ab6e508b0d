"""The outsider's pass (docs/check.md): its messages, and the probabilities a metric is fed."""

import re

import numpy as np

import chainrule as cr
from chainrule.check import messages_calls
from chainrule.check.messages import LANGS
from chainrule.check.reference_scores import probabilities


def test_every_new_message_is_in_both_languages_and_the_japanese_is_japanese():
    for table in (messages_calls.DIAGNOSES, messages_calls.HINTS):
        for key, texts in table.items():
            assert set(texts) == set(LANGS), key
            assert re.search(r"[\u3040-\u30ff]", texts["ja"]), key
            assert not re.search(r"[\u3040-\u30ff]", texts["en"]), key


def test_the_probabilities_keep_each_class_and_never_sit_on_the_threshold():
    classes = np.array([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0], [1.0], [0.0]])
    p = probabilities(classes)
    assert p.shape == classes.shape
    assert np.array_equal(p > 0.5, classes == 1)
    assert np.all(np.abs(p - 0.5) > 0.09) and np.all((p > 0) & (p < 1))


def test_a_metric_that_raises_on_probabilities_is_reported_with_its_line():
    def accuracy(pred, t):
        return np.mean(np.array(pred, dtype=np.int64, casting="safe") == t)

    result = cr.check(accuracy, like="accuracy")
    assert result.diagnoses == {"accuracy": "raised"}, str(result)
    assert "Traceback" not in str(result)
