"""What check() says about the slips an outsider's pass over the exercises turned up, in English
and Japanese: a backward that answers differently on its second call, a metric fed probabilities
it never thresholds, a mean divided by N twice, the sigmoid's derivative taken of its own output,
and errors whose Python message does not point at the line's real mistake.

Merged into messages.py's tables.
"""

from __future__ import annotations

DIAGNOSES: dict[str, dict[str, str]] = {
    "backward_remembers": {
        "en": "returns other values when called twice after the same forward with the same grad",
        "ja": "同じ forward のあと同じ grad で 2 回呼ぶと、違う値を返します",
    },
    "no_threshold": {
        "en": "is right for 0/1 predictions but not for probabilities such as 0.73 (sigmoid "
        "outputs, as the notebook passes them): they are never thresholded at 0.5",
        "ja": "0/1 の予測なら正しいのですが、0.73 のような確率（ノートブックが渡すシグモイドの出力）"
        "では違う値になります。0.5 でのしきい値処理がありません",
    },
    "mean_twice": {
        "en": "divided by N twice: factor 1/N = {factor} of the mean that is meant",
        "ja": "N で 2 回割っています（正しい平均の 1/N = {factor} 倍になっています）",
    },
    "sigmoid_of_output": {
        "en": "is grad * f(y) (1 - f(y)) with y = f(x) the output: the sigmoid is applied twice",
        "ja": "出力 y = f(x) にもう一度シグモイドをかけて grad * f(y)(1 - f(y)) を計算しています"
        "（シグモイドを 2 回かけています）",
    },
    "sigmoid_grad_of_x": {
        "en": "returns x (1 - x) of its argument x; the derivative is f(x) (1 - f(x)) with f = sigmoid",
        "ja": "引数 x で x(1 - x) を返しています。微分は f = sigmoid を使った f(x)(1 - f(x)) です",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "backward_remembers": {
        "en": "backward must depend only on what the last forward stored and on grad: drop call "
        "counters, lists of inputs read from the front (pop(0)), and adding to what an earlier "
        "call stored (self.grad_theta = self.grad_theta + ...): assign each gradient anew.",
        "ja": "backward は直前の forward が保存したものと grad だけで決まるようにしましょう。"
        "呼び出し回数のカウンタ、先頭から取り出す入力のリスト（pop(0)）、前の呼び出しが保存した値への"
        "足し込み（self.grad_theta = self.grad_theta + ...）をやめ、勾配は毎回新しく代入します。",
    },
    "no_threshold": {
        "en": "the notebook's predictions are sigmoid outputs: threshold them first, "
        "pred > 0.5, then compare with the targets.",
        "ja": "ノートブックの予測はシグモイドの出力（確率）です。先に pred > 0.5 で 0/1 にしてから"
        "正解と比べましょう。",
    },
    "mean_twice": {
        "en": "np.mean already divides by N: use np.mean(...) or np.sum(...) / N, not both "
        "(and not / N ** 2).",
        "ja": "np.mean はすでに N で割っています。np.mean(...) か np.sum(...) / N のどちらか一方に"
        "しましょう（/ N ** 2 も同じ誤りです）。",
    },
    "sigmoid_of_output": {
        "en": "self.output is f(x) already: return grad * self.output * (1 - self.output); "
        "sigmoid_grad(x) takes the inputs x, not the output.",
        "ja": "self.output はすでに f(x) です。grad * self.output * (1 - self.output) を返しましょう。"
        "sigmoid_grad(x) に渡すのは出力ではなく入力 x です。",
    },
    "sigmoid_grad_of_x": {
        "en": "compute f = sigmoid(x) first, then return f * (1 - f).",
        "ja": "先に f = sigmoid(x) を計算し、f * (1 - f) を返しましょう。",
    },
    "ambiguous_truth": {
        "en": "an array met and, or, if, or a chained comparison (a > 0.5 == t means "
        "(a > 0.5) and (0.5 == t)): use & and |, with brackets: (a > 0.5) == t.",
        "ja": "配列に and・or・if、または連続した比較（a > 0.5 == t は (a > 0.5) and (0.5 == t) と"
        "解釈されます）を使っています。& と | を括弧つきで使いましょう: (a > 0.5) == t。",
    },
}

TEXT: dict[str, dict[str, str]] = {}
