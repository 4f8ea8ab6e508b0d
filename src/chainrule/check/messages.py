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
        "ja": "平均をとるべきところで和をとっています（データ数 N = {factor} 倍）",
    },
    "mean_for_sum": {
        "en": "mean where a sum is meant: factor 1/N = {factor}",
        "ja": "和をとるべきところで平均をとっています（1/N = {factor} 倍）",
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
}

HINTS: dict[str, dict[str, str]] = {
    "upstream_ignored": {
        "en": "chain rule: multiply this layer's own derivative by grad.",
        "ja": "連鎖律: この層自身の微分に grad を掛けましょう。",
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
}

TEXT: dict[str, dict[str, str]] = {
    "forward": {"en": "the return value of forward", "ja": "forward の戻り値"},
    "backward": {"en": "the return value of backward (dL/d(inputs))",
                 "ja": "backward の戻り値（dL/d(inputs)）"},
    "update": {"en": "update()", "ja": "update()"},
    "inputs": {"en": "inputs", "ja": "inputs"},
    "grad": {"en": "grad", "ja": "grad"},
    "ok_all": {"en": "all {n} checks passed", "ja": "{n} 項目すべて正しいです"},
    "some_wrong": {"en": "{wrong} of {n} checks failed", "ja": "{n} 項目中 {wrong} 項目が間違っています"},
    "right": {"en": "right", "ja": "正しい"},
    "detail": {"en": "{wrong} of {total} elements wrong; worst at {index}: expected {expected:.6g}, got {received:.6g}",
               "ja": "{total} 要素中 {wrong} 要素が違います。最も大きくずれているのは {index}: 正しくは {expected:.6g}、実際は {received:.6g}"},
    "detail_scalar": {"en": "expected {expected:.6g}, got {received:.6g}",
                      "ja": "正しくは {expected:.6g}、実際は {received:.6g}"},
    "shapes": {"en": "expected shape {expected_shape}, got {received_shape}",
               "ja": "正しい形は {expected_shape}、実際は {received_shape}"},
    "hint": {"en": "Hint", "ja": "ヒント"},
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"chainrule.check(lang={lang!r}): expected one of {LANGS}, got {lang!r}.")
    return lang


def say(key: str, lang: str, **fields) -> str:
    table = DIAGNOSES if key in DIAGNOSES else TEXT
    return table[key][lang].format(**fields)


def hint(key: str, lang: str) -> str | None:
    return HINTS.get(key, {}).get(lang)


def quantity(name: str, lang: str) -> str:
    """A quantity by the student's own name: grad_theta stays grad_theta."""
    return TEXT[name][lang] if name in TEXT else name
