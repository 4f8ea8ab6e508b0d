"""What check() says, in English and Japanese: one sentence per diagnosis, one per quantity.

The English diagnoses use the words a student can search for ("factor 2", "sign flipped",
"transposed", "ignores the upstream gradient"); the Japanese says the same thing the way a
Japanese textbook would, not word for word.
"""

from __future__ import annotations

LANGS = ("en", "ja")

DIAGNOSES: dict[str, dict[str, str]] = {
    "not_written": {
        "en": "not written yet",
        "ja": "まだ書かれていません",
    },
    "raised": {
        "en": "raised {error}",
        "ja": "実行中にエラーが発生しました: {error}",
    },
    "not_an_array": {
        "en": "is not a number or an array",
        "ja": "数値でも配列でもありません",
    },
    "complex_value": {
        "en": "returns complex numbers where real ones are meant",
        "ja": "実数であるべきところが複素数になっています",
    },
    "attribute_raised": {
        "en": "reading or setting this attribute raised {error}",
        "ja": "この属性を読み書きしたときにエラーが発生しました: {error}",
    },
    "rows_lost": {
        "en": "returns shape {received_shape} for inputs of {expected_shape[0]} rows: "
        "a layer keeps one row per sample",
        "ja": "{expected_shape[0]} 行の入力に対して形 {received_shape} を返しています"
        "（層はデータ1つにつき1行を返します）",
    },
    "forward_constant": {
        "en": "does not change when its inputs change, so its gradient is zero and backward's is not",
        "ja": "入力を変えても値が変わりません（そのため勾配は 0 のはずですが、backward は 0 を返していません）",
    },
    "not_ndarray": {
        "en": "returns a {found}, not a NumPy array: the next layer's arithmetic on it fails "
        "(p - t) or means something else (a list * 2 repeats the list)",
        "ja": "NumPy の配列ではなく {found} を返しています。次の層の計算が失敗したり（p - t など）、"
        "別の意味になったりします（list * 2 はリストを2回つなげます）",
    },
    "class_attribute": {
        "en": "is a class attribute: every instance shares this one array, so two layers would "
        "train the same weights",
        "ja": "クラス属性になっています。すべてのインスタンスが同じ配列を共有するので、"
        "2つの層が同じ重みを学習してしまいます",
    },
    "nan_for_large": {
        "en": "returns NaN for large inputs (such as {value}), though they are finite",
        "ja": "大きな入力（{value} など）に対して NaN を返しています（入力は有限です）",
    },
    "not_finite": {
        "en": "returns NaN or inf for finite inputs",
        "ja": "有限の入力に対して NaN か inf を返しています",
    },
    "factor": {
        "en": "off by a constant factor: factor {factor} (received = {factor} x expected)",
        "ja": "正しい値の {factor} 倍になっています（定数倍のずれ）",
    },
    "sign": {
        "en": "sign flipped (received = -1 x expected)",
        "ja": "符号が逆になっています（正しい値の -1 倍）",
    },
    "transposed": {
        "en": "transposed: received is the transpose of the expected array",
        "ja": "転置になっています（正しい配列の行と列が入れ替わっています）",
    },
    "upstream_ignored": {
        "en": "ignores the upstream gradient: right only when the upstream gradient is all ones",
        "ja": "上流から来た勾配 grad を掛けていません（grad がすべて 1 のときだけ正しくなります）",
    },
    "sum_for_mean": {
        "en": "sum where a mean is meant: factor N = {factor}",
        "ja": "平均をとるべきところで和をとっています（データ数 N = {factor} 倍になっています）",
    },
    "mean_for_sum": {
        "en": "mean where a sum is meant: factor 1/N = {factor}",
        "ja": "和をとるべきところで平均をとっています（1/N = {factor} 倍になっています）",
    },
    "wrong_shape": {
        "en": "wrong shape: {received_shape} where {expected_shape} is meant",
        "ja": "形が違います: {expected_shape} であるべきところが {received_shape} になっています",
    },
    "forward_shape": {
        "en": "forward returns the wrong shape: {received_shape} where {expected_shape} is meant",
        "ja": "forward の戻り値の形が違います: {expected_shape} であるべきところが {received_shape} です",
    },
    "overwrites_inputs": {
        "en": "forward overwrites its inputs: the caller's array changed",
        "ja": "forward が受け取った inputs を書き換えています（呼び出し側の配列が変わってしまいます）",
    },
    "overwrites_grad": {
        "en": "backward overwrites the upstream gradient it was given",
        "ja": "backward が受け取った grad を書き換えています",
    },
    "update_static": {
        "en": "update() does not move the parameters",
        "ja": "update() を呼んでもパラメータが変化していません",
    },
    "update_uphill": {
        "en": "update() moves the parameters uphill (+alpha * gradient instead of -alpha * gradient)",
        "ja": "update() がパラメータを損失が増える向きに動かしています（-alpha * 勾配 ではなく +alpha * 勾配）",
    },
    "update_wrong": {
        "en": "update() does not move the parameters by -alpha * gradient",
        "ja": "update() による変化が -alpha * 勾配 になっていません",
    },
    "mismatch": {
        "en": "wrong values",
        "ja": "値が違います",
    },
    "overwrites_argument": {
        "en": "{owner} overwrites this argument: the caller's array changed",
        "ja": "{owner} が受け取った配列を書き換えています（呼び出し側の配列が変わってしまいます）",
    },
    "grad_missing": {
        "en": "backward did not set the attribute {name}; it set {found}",
        "ja": "backward が属性 {name} を設定していません（設定されたのは {found}）",
    },
    "param_shape": {
        "en": "wrong shape: {received_shape} where {owner} keeps {expected_shape}",
        "ja": "形が違います: {owner} では {expected_shape} ですが、{received_shape} になっています",
    },
    "param_integer": {
        "en": "is an integer array ({dtype}): gradient descent cannot move it by a fraction of a step",
        "ja": "整数の配列（{dtype}）です。勾配降下法で少しずつ動かすことができません",
    },
    "param_complex": {
        "en": "is a complex array ({dtype}): the notebook's gradients are real, so nothing else was checked",
        "ja": "複素数の配列（{dtype}）です。ノートブックの勾配は実数なので、ほかの項目は確かめていません",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "mismatch": {
        "en": "no simple pattern (a factor, the sign, a transpose) explains the difference: work "
        "the derivative out by hand for one element and compare it with the worst element above.",
        "ja": "定数倍・符号・転置のような単純なずれではありません。1つの要素について微分を手で"
        "計算し、上の最もずれている要素と比べてみましょう。",
    },
    "factor": {
        "en": "look for a constant that does not belong: the 2 from differentiating a square, "
        "a / N, or alpha inside a gradient.",
        "ja": "余分な（または足りない）定数がないか確かめましょう: 2乗の微分で出る 2、/ N、"
        "勾配の中の alpha など。",
    },
    "update_static": {
        "en": "assign to the attribute: self.theta -= self.alpha * self.grad_theta; "
        "theta = theta - ... on a local name changes nothing.",
        "ja": "属性に代入しましょう: self.theta -= self.alpha * self.grad_theta。ローカル変数への"
        "代入（theta = theta - ...）では何も変わりません。",
    },
    "update_uphill": {
        "en": "gradient descent subtracts: self.theta -= self.alpha * self.grad_theta.",
        "ja": "勾配降下法では引きます: self.theta -= self.alpha * self.grad_theta。",
    },
    "update_wrong": {
        "en": "each parameter moves by -alpha times its own gradient: "
        "self.theta -= self.alpha * self.grad_theta.",
        "ja": "各パラメータは自分の勾配の -alpha 倍だけ動かします: "
        "self.theta -= self.alpha * self.grad_theta。",
    },
    "init_arguments": {
        "en": "check() builds a class with no arguments; pass an instance you built: check({owner}(...)).",
        "ja": "check() はクラスを引数なしで作ります。自分で作ったインスタンスを渡しましょう: check({owner}(...))。",
    },
    "rows_lost": {
        "en": "write forward for the whole batch: no x[0], float(x) or max(); use array operations "
        "such as np.maximum(0, x) that work row by row.",
        "ja": "forward はバッチ全体に対して書きましょう。x[0] や float(x)、max() ではなく、"
        "np.maximum(0, x) のような配列の演算を使います。",
    },
    "forward_constant": {
        "en": "it likely returns a value kept from an earlier call (computed only when a cache is "
        "empty, or stored on the class): compute it from this call's inputs every time.",
        "ja": "前の呼び出しで保存した値を返していないか確かめましょう（キャッシュが空のときだけ計算する、"
        "クラス属性に保存するなど）。毎回、今回の入力から計算しましょう。",
    },
    "not_ndarray": {
        "en": "return the array itself (drop .tolist() / list(...)), or np.array(...) of it.",
        "ja": ".tolist() や list(...) をやめて配列のまま返すか、np.array(...) で配列にしましょう。",
    },
    "class_attribute": {
        "en": "create it in __init__ (self.{name} = ...), not in the class body.",
        "ja": "クラスの本体ではなく __init__ の中で self.{name} = ... として作りましょう。",
    },
    "nan_for_large": {
        "en": "np.exp overflows to inf there and inf / inf is NaN: give np.exp only numbers <= 0 "
        "(sigmoid: np.exp(-np.abs(x)); softmax: subtract the row's maximum first).",
        "ja": "np.exp が inf にあふれ、inf / inf が NaN になります。np.exp には 0 以下の数だけを"
        "渡しましょう（sigmoid なら np.exp(-np.abs(x))、softmax なら先に行の最大値を引く）。",
    },
    "unset_in_forward": {
        "en": "backward reads self.{found}, which nothing had set: store it in forward "
        "(self.{found} = ...) so that backward can use it.",
        "ja": "backward が読む self.{found} がまだ設定されていません。forward の中で "
        "self.{found} = ... として保存しておきましょう。",
    },
    "unset_in_init": {
        "en": "forward reads self.{found}, which nothing had set: create it in __init__.",
        "ja": "forward が読む self.{found} がまだ設定されていません。__init__ で作りましょう。",
    },
    "complex_value": {
        "en": "look for 1j, or np.sqrt / ** 0.5 / np.log of a complex or negative number made complex.",
        "ja": "1j や、複素数・負の数の np.sqrt / ** 0.5 / np.log がないか確かめましょう。",
    },
    "param_integer": {
        "en": "use floats: np.array([[1.0, 2.0]]) or .astype(np.float64) in __init__.",
        "ja": "浮動小数点数にしましょう: __init__ で np.array([[1.0, 2.0]]) や .astype(np.float64) を使います。",
    },
    "param_complex": {
        "en": "make it a real float array in __init__, e.g. rng.random((1, 2)) or .real.astype(np.float64).",
        "ja": "__init__ で実数の配列にしましょう（rng.random((1, 2)) や .real.astype(np.float64) など）。",
    },
    "upstream_ignored": {
        "en": "chain rule: multiply this layer's own derivative by grad.",
        "ja": "連鎖律により、この層自身の微分に grad を掛けましょう。",
    },
    "sum_for_mean": {
        "en": "the loss is a mean over the N samples (np.mean, or divide by N), and so is its gradient.",
        "ja": "損失は N 個のデータの平均です（np.mean か N で割る）。その勾配にも 1/N がつきます。",
    },
    "transposed": {
        "en": "check the order of the matrix product (A @ B versus B.T @ A.T).",
        "ja": "行列積の順番（A @ B と B.T @ A.T）を確かめましょう。",
    },
    "wrong_shape": {
        "en": "a gradient has the shape of what it is the gradient of.",
        "ja": "勾配の形は、微分する対象（パラメータや入力）の形と同じです。",
    },
    "overwrites_inputs": {
        "en": "compute a new array (x = x + 1 or np.concatenate) instead of x += ... or x[...] = ...",
        "ja": "x += ... や x[...] = ... ではなく、新しい配列を作りましょう（x = x + 1 など）。",
    },
    "overwrites_argument": {
        "en": "compute a new array (x = -x, x = x - t) instead of x *= ..., x -= ... or out=x.",
        "ja": "x *= ... や x -= ...、out=x ではなく、新しい配列を作りましょう（x = -x、x = x - t など）。",
    },
    "mean_for_sum": {
        "en": "this gradient is a sum over the N samples (a matrix product sums them already); drop the / N.",
        "ja": "この勾配は N 個のデータについての和です（行列積がすでに足し合わせています）。/ N を外しましょう。",
    },
    "grad_missing": {
        "en": "store the gradient as self.{name}, the notebook's name: update() and check() read it there.",
        "ja": "勾配はノートブックと同じ名前 self.{name} に入れましょう。update() も check() もそこを読みます。",
    },
    "param_shape": {
        "en": "make theta {expected_shape} in __init__ (one row per output), forward inputs @ self.theta.T; "
        "then grad_theta = grad.T @ inputs has theta's shape too.",
        "ja": "__init__ で theta を {expected_shape}（出力1つにつき1行）で作り、forward は inputs @ self.theta.T "
        "にしましょう。すると grad_theta = grad.T @ inputs も theta と同じ形になります。",
    },
    "derivative": {
        "en": "compare with the central difference (f(x + h) - f(x - h)) / (2h) at one point.",
        "ja": "1点で中心差分 (f(x + h) - f(x - h)) / (2h) と比べてみましょう。",
    },
    "sigmoid_derivative": {
        "en": "the sigmoid's derivative is f(x) * (1 - f(x)) with f = sigmoid; compare yours with it.",
        "ja": "シグモイドの微分は f(x) * (1 - f(x))（f = sigmoid）です。自分の式と比べてみましょう。",
    },
}

TEXT: dict[str, dict[str, str]] = {
    "forward": {"en": "the return value of forward", "ja": "forward の戻り値"},
    "backward": {
        "en": "the return value of backward (dL/d(inputs))",
        "ja": "backward の戻り値（dL/d(inputs)）",
    },
    "update": {"en": "update()", "ja": "update()"},
    "inputs": {"en": "inputs", "ja": "inputs"},
    "grad": {"en": "grad", "ja": "grad"},
    "ok_all": {"en": "OK, all {n} checks passed", "ja": "OK（{n} 項目中 {n} 項目が正しい）"},
    "ok_all_one": {"en": "OK, the 1 check passed", "ja": "OK（1 項目中 1 項目が正しい）"},
    "some_wrong": {
        "en": "{wrong} of {n} checks failed",
        "ja": "{n} 項目中 {wrong} 項目が間違っています",
    },
    "some_wrong_one": {
        "en": "{wrong} of {n} check failed",
        "ja": "{n} 項目中 {wrong} 項目が間違っています",
    },
    "right": {"en": "right", "ja": "正しい"},
    "not_overwritten": {"en": "not overwritten", "ja": "書き換えられていません"},
    "right_shape": {"en": "the notebook's shape", "ja": "ノートブックと同じ形です"},
    "ran_only": {
        "en": "runs and returns finite numbers; nothing to compare them with (use like= or derivative_of=)",
        "ja": "実行でき、有限の値を返します。比べる正解がないため、値が正しいかは確かめていません（like= か derivative_of= を使いましょう）",
    },
    "detail": {
        "en": "{wrong} of {total} elements wrong; worst at {index}: expected {expected:.6g}, got {received:.6g}",
        "ja": "{total} 要素中 {wrong} 要素が違います。最も大きくずれているのは {index}: 正しくは {expected:.6g}、実際は {received:.6g}",
    },
    "detail_scalar": {
        "en": "expected {expected:.6g}, got {received:.6g}",
        "ja": "正しくは {expected:.6g}、実際は {received:.6g}",
    },
    "shapes": {
        "en": "expected shape {expected_shape}, got {received_shape}",
        "ja": "正しい形は {expected_shape}、実際は {received_shape}",
    },
    "hint": {"en": "Hint", "ja": "ヒント"},
    "where": {
        "en": "at {function}, line {line}: {code}",
        "ja": "{function} の {line} 行目: {code}",
    },
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"chainrule.check(lang={lang!r}): expected one of {LANGS}, got {lang!r}.")
    return lang


def say(key: str, lang: str, **fields) -> str:
    table = DIAGNOSES if key in DIAGNOSES else TEXT
    return table[key][lang].format(**fields)


def count(key: str, lang: str, n: int, **fields) -> str:
    """A headline with a count: English says "1 check", never "1 checks"."""
    return say(key + "_one" if n == 1 else key, lang, n=n, **fields)


def hint(key: str, lang: str, **fields) -> str | None:
    text = HINTS.get(key, {}).get(lang)
    return None if text is None else text.format(**fields)


def quantity(name: str, lang: str) -> str:
    """A quantity by the student's own name: grad_theta stays grad_theta."""
    return TEXT[name][lang] if name in TEXT else name


def _merge() -> None:
    """The sequel's messages (optimizers, Dropout, BatchNorm) live in their own file."""
    from . import (
        messages_calls,
        messages_habits,
        messages_sequel,
        messages_slips,
        messages_values,
    )

    for table in (
        messages_sequel,
        messages_habits,
        messages_slips,
        messages_values,
        messages_calls,
    ):
        DIAGNOSES.update(table.DIAGNOSES)
        HINTS.update(table.HINTS)
        TEXT.update(table.TEXT)


_merge()
