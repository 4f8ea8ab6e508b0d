"""A sigmoid that loops a billion times per element: only slow, but far past the limit."""

import numpy as np


def sigmoid(x):
    out = np.empty_like(x)
    for index, value in np.ndenumerate(x):
        total = 0.0
        for _ in range(1_000_000_000):
            total += 1e-9
        out[index] = total / (1 + np.exp(-value))
    return out


EXPECT = {
    "subject": "sigmoid",
    "like": "sigmoid",
    "ok": False,
    "time_limit": 1,
    "en": "did not finish within 1 s, so check(",
    "diagnoses": {"sigmoid": "timed_out"},
    "ja": "1 秒たっても終わらなかったので、check() が止めました（無限ルー",
}
