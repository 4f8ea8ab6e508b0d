"""What check() says about students' habits rather than their math.

A blank left as ``...``, a backward that hands back a tuple, a layer written as two functions,
an sklearn-style class, a loop that never ends, a forward that prints: each is named with what
check() saw and one thing the student can change. Merged into messages.py's tables.
"""

from __future__ import annotations

DIAGNOSES: dict[str, dict[str, str]] = {
    "timed_out": {
        "en": "did not finish within {factor} s, so check() stopped it (an endless loop?)",
        "ja": "{factor} 秒たっても終わらなかったので、check() が止めました（無限ループになっていませんか）",
    },
    "returns_tuple": {
        "en": "returns a tuple of length {found}; backward returns one array, dL/d(inputs)",
        "ja": "長さ {found} のタプルを返しています。backward が返すのは配列1つ、dL/d(inputs) だけです",
    },
    "not_a_loss": {
        "en": "takes two arguments ({found}), so check() called it as a loss f(inputs, targets), "
        "which returns one number; it returned shape {received_shape}",
        "ja": "引数が2つ（{found}）なので、check() は損失関数 f(inputs, targets) として呼びました。"
        "損失は数値1つを返しますが、形 {received_shape} の配列が返ってきました",
    },
    "too_many_arguments": {
        "en": "takes {factor} arguments ({found}); check() can call a function of x, or of "
        "(inputs, targets), and cannot guess the others",
        "ja": "引数が {factor} 個（{found}）あります。check() が呼べるのは x を受け取る関数か、"
        "(inputs, targets) を受け取る関数だけで、ほかの引数に何を渡せばよいかはわかりません",
    },
    "no_forward": {
        "en": "has no forward() and cannot be called, so check() cannot run it (its methods: {found})",
        "ja": "forward() がなく、関数として呼ぶこともできないので、check() は実行できません"
        "（あるメソッド: {found}）",
    },
    "value_shape": {
        "en": "returns the wrong shape: {received_shape} where {expected_shape} is meant",
        "ja": "戻り値の形が違います: {expected_shape} であるべきところが {received_shape} です",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "timed_out": {
        "en": "look for a while loop whose condition never changes (a forgotten i += 1) or a loop "
        "over a huge range. If your code is only slow, give it longer: check(..., time_limit=120).",
        "ja": "条件が変わらない while ループ（i += 1 の書き忘れなど）や、とても大きな range の"
        "ループがないか確かめましょう。計算が遅いだけなら check(..., time_limit=120) のように"
        "時間を延ばせます。",
    },
    "returns_tuple": {
        "en": "return only the gradient for the inputs (grad @ self.theta) and keep each "
        "parameter's gradient in an attribute (self.grad_theta = ...), as the notebook does: "
        "what backward returns is passed to the layer before it.",
        "ja": "入力についての勾配（grad @ self.theta など）だけを返し、パラメータの勾配は "
        "self.grad_theta = ... のように属性に保存しましょう（ノートブックと同じ書き方）。"
        "backward の戻り値は1つ前の層にそのまま渡されます。",
    },
    "not_a_loss": {
        "en": "a loss returns one number (np.mean(...)). A layer written as functions, forward(x, theta) "
        "and backward(grad, x, theta), is checked as a class: create theta in __init__ and write "
        "forward(self, inputs) and backward(self, grad) as the notebook's Linear2 does.",
        "ja": "損失関数は数値1つを返します（np.mean(...) など）。forward(x, theta) と "
        "backward(grad, x, theta) のように関数で書いた層は、クラスにすると確かめられます。"
        "ノートブックの Linear2 のように、__init__ で theta を作り、forward(self, inputs) と "
        "backward(self, grad) を書きましょう。",
    },
    "too_many_arguments": {
        "en": "write the layer as a class (theta in __init__, forward(self, inputs), backward(self, grad)), "
        "or check a derivative of one variable with check(f_grad, derivative_of=f).",
        "ja": "層をクラスとして書くか（__init__ で theta、forward(self, inputs)、backward(self, grad)）、"
        "1変数の導関数なら check(f_grad, derivative_of=f) で確かめましょう。",
    },
    "no_forward": {
        "en": "check() drives the notebook's layers: forward(inputs) returns the output, backward(grad) "
        "returns dL/d(inputs) and keeps grad_<name> for each parameter. Give your class these two "
        "methods, or pass a function.",
        "ja": "check() はノートブックの層を動かして確かめます。forward(inputs) が出力を返し、"
        "backward(grad) が dL/d(inputs) を返してパラメータごとの勾配 grad_<名前> を保存します。"
        "この2つのメソッドを書くか、関数を渡しましょう。",
    },
    "fit_predict": {
        "en": "a model with fit() and predict() is checked through its parts: write its layer with "
        "forward(inputs) and backward(grad) and check that; fit() can then chain them. To check "
        "what fit() found, compare it with least_squares(X, y) from chainrule.least_squares.",
        "ja": "fit() と predict() をもつモデルは、部品ごとに確かめます。層を forward(inputs) と "
        "backward(grad) で書いてそれを check し、fit() ではそれらをつなげて使いましょう。"
        "fit() が求めた値は chainrule.least_squares の least_squares(X, y) と比べられます。",
    },
    "scalar_autograd": {
        "en": "check() works on NumPy arrays, not on a scalar Value class. To test your Value, compare "
        "x.grad after backward() with (f(x + h) - f(x - h)) / (2 * h) for h = 1e-6, or write each "
        "operation as a layer with forward(inputs) and backward(grad) on arrays.",
        "ja": "check() が扱うのは NumPy の配列で、スカラーの Value クラスは扱えません。Value を"
        "確かめるには、backward() の後の x.grad を h = 1e-6 の中心差分 (f(x + h) - f(x - h)) / (2 * h) "
        "と比べるか、演算ごとに配列の forward(inputs) と backward(grad) をもつ層として書きましょう。",
    },
    "blank_attribute": {
        "en": "it returns self.{found}, which is still empty: fill in the line that sets "
        "self.{found} (in forward, as the notebook does).",
        "ja": "self.{found} を返していますが、まだ空です。self.{found} を設定する行"
        "（ノートブックでは forward の中）を書きましょう。",
    },
    "blank_in_init": {
        "en": "__init__ still has self.{found} = ... : fill it in (e.g. rng.random((1, 3)) for "
        "Linear3's theta).",
        "ja": "__init__ の self.{found} = ... がまだ空欄です。書き込みましょう"
        "（Linear3 の theta なら rng.random((1, 3)) など）。",
    },
    "global_array": {
        "en": "this line reads the global {found}, not the arrays this call was given: a layer "
        "works on its own inputs (store them in forward as self.inputs and use those).",
        "ja": "この行はグローバル変数 {found} を読んでいて、この呼び出しに渡された配列を使っていません。"
        "層は自分が受け取った入力で計算します（forward で self.inputs に保存して、それを使いましょう）。",
    },
    "sign": {
        "en": "look at the order of a subtraction (1 - y or y - 1, t - y or y - t) and at a "
        "leading minus sign.",
        "ja": "引き算の順番（1 - y と y - 1、t - y と y - t）や、先頭のマイナス符号を確かめましょう。",
    },
    "overwrites_grad": {
        "en": "compute a new array (dout = dout * mask, np.where(mask, 0, dout)) instead of "
        "dout[...] = 0 or grad *= ...: the caller still holds that array.",
        "ja": "dout[...] = 0 や grad *= ... ではなく、新しい配列を作りましょう"
        "（dout = dout * mask、np.where(mask, 0, dout) など）。呼び出し側はまだその配列を使います。",
    },
}

TEXT: dict[str, dict[str, str]] = {
    "where_in_file": {
        "en": "in {file}, at {function}, line {line}: {code}",
        "ja": "{file}、{function} の {line} 行目: {code}",
    },
    "printed": {
        "en": "(your code printed {n} lines while it was checked; check() does not show them)",
        "ja": "（チェック中にあなたのコードが {n} 行を出力しました。check() はそれを表示していません）",
    },
    "printed_one": {
        "en": "(your code printed 1 line while it was checked; check() does not show it)",
        "ja": "（チェック中にあなたのコードが 1 行を出力しました。check() はそれを表示していません）",
    },
}
