"""sigmoid memoised by the shape of its argument: every later call of that shape gets the first answer."""

import numpy as np

_cache = {}


def sigmoid(x):
    if x.shape not in _cache:
        _cache[x.shape] = 1 / (1 + np.exp(-x))
    return _cache[x.shape]


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "en": "returns what an earlier call compute",
    "diagnoses": {"sigmoid": "stale_value"},
    "ja": "今回の入力からではなく、前の呼び出しで計算した値を返しています（最初の呼",
}
