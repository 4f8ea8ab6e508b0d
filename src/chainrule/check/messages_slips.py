"""What check() says about slips.py's first-try slips, in English and Japanese.

Merged into messages.py's tables. Each line names the slip as the student made it, so the fix
is one edit away.
"""

from __future__ import annotations

DIAGNOSES: dict[str, dict[str, str]] = {
    "no_return": {
        "en": "returns None: the method runs but has no return statement",
        "ja": "None を返しています（メソッドは実行されますが、return 文がありません）",
    },
    "sigmoid_missing_one_minus": {
        "en": "is grad * f(x): the factor (1 - f(x)) of the derivative f(x) (1 - f(x)) is missing",
        "ja": "grad * f(x) になっています。微分 f(x)(1 - f(x)) の (1 - f(x)) が抜けています",
    },
    "sigmoid_missing_f": {
        "en": "is grad * (1 - f(x)): the factor f(x) of the derivative f(x) (1 - f(x)) is missing",
        "ja": "grad * (1 - f(x)) になっています。微分 f(x)(1 - f(x)) の f(x) が抜けています",
    },
    "sigmoid_of_inputs": {
        "en": "is grad * x (1 - x) of the inputs x; the derivative is f(x) (1 - f(x)) of the output",
        "ja": "入力 x で grad * x(1 - x) を計算しています。微分は出力 f(x) を使った f(x)(1 - f(x)) です",
    },
    "sigmoid_grad_is_f": {
        "en": "returns f(x) itself, the sigmoid, not its derivative f(x) (1 - f(x))",
        "ja": "微分 f(x)(1 - f(x)) ではなく、シグモイド f(x) そのものを返しています",
    },
    "returns_param_grad": {
        "en": "returns {found}, the gradient for the parameter, where dL/d(inputs) is meant",
        "ja": "パラメータの勾配 {found} を返しています。返すのは入力についての勾配 dL/d(inputs) です",
    },
    "saturated_bce": {
        "en": "gives inf or NaN when a prediction is exactly 0 or 1 (a saturated sigmoid), "
        "though epsilon = {value}",
        "ja": "予測がちょうど 0 か 1 のとき（シグモイドが飽和したとき）に inf か NaN になります"
        "（epsilon = {value} なのに）",
    },
    "mse_broadcast": {
        "en": "is the mean over an (N, N) matrix: an (N,) array met an (N, 1) one and NumPy broadcast them",
        "ja": "(N, N) の行列の平均になっています。(N,) の配列と (N, 1) の配列を引き算したため、"
        "NumPy が (N, N) に広げました（ブロードキャスト）",
    },
    "global_rng": {
        "en": "draws from NumPy's global generator (np.random.random, randn, ...), so every run "
        "starts from other weights and resetting rng cannot repeat them",
        "ja": "NumPy のグローバルな乱数生成器（np.random.random や randn など）から値を取り出しています。"
        "実行するたびに初期の重みが変わり、rng を設定し直しても同じ結果を再現できません",
    },
    "widened": {
        "en": "returns {dtype} for float32 inputs and float32 parameters: something in it is float64",
        "ja": "入力もパラメータも float32 なのに {dtype} を返しています（途中に float64 の配列が混ざっています）",
    },
    "backward_overwrites_saved": {
        "en": "backward changed self.{found} in place, which forward stored (and may have returned): "
        "a second backward gives another answer",
        "ja": "forward が保存した self.{found} を backward がその場で書き換えています（forward の戻り値も"
        "変わることがあり、backward をもう一度呼ぶと別の答えになります）",
    },
    "batch_not_summed": {
        "en": "has one row per sample, shape {received_shape} where {expected_shape} is meant; "
        "summed over the samples it is right",
        "ja": "データ1つにつき1行の形 {received_shape} になっています（正しくは {expected_shape}）。"
        "データについて足し合わせれば正しい値です",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "no_return": {
        "en": "a Python function without return gives None: end it with return ... "
        "(backward: return grad @ self.theta, dL/d(inputs)).",
        "ja": "return のない関数は None を返します。最後に return ... を書きましょう"
        "（backward なら入力についての勾配 return grad @ self.theta など）。",
    },
    "sigmoid_missing_one_minus": {
        "en": "return grad * self.output * (1 - self.output).",
        "ja": "return grad * self.output * (1 - self.output) としましょう。",
    },
    "sigmoid_missing_f": {
        "en": "return grad * self.output * (1 - self.output).",
        "ja": "return grad * self.output * (1 - self.output) としましょう。",
    },
    "sigmoid_of_inputs": {
        "en": "use what forward stored, self.output = sigmoid(inputs), not the inputs.",
        "ja": "入力ではなく、forward で保存した self.output = sigmoid(inputs) を使いましょう。",
    },
    "sigmoid_grad_is_f": {
        "en": "s = sigmoid(x); return s * (1 - s).",
        "ja": "s = sigmoid(x) として return s * (1 - s) としましょう。",
    },
    "returns_param_grad": {
        "en": "keep {found} in its attribute (self.{found} = ...) and return the gradient for the "
        "inputs, which the layer before receives: grad @ self.theta.",
        "ja": "{found} は属性（self.{found} = ...）に保存し、戻り値には1つ前の層に渡す入力についての"
        "勾配（grad @ self.theta）を返しましょう。",
    },
    "saturated_bce": {
        "en": "add self.epsilon inside each log and each denominator (np.log(y + self.epsilon), "
        "t / (y + self.epsilon)), or clip first: y = np.clip(y, self.epsilon, 1 - self.epsilon).",
        "ja": "log と分母のそれぞれに self.epsilon を足す（np.log(y + self.epsilon)、t / (y + self.epsilon)）か、"
        "先に y = np.clip(y, self.epsilon, 1 - self.epsilon) としましょう。",
    },
    "mse_broadcast": {
        "en": "keep both (N, 1): drop the .ravel() / .flatten() / [:, 0], or reshape(-1, 1) the other.",
        "ja": "両方を (N, 1) のままにしましょう。.ravel() / .flatten() / [:, 0] をやめるか、"
        "もう一方を reshape(-1, 1) します。",
    },
    "global_rng": {
        "en": "draw from the generator the notebook gives, as Linear2 does: self.theta = rng.random(shape).",
        "ja": "Linear2 と同じく、ノートブックが用意した rng から取り出しましょう: self.theta = rng.random(形)。",
    },
    "forward_shape": {
        "en": "return one row per sample and one column per output, {expected_shape}: .ravel(), "
        ".flatten() or an index such as theta[0] drops the column (Linear2: inputs @ self.theta.T keeps it).",
        "ja": "データ1つにつき1行、出力1つにつき1列の {expected_shape} を返しましょう。.ravel() や .flatten()、"
        "theta[0] のような添字を使うと列が消えます（Linear2 なら inputs @ self.theta.T で列が残ります）。",
    },
    "widened": {
        "en": "np.ones, np.zeros and np.array default to float64: give them dtype=inputs.dtype "
        "(np.ones((n, 1), dtype=inputs.dtype)).",
        "ja": "np.ones や np.zeros、np.array は何も指定しないと float64 になります。dtype=inputs.dtype を"
        "指定しましょう（np.ones((n, 1), dtype=inputs.dtype)）。",
    },
    "backward_overwrites_saved": {
        "en": "compute a new array (d = self.{found} * (1 - self.{found})) instead of self.{found} *= ...",
        "ja": "self.{found} *= ... ではなく、新しい配列を作りましょう（d = self.{found} * (1 - self.{found})）。",
    },
    "local_not_self": {
        "en": "__init__ assigns a local {found} = ..., which is gone when __init__ returns: "
        "write self.{found} = ... so that the layer keeps it.",
        "ja": "__init__ でローカル変数 {found} = ... に代入しているため、__init__ が終わると消えてしまいます。"
        "self.{found} = ... と書いて、層に保存しましょう。",
    },
    "batch_not_summed": {
        "en": "a parameter is shared by every sample, so its gradient sums theirs: "
        "grad.sum(axis=0) (keepdims=True for a (1, k) parameter).",
        "ja": "パラメータはすべてのデータで共通なので、その勾配は各データの勾配の和です: "
        "grad.sum(axis=0)（(1, k) のパラメータなら keepdims=True）。",
    },
    "value_mismatch": {
        "en": "no simple pattern (a factor, the sign, a transpose) explains the difference: work the "
        "formula out by hand for the worst element above and compare.",
        "ja": "定数倍・符号・転置のような単純なずれではありません。上の最もずれている要素について、"
        "式を手で計算して比べてみましょう。",
    },
}

TEXT: dict[str, dict[str, str]] = {}
