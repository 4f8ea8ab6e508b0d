"""The Japanese notebook's text cells (build.py places them between the code cells)."""

PROSE = {
    "title": r"""# chainrule で学ぶ誤差逆伝搬法

誤差逆伝搬法の定番の教材ノートブックに沿って進めます。各節ではまず計算する内容を式で導き、
それから実際に計算します。最初は各層の `forward` と `backward` を手で順につなぎ、次に同じ計算を
autograd に任せて数値が一致することを確かめ、最後に PyTorch と比べます。課題では先に問いを
示します。下のセルを実行する前に、まず自分で考えてみてください。""",
    "one_variable": r"""## 1.1 未知数が1つの場合

$y = a x + b$ で $a = 2$ が既知、観測 $(x, y) = (2, 6)$ が1つだけあるとします。乱数で決めた
$b$ から始めて、誤差

$$e = y - (a x + b)$$

を測ります。$e$ を一度 $b$ に足せばちょうど $b = 2$ になります。$e$ の $\eta$ 倍ずつ足すと
$e_{k+1} = (1 - \eta)\, e_k$ となり、$\eta = 0.5$ なら誤差は1ステップごとに半分になります。
誤差は等比数列的に小さくなり、$b$ は 2 に収束します。""",
    "data": r"""## 1.2 最急降下法で2つの未知数を推定する

$y = 2x + 3 + \varepsilon$ から作ったノイズ入りの10点です。$x$ の前に1の列を加えると、
1行の重み $\theta = [[b, a]]$ で切片と傾きをまとめて扱えます。予測は $p = X \theta^\top$、
すなわち $p_i = b + a x_i$ です。""",
    "mse": r"""### 勾配を連鎖の1つずつに分けて求める

損失は $N$ 点の平均二乗誤差です。

$$L = \frac{1}{N} \sum_{i=1}^{N} (p_i - t_i)^2$$

**問い.** $\partial L / \partial \theta$ はどうなるでしょうか。先を読む前に、損失関数から来る因子と
線形層から来る因子の2つの積として書いてみてください。

*答え.* $L$ は予測値 $p_i$ を通してのみ $\theta$ に依存するので、連鎖律により微分は2つに分かれます。

$$\frac{\partial L}{\partial p_i} = \frac{2}{N}(p_i - t_i), \qquad
\frac{\partial p_i}{\partial b} = 1, \qquad \frac{\partial p_i}{\partial a} = x_i$$

$$\frac{\partial L}{\partial a} = \sum_i \frac{\partial L}{\partial p_i}\,\frac{\partial p_i}{\partial a}
= \frac{2}{N}\sum_i (p_i - t_i)\, x_i , \qquad
\frac{\partial L}{\partial b} = \frac{2}{N}\sum_i (p_i - t_i)$$

行列でまとめて書くと $\partial L / \partial \theta = (\partial L / \partial p)^\top X$ で、これが線形層の
`grad_theta` です。MSE 層の `backward()` は引数を取らずに $\partial L / \partial p$ を返し、線形層の
`backward(grad=...)` はそれに自分の因子を掛けます。最急降下法では
$\theta \leftarrow \theta - \alpha\, \partial L / \partial \theta$ と更新します。""",
    "regression_figures": r"""上の図はデータと、最急降下法で求めた直線、最小二乗法の解析解による直線、真の直線です。
下の図は損失がステップごとに減っていく様子です (縦軸は対数)。""",
    "graph_regression": r"""### 計算グラフを見る

autograd はすべての演算をグラフのノードとして記録します。`viz.graph` はそれを描きます。
四角がテンソル (名前、形状、dtype、逆伝搬で届く勾配 $\partial L / \partial(\cdot)$)、楕円がそれを作った
Function です。損失から矢印を逆にたどると、上で導いた連鎖律そのものが読み取れます。""",
    "gradcheck": r"""### 自作の Function を確かめる

`Function` には順伝搬とその微分を並べて書きます。`gradcheck` はその微分を中心差分
$\frac{f(x + h) - f(x - h)}{2h}$ と比べます。上流の勾配にはランダムな値を使い (すべて1だと、
`grad_y` を掛け忘れた backward でも通ってしまいます)、食い違う要素を教えてくれます。""",
    "autograd": r"""### 同じモデルを autograd で

`nn.Linear`、`nn.MSELoss`、`optim.SGD` は手でつないだ層とまったく同じ Function を呼ぶので、
結果はビット単位で完全に一致します。""",
    "exercise1_question": r"""### 課題1: データは $a = 2, b = 3$ から作りました。なぜその値が得られないのでしょうか

次のセルを実行する前に、理由を2つ考えてみてください。""",
    "exercise1_answer": r"""*答え.* 1つ目に、100ステップでは最急降下法がまだ収束しきっていません。最小二乗法の解析解
$\hat\theta = (X^\top X)^{-1} X^\top t$ との差が残っており、ステップを増やせば追いつきます。
2つ目に、$\hat\theta$ そのものも $(2, 3)$ とは異なります。ノイズを含む10点だけでは直線が
決まりきらないためです。標準誤差はサンプル数 $n$ に対して $1/\sqrt{n}$ に比例して小さくなり、
推定値は真の値に近づいていきます。""",
    "sigmoid_question": r"""## 2. シグモイドと二値交差エントロピーによる分類

線形層が各点にスコア $z = c + a x + b y$ を与え、シグモイド関数がそれを確率に変換します。

$$\sigma(z) = \frac{1}{1 + e^{-z}}$$

**問い.** $d\sigma / dz$ はどうなるでしょうか。$\sigma(z)$ 自身を使って書いてみてください。""",
    "sigmoid_answer": r"""*答え.* $(1 + e^{-z})^{-1}$ を連鎖律で微分します。

$$\frac{d\sigma}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2}
= \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)$$

したがって逆伝搬には順伝搬の出力 $y = \sigma(z)$ だけがあれば足ります。傾きは $z = 0$
(しきい値 0.5 の位置) で最大値 $1/4$ をとり、そこから離れると 0 に近づきます。""",
    "bce_question": r"""### 二値交差エントロピー

$$L = -\frac{1}{N} \sum_i \bigl[t_i \log y_i + (1 - t_i) \log(1 - y_i)\bigr]$$

**問い.** $\partial L / \partial y_i$ はどうなるでしょうか。また、それに $d\sigma / dz$ を掛けると
どうなるでしょうか。""",
    "bce_answer": r"""*答え.*

$$\frac{\partial L}{\partial y_i} = -\frac{1}{N}\left(\frac{t_i}{y_i} - \frac{1 - t_i}{1 - y_i}\right)
= \frac{1}{N}\,\frac{y_i - t_i}{y_i (1 - y_i)}$$

シグモイドの因子 $y_i (1 - y_i)$ が分母と打ち消し合います。

$$\frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial y_i}\,\frac{d y_i}{d z_i} = \frac{y_i - t_i}{N}$$

MSE の勾配と同じく「予測値 − 正解」の形です。データは $[0, 3]^2$ の点を直線 $y = -x + 3$ の
どちら側にあるかで分類したもので、直線の近くはラベルがあいまいです。最初の900点で学習し、
残りの100点でテストします。""",
    "classification_figures": r"""学習データを点、テストデータを × で示し、真の境界と学習した境界 $c + a x + b y = 0$ を
重ねています。続いて損失の推移と、テストデータ100点の混同行列 (行が正解クラス、列が
予測クラス) です。""",
    "graph_classification": r"""4点で計算した分類器のグラフです。線形変換、シグモイド、二値交差エントロピーの順に並びます。""",
    "softmax_question": r"""### 課題: 3クラス以上では、なぜ softmax の後に log を取らず LogSoftmax + NLL を使うのか

softmax はスコアを確率に変換します: $\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$。
スコアが数百の大きさのとき $\log \mathrm{softmax}(z)$ がどうなるかを予想してから、セルを実行してください。""",
    "softmax_answer": r"""*答え.* 起こりにくいクラスの softmax はちょうど 0 にアンダーフローし、$\log 0 = -\infty$ と
なって勾配は NaN になります。式を変形すると

$$\log \mathrm{softmax}(z)_k = z_k - m - \log \sum_j e^{z_j - m}, \qquad m = \max_j z_j$$

となり、和は必ず 1 以上 (最大の項が $e^0 = 1$) なので、log に 0 が渡ることはありません。
`CrossEntropyLoss` は LogSoftmax と NLL を1つにまとめたものです。下では帯状に並んだ3クラスを
学習します。損失曲線の序盤がジグザグになるのは入力が中心化されていないためです (図の説明を参照)。""",
    "pytorch_question": r"""## 最後の課題: PyTorch と比べる

**問い.** ノートブックの2つのモデルを、同じ初期値から3通りの方法で学習します。手作業の連鎖、
chainrule の autograd、そして PyTorch です。どの列どうしがビット単位で完全に一致するでしょうか。
また、一致しない列があるとすればなぜでしょうか。""",
    "pytorch_answer": r"""*答え.* 手作業の層と autograd は同じ Function を呼ぶので、同じ式を計算する限りビット単位で
完全に一致します。PyTorch は独自のカーネルで計算するため、一致は丸め誤差の範囲にとどまります。
上の学習ループは一度だけ書かれ、両方のライブラリで動きます。変わるのは import と dtype の名前だけです。
`chainrule tutorial pytorch --lang ja` でも同じ比較を表示できます。""",
    "summary": "## 主な数値",
}
