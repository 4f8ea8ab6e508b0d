"""What check() says about slips_values.py's slips and the exercises after the layers (metrics,
least squares, LogSoftmax + NLL), in English and Japanese. Merged into messages.py's tables."""

from __future__ import annotations

DIAGNOSES: dict[str, dict[str, str]] = {
    "integer_result": {
        "en": "returns whole numbers where fractions are meant: the values were cut to integers",
        "ja": "小数になるべき値が整数に切り捨てられています",
    },
    "stale_value": {
        "en": "returns what an earlier call computed, not what this call's inputs give "
        "(a value kept from the first call and never computed again)",
        "ja": "今回の入力からではなく、前の呼び出しで計算した値を返しています"
        "（最初の呼び出しの値を保存したまま、計算し直していません）",
    },
    "forward_remembers": {
        "en": "returns other values when called twice with the same inputs: it depends on an "
        "earlier call (a running total or a value kept in self)",
        "ja": "同じ入力で 2 回呼ぶと違う値を返します。前の呼び出しの結果"
        "（self に残した値や累積）に依存しています",
    },
    "bce_log0": {
        "en": "gives NaN for a perfect prediction (inputs exactly 1 where targets are 1, or 0 where "
        "they are 0): 0 * log(0) is NaN",
        "ja": "完全に正しい予測（targets が 1 のところで inputs がちょうど 1、0 のところで 0）に対して "
        "NaN を返します。0 * log(0) が NaN になるためです",
    },
    "complement": {
        "en": "returns 1 - (the right value): the sigmoid of -x, or the two classes swapped",
        "ja": "正しい値ではなく 1 - (正しい値) を返しています（-x のシグモイド、またはクラスの取り違え）",
    },
    "precision_recall_swapped": {
        "en": "returns the {found} where the {owner} is meant",
        "ja": "{owner} ではなく {found} を返しています",
    },
    "zero_division": {
        "en": "gives {error} when there is nothing to divide by (no positive prediction and no "
        "positive target); the convention (scikit-learn's zero_division=0) is 0",
        "ja": "割る数が 0 のとき（陽性の予測も陽性の正解も 1 つもないとき）に {error} になります。"
        "このときは 0 を返すのが慣例です（scikit-learn の zero_division=0）",
    },
    "percent": {
        "en": "is a percentage, 100 times the fraction that is meant",
        "ja": "割合ではなく、その 100 倍のパーセントになっています",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "integer_result": {
        "en": "use / (true division), not //; drop astype(int); and start arrays from floats "
        "(np.zeros(n), not np.zeros(n, dtype=int)).",
        "ja": "// ではなく / を使い、astype(int) を外しましょう。配列は小数で作ります"
        "（np.zeros(n, dtype=int) ではなく np.zeros(n)）。",
    },
    "stale_value": {
        "en": "compute it on every call from this call's arguments: drop the `if self.grad is None:` "
        "(or any test that skips the computation after the first call), and read what the last "
        "forward stored, not the front of a list of earlier inputs (pop(0)).",
        "ja": "毎回、その呼び出しの引数から計算し直しましょう。`if self.grad is None:` のような、"
        "2 回目以降の計算を飛ばす条件を外し、前の入力をためたリストの先頭（pop(0)）ではなく、"
        "直前の forward が保存したものを使います。",
    },
    "forward_remembers": {
        "en": "forward must depend on its inputs and the parameters only: compute the output anew "
        "(out = inputs @ self.theta.T), not from what the last call left (out = self.out + ...).",
        "ja": "forward は入力とパラメータだけで決まるようにしましょう。前の呼び出しの値に足す"
        "（out = self.out + ...）のではなく、毎回新しく計算します（out = inputs @ self.theta.T）。",
    },
    "bce_log0": {
        "en": "keep log away from 0: np.log(inputs + eps) and np.log(1 - inputs + eps) with a small "
        "eps such as 1e-10 (the notebook's epsilon), or np.clip(inputs, eps, 1 - eps).",
        "ja": "log に 0 を渡さないようにしましょう: 小さな eps（ノートブックの epsilon、1e-10 など）で "
        "np.log(inputs + eps) と np.log(1 - inputs + eps)、または np.clip(inputs, eps, 1 - eps)。",
    },
    "complement": {
        "en": "the sigmoid is 1 / (1 + np.exp(-x)): look at the sign inside np.exp.",
        "ja": "シグモイドは 1 / (1 + np.exp(-x)) です。np.exp の中の符号を確かめましょう。",
    },
    "precision_recall_swapped": {
        "en": "precision = TP / (TP + FP) divides by the predicted positives; "
        "recall = TP / (TP + FN) by the actual positives.",
        "ja": "precision = TP / (TP + FP) は陽性と予測した数で、recall = TP / (TP + FN) は"
        "実際に陽性の数で割ります。",
    },
    "zero_division": {
        "en": "test the denominator first: return 0.0 when it is 0.",
        "ja": "先に分母を確かめ、0 なら 0.0 を返しましょう。",
    },
    "percent": {
        "en": "return the fraction (0.625), and multiply by 100 only where it is printed.",
        "ja": "割合（0.625 など）を返し、100 倍するのは表示するときだけにしましょう。",
    },
}

TEXT: dict[str, dict[str, str]] = {}
