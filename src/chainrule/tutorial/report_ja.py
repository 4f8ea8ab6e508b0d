"""The tutorial's report in Japanese (``chainrule tutorial --lang ja``): the same numbers as the
English report, line for line, written as a Japanese textbook would put them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .common import plots_line, precision_rows


def regression(result: dict[str, Any]) -> list[str]:
    one, gd, ols, ex = result["one_variable"], result["gd"], result["ols"], result["exercise1"]
    lines = [
        "== 1.1 未知数が1つの場合: (x, y) = (2, 6) から y = 2x + b の b を求める ==",
        f"b の初期値 (random.seed(123); random.random()) = {one['b_init']:.6f}",
        f"誤差 y - (ax + b) = {one['first_error']:.6f}。これを一度足すと b = {one['b_one_jump']:.6f}",
        f"誤差の {one['step_size']} 倍ずつ {one['steps']} ステップ修正すると b = {one['b_final']:.12f} "
        f"({one['steps_until_error_below_1e-12']} ステップで誤差が 1e-12 未満)",
        "",
        "== 1.2 未知数が2つの場合: y = ax + b + ノイズ、10点、MSE、最急降下法 ==",
        f"theta [[b, a]] の初期値 = {np.round(gd['initial_theta'], 6).tolist()} (シード固定)",
        f"学習率 {gd['lr']} で {gd['steps']} ステップ後: a = {gd['a']:.6f}, b = {gd['b']:.6f}, 損失 = {gd['final_loss']:.6f}",
        f"最小二乗法の解析解: a = {ols['a']:.6f} (標準誤差 {ols['se_a']:.3f}), b = {ols['b']:.6f} "
        f"(標準誤差 {ols['se_b']:.3f}), 損失 = {ols['loss']:.6f}",
        f"autograd (nn.Linear + MSELoss + SGD) と手作業の連鎖の差の最大値 = {gd['autograd_max_abs_diff']:.1e}",
        "",
        "== 課題1: なぜ a = 2, b = 3 にならないのか ==",
        f"1. 最急降下法がまだ収束していない: {gd['steps']} ステップ後も最小二乗解から {ex['gd_gap_after_steps']:.4f} 離れており、",
        f"   1e-6 以内に近づくには {ex['steps_to_ols_within_1e-6']} ステップかかる。x の平均が {ex['x_mean']:.2f} なので",
        "   a と b の方向が互いに影響し合い、損失関数は細長い谷の形になる。",
        f"2. x を標準化する (z = (x - {ex['x_mean']:.2f}) / {ex['x_std']:.2f}) と2つの方向が独立になり、"
        f"同じ学習率で {ex['steps_to_ols_within_1e-6_standardized']} ステップで収束する",
        "   (z の係数を x の a と b に戻して 1e-6 以内。標準偏差は np.std の母標準偏差 ddof=0)。",
        "3. 厳密な最小値でも (2, 3) にはならない: ノイズを含む10点では推定値に 1/3 程度の標準誤差がある。",
        "   標本を増やすと、標準誤差は 1/√n に比例して小さくなり、推定値は真の値に近づく:",
        "       n        a        標準誤差(a)   b        標準誤差(b)",
    ]
    for row in ex["sample_size"]:
        lines.append(
            f"   {row['n']:6d}  {row['a']:8.4f}  {row['se_a']:8.4f}  {row['b']:8.4f}  {row['se_b']:8.4f}"
        )
    lines.append(plots_line(result, "ja"))
    return lines


def classification(result: dict[str, Any]) -> list[str]:
    m, c, t, b = result["metrics"], result["confusion"], result["theta"], result["boundary"]
    return [
        "== 2. 分類: 線形層 (バイアス付き) -> シグモイド -> BCE ==",
        f"データ: 直線 y = -x + 3 の周りの1000点。最初の {result['n_train']} 点で学習し、残りの {result['n_test']} 点でテストする",
        f"学習率 {result['lr']} でバッチ全体を使って {result['steps']} ステップ学習した結果: theta [[c, a, b]] = "
        f"[[{t['bias']:.4f}, {t['w_x']:.4f}, {t['w_y']:.4f}]], BCE = {result['final_loss']:.6f}",
        f"autograd (nn + optim.SGD) と手作業の連鎖の差の最大値 = {result['autograd_max_abs_diff']:.1e}",
        f"学習した境界 y = {b['slope']:.4f} x + {b['intercept']:.4f} (真の境界: y = -x + 3)",
        f"学習データの正解率 {result['train_accuracy']:.4f}",
        f"テストデータ: 正解率 {m['accuracy']:.4f}, 適合率 {m['precision']:.4f}, 再現率 {m['recall']:.4f}, F1 {m['f1']:.4f}",
        f"混同行列: TP {c['tp']}  FP {c['fp']}  TN {c['tn']}  FN {c['fn']}",
        plots_line(result, "ja"),
    ]


def softmax(result: dict[str, Any]) -> list[str]:
    lines = [
        "== 課題: なぜ softmax の後に log を取るのではなく LogSoftmax + NLL なのか ==",
        "ロジット s * [1, 0, -1] に対する、最大のクラスと最小のクラスの log p (float64):",
        "     s   exp/和/log (シフトなし)   softmax の後に log     log_softmax       勾配が有限か",
        "                                                                           (softmax+log / log_softmax)",
    ]
    lines += precision_rows(result)
    three = result["three_class"]
    lines += [
        "exp(1000) は inf にオーバーフローする (inf/inf = NaN)。最大値を引けばこれは防げるが、",
        "exp(-2000) は 0 にアンダーフローし、log(0) = -inf となって勾配は NaN になる。log_softmax は",
        "z - max - log(sum(exp(z - max))) を計算する。和は必ず 1 以上なので、log に 0 が渡ることはない。",
        "",
        "== CrossEntropyLoss (LogSoftmax + NLLLoss を1つにまとめたもの) による3クラス分類 ==",
        f"学習率 {three['lr']} でバッチ全体の SGD を {three['steps']} ステップ: 学習データの損失 {three['final_loss']:.6f}",
        f"テストデータの損失: CrossEntropyLoss {three['test_loss_cross_entropy']:.12f}, "
        f"LogSoftmax + NLLLoss {three['test_loss_log_softmax_nll']:.12f}",
        f"テストデータの正解率 {three['accuracy']:.4f}, マクロ平均 F1 {three['macro_f1']:.4f}",
        f"混同行列 (行が正解、列が予測): {three['confusion']}",
        plots_line(result, "ja"),
    ]
    return lines
