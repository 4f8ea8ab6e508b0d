"""The exercise's words, in Japanese and English: what each blank asks, and the formula behind it."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "ja": "# 誤差逆伝播法を自分で書く（演習）\n\n"
        "`# WRITE HERE` と書かれた空欄を NumPy で埋めてください。各空欄の直後のセルは "
        "`chainrule.check` で答えを確かめ、間違っていれば**どの量が・どう**間違っているか"
        "（何倍ずれているか、符号、転置、形、上流の勾配の掛け忘れなど）を表示します。"
        "まだ書いていない空欄は「まだ書かれていません」と表示されます。",
        "en": "# Backpropagation by hand (exercises)\n\n"
        "Fill in each blank marked `# WRITE HERE` with NumPy. The cell after each blank checks "
        "your answer with `chainrule.check` and, when it is wrong, says **which** quantity is "
        "wrong and **how** (off by a factor, sign flipped, transposed, wrong shape, upstream "
        'gradient ignored, ...). A blank you have not filled yet is reported as "not written yet".',
    },
    "linear": {
        "ja": "## 1.1 1変数の推定\n\n$y = ax + b$ を層として書きます。重み $a$ とバイアス $b$ は層の"
        "内部に保存しておく値なので、層はクラスとして実装します。`forward` は $ax + b$ を返します。",
        "en": "## 1.1 One unknown\n\nWe write $y = ax + b$ as a layer. The weight $a$ and the bias $b$ "
        "live inside the layer, which is why a layer is a class. `forward` returns $ax + b$.",
    },
    "loss_mse": {
        "ja": "## 1.2 2変数の推定（最小二乗法）\n\n予測 $p_i$ と目標 $t_i$ の平均二乗誤差は\n\n"
        "$$L_{MSE} = \\frac{1}{N}\\sum_{i=1}^{N} (t_i - p_i)^2$$\n\nです。`loss_MSE` を書きましょう。",
        "en": "## 1.2 Two unknowns (least squares)\n\nThe mean squared error of predictions $p_i$ "
        "against targets $t_i$ is\n\n$$L_{MSE} = \\frac{1}{N}\\sum_{i=1}^{N} (t_i - p_i)^2.$$\n\n"
        "Write `loss_MSE`.",
    },
    "mse_loss": {
        "ja": "損失を予測で微分すると、連鎖律の出発点になる勾配が得られます。\n\n"
        "$$\\frac{\\partial L}{\\partial p_i} = -\\frac{2}{N}(t_i - p_i)$$\n\n"
        "$1/N$ を忘れないこと: 損失が平均なので、勾配にも $1/N$ がつきます。"
        "`forward` の中で `self.grad` に入れておき、`backward()` で返します。",
        "en": "Differentiating the loss by the prediction gives the gradient the chain rule starts from:\n\n"
        "$$\\frac{\\partial L}{\\partial p_i} = -\\frac{2}{N}(t_i - p_i)$$\n\n"
        "Keep the $1/N$: the loss is a mean, so its gradient is one too. `forward` stores it in "
        "`self.grad`; `backward()` returns it.",
    },
    "linear2": {
        "ja": "線形層 $h_\\theta(X) = X\\theta^T$（$X$ の1列目は1、$\\theta = [[b, a]]$）です。"
        "上流から来た勾配を $G = \\partial L/\\partial h$（形は $N\\times 1$）とすると、連鎖律により\n\n"
        "$$\\frac{\\partial L}{\\partial \\theta} = G^T X, \\qquad "
        "\\frac{\\partial L}{\\partial X} = G\\,\\theta$$\n\n"
        "となります。`grad_theta` の形は `theta` と同じ $(1, 2)$ です。"
        "行列演算だけで $a, b$ の勾配をまとめて計算しましょう。",
        "en": "The linear layer is $h_\\theta(X) = X\\theta^T$ (the first column of $X$ is ones, "
        "$\\theta = [[b, a]]$). With the upstream gradient $G = \\partial L/\\partial h$ "
        "(shape $N\\times 1$), the chain rule gives\n\n"
        "$$\\frac{\\partial L}{\\partial \\theta} = G^T X, \\qquad "
        "\\frac{\\partial L}{\\partial X} = G\\,\\theta.$$\n\n"
        "`grad_theta` has the shape of `theta`, $(1, 2)$. Compute the gradients of $a$ and $b$ "
        "at once, with matrix products only.",
    },
    "train_regression": {
        "ja": "すべての確認が通ったら、ノートブックと同じく100回の最急降下法で学習し、最小二乗法の"
        "解と比べます（確認が通るまでは何も表示しません）。",
        "en": "Once every check passes, this trains for 100 steps of gradient descent as the notebook "
        "does and compares with the least-squares answer (it prints nothing until then).",
    },
    "sigmoid": {
        "ja": "# 2. クラス分類と活性化関数\n\n2クラス分類ではシグモイド関数\n\n"
        "$$f(x) = \\frac{1}{1 + e^{-x}}$$\n\nをよく使います。`sigmoid` を書きましょう。",
        "en": "# 2. Classification and activation functions\n\nTwo-class classification often uses the "
        "sigmoid\n\n$$f(x) = \\frac{1}{1 + e^{-x}}.$$\n\nWrite `sigmoid`.",
    },
    "sigmoid_grad": {
        "ja": "シグモイドの微分を求めましょう。$\\frac{\\partial f(x)}{\\partial x}$ を計算すると、"
        "順方向の結果 $f(x)$ だけで書けることがわかります。`sigmoid_grad` を書きましょう。",
        "en": "Differentiate the sigmoid. Working out $\\frac{\\partial f(x)}{\\partial x}$ shows that "
        "it can be written with the forward result $f(x)$ alone. Write `sigmoid_grad`.",
    },
    "linear3": {
        "ja": "今度は入力が $(x, y)$ の2列で、層が自分で1の列を足します: "
        "$h_\\theta(X) = [1, X]\\,\\theta^T$、$\\theta = [[c, a, b]]$。`Linear2` を継承して、"
        "`theta` の初期値と `forward` を書きましょう（`backward` と `update` はそのまま使えます）。",
        "en": "Now the inputs are two columns $(x, y)$ and the layer adds the column of ones itself: "
        "$h_\\theta(X) = [1, X]\\,\\theta^T$, $\\theta = [[c, a, b]]$. Inherit from `Linear2` "
        "and write the initial `theta` and `forward` (`backward` and `update` carry over).",
    },
    "sigmoid_layer": {
        "ja": "シグモイド層の `backward` は、上流の勾配に $f(x)(1 - f(x))$ を掛けたものです。"
        "`forward` で保存した `self.output` を使いましょう。",
        "en": "The sigmoid layer's `backward` multiplies the upstream gradient by $f(x)(1 - f(x))$, "
        "using `self.output` saved by `forward`.",
    },
    "bce_loss": {
        "ja": "2値交差エントロピー（平均）は\n\n$$L = -\\frac{1}{N}\\sum_i \\left[t_i \\log(y_i + \\epsilon) + "
        "(1 - t_i)\\log(1 - y_i + \\epsilon)\\right]$$\n\nです。$\\partial L / \\partial y_i$ を求め、"
        "`self.grad` と損失の値を書きましょう。$\\epsilon$ は $\\log 0$ を避けるための小さな数です。",
        "en": "The binary cross-entropy (a mean) is\n\n$$L = -\\frac{1}{N}\\sum_i \\left[t_i \\log(y_i + \\epsilon) + "
        "(1 - t_i)\\log(1 - y_i + \\epsilon)\\right].$$\n\nWork out $\\partial L / \\partial y_i$, then "
        "write `self.grad` and the loss. $\\epsilon$ is a small number that keeps $\\log 0$ away.",
    },
    "train_classification": {
        "ja": "すべての確認が通ったら、ノートブックと同じく1000回学習し、テストデータの正解率を表示します。",
        "en": "Once every check passes, this trains for 1000 steps as the notebook does and prints the "
        "accuracy on the test split.",
    },
    "end": {
        "ja": "# 3. おわりに\n\nここまでの層をすべて自分で書けたら、同じモデルを `chainrule` の自動微分"
        "（`chainrule tutorial`）や PyTorch で動かし、結果を比べてみましょう。",
        "en": "# 3. Closing\n\nOnce you have written every layer yourself, run the same models with "
        "chainrule's autograd (`chainrule tutorial`) or PyTorch and compare the results.",
    },
    "retry": {
        "ja": "上の指摘を直してから、このセルをもう一度実行しましょう",
        "en": "fix what is listed above, then run this cell again",
    },
}
