"""What check() says about what students build after the notebook: optimizers, Dropout, BatchNorm.

Kept apart from messages.py, which holds the notebook's own layers; messages.py merges these in.
"""

from __future__ import annotations

DIAGNOSES: dict[str, dict[str, str]] = {
    "optim_unknown": {
        "en": "cannot tell which update rule this is; name the class after one of {found}, "
        "or pass like=",
        "ja": "どの更新則か判断できません。クラス名を {found} のどれかにするか、like= を指定しましょう",
    },
    "optim_lost_params": {
        "en": "update() removed a parameter from params or put something there that is not an array",
        "ja": "update() が params からパラメータを消したか、配列でないものを入れています",
    },
    "optim_static": {
        "en": "update() does not change this parameter",
        "ja": "update() を呼んでもこのパラメータが変化していません",
    },
    "optim_uphill": {
        "en": "moves uphill: each step is + where {owner} steps by -",
        "ja": "損失が増える向きに動かしています（{owner} では - のところが + になっています）",
    },
    "optim_factor": {
        "en": "every step is a constant multiple of {owner}'s: the learning rate used is not self.lr",
        "ja": "どのステップも {owner} の正しいステップの定数倍です（使っている学習率が self.lr と違います）",
    },
    "optim_lr_changes": {
        "en": "the step size changes from one update() to the next: the learning rate is changed "
        "inside update()",
        "ja": "update() を呼ぶたびにステップの大きさが変わっています（update() の中で学習率を変えています）",
    },
    "optim_wrong": {
        "en": "does not follow {owner}'s update rule (no classic mistake matches)",
        "ja": "{owner} の更新則になっていません（よくある間違いのどれとも一致しません）",
    },
    "optim_no_bias_correction": {
        "en": "Adam without bias correction: m and v are not divided by 1 - beta1**t and 1 - beta2**t",
        "ja": "Adam のバイアス補正がありません（m と v を 1 - beta1**t、1 - beta2**t で割っていません）",
    },
    "optim_bias_power": {
        "en": "bias correction with the wrong power: 1 - beta**(t + 1) where 1 - beta**t is meant",
        "ja": "バイアス補正の指数が違います: 1 - beta**t であるべきところが 1 - beta**(t + 1) です",
    },
    "optim_eps_inside": {
        "en": "eps inside the square root: sqrt(v + eps) where sqrt(v) + eps is meant",
        "ja": "eps が平方根の中にあります: sqrt(v) + eps であるべきところが sqrt(v + eps) です",
    },
    "optim_t_per_param": {
        "en": "the step count t grows once per parameter, not once per update() call",
        "ja": "ステップ数 t が update() 1回につき1ではなく、パラメータ1つごとに増えています",
    },
    "optim_state_shared": {
        "en": "one state (velocity, h, m, v) is shared by all parameters of the same shape",
        "ja": "状態（速度 v、h、m など）を同じ形のパラメータ全部で共有しています",
    },
    "optim_velocity_reset": {
        "en": "the velocity starts from zero at every update(), so this is plain SGD",
        "ja": "update() のたびに速度が 0 から始まっているので、ただの SGD になっています",
    },
    "optim_nesterov_plain": {
        "en": "plain momentum, not Nesterov's look-ahead step",
        "ja": "ただの Momentum で、Nesterov の先読みのステップになっていません",
    },
    "optim_nesterov_v_new": {
        "en": "uses the velocity after this step's update in momentum**2 * v (as one textbook's "
        "code does); Nesterov's rule (torch.optim.SGD(nesterov=True)) uses the velocity before it",
        "ja": "momentum**2 * v に更新後の速度を使っています（ある教科書のコードと同じ）。"
        "Nesterov の更新則（torch.optim.SGD(nesterov=True)）では更新前の速度を使います",
    },
    "optim_not_accumulated": {
        "en": "h is not accumulated: h = g * g where h += g * g is meant",
        "ja": "h が蓄積されていません: h += g * g であるべきところが h = g * g です",
    },
    "optim_decay_swapped": {
        "en": "decay_rate and 1 - decay_rate swapped: h = (1 - decay) h + decay g**2",
        "ja": "decay_rate と 1 - decay_rate が逆です: h = (1 - decay) h + decay g**2 になっています",
    },
    "optim_no_weight_decay": {
        "en": "weight decay missing: the gradient must get + weight_decay * param",
        "ja": "荷重減衰（weight decay）がありません。勾配に weight_decay * param を足しましょう",
    },
    "optim_weight_decay_sign": {
        "en": "weight decay with the wrong sign: - weight_decay * param where + is meant",
        "ja": "荷重減衰の符号が逆です: + weight_decay * param であるべきところが - です",
    },
    "clip_lost": {
        "en": "returns neither the gradients nor leaves them in the dict it was given",
        "ja": "勾配を返しておらず、受け取った辞書にも残っていません",
    },
    "clip_per_tensor": {
        "en": "clips each gradient by its own norm; the norm to clip is that of all gradients "
        "together (global norm)",
        "ja": "勾配ごとに自分のノルムで切り詰めています。切り詰めるのは全勾配をまとめたノルム（global norm）です",
    },
    "clip_never": {
        "en": "leaves the gradients as they were although their global norm is above max_norm",
        "ja": "全体のノルムが max_norm を超えているのに、勾配がそのままです",
    },
    "clip_below_threshold": {
        "en": "changes the gradients although their global norm is below max_norm "
        "(global norm after: {found})",
        "ja": "全体のノルムが max_norm 以下なのに、勾配を変えています（変更後のノルム: {found}）",
    },
    "clip_wrong": {
        "en": "the clipped gradients' global norm is {found}, not max_norm",
        "ja": "切り詰めた後の全体のノルムが {found} で、max_norm になっていません",
    },
    "net_no_weight_decay": {
        "en": "lacks the weight decay the loss adds: the gradient of 0.5 * lambda * sum(W ** 2) "
        "is lambda * W (lambda = {found})",
        "ja": "損失に加えた荷重減衰の勾配がありません。0.5 * lambda * sum(W ** 2) の勾配は "
        "lambda * W です（lambda = {found}）",
    },
    "random_backward": {
        "en": "does not match forward's own random draw: backward must reuse the mask forward kept",
        "ja": "forward で引いた乱数と合っていません。backward は forward が保存したマスクを使います",
    },
    "test_random": {
        "en": "test mode ({owner}=False) still draws at random: two calls on the same inputs differ",
        "ja": "テストモード（{owner}=False）でも乱数を使っています（同じ入力で2回呼ぶと値が違います）",
    },
    "test_scale": {
        "en": "test mode ({owner}=False) returns {value} x inputs, but training mode keeps "
        "{factor} x inputs on average",
        "ja": "テストモード（{owner}=False）では入力の {value} 倍を返しますが、学習モードでは平均して "
        "{factor} 倍です",
    },
    "test_mode_wrong": {
        "en": "test mode ({owner}=False) is not gamma * (x - running mean) / sqrt(running var + eps) + beta",
        "ja": "テストモード（{owner}=False）が gamma * (x - 移動平均) / sqrt(移動分散 + eps) + beta に"
        "なっていません",
    },
    "test_uses_batch": {
        "en": "test mode ({owner}=False) normalizes with the batch's own mean and variance",
        "ja": "テストモード（{owner}=False）でもバッチ自身の平均と分散で正規化しています",
    },
    "running_static": {
        "en": "not updated by a forward in training mode",
        "ja": "学習モードの forward で更新されていません",
    },
    "running_wrong": {
        "en": "not a blend of its old value and the batch's {found} (momentum * old + (1 - momentum) * batch)",
        "ja": "古い値とバッチの{found}の混合（momentum * 古い値 + (1 - momentum) * バッチ）になっていません",
    },
    "running_in_test": {
        "en": "changed by a forward in test mode ({owner}=False)",
        "ja": "テストモード（{owner}=False）の forward で変わっています",
    },
}

HINTS: dict[str, dict[str, str]] = {
    "repeated_indices": {
        "en": "an index that appears twice must add both rows of dout: np.add.at(dW, idx, dout), "
        "not dW[idx] = dout (which keeps only the last).",
        "ja": "2回出てくるインデックスには dout の両方の行を足します: dW[idx] = dout（最後の行しか"
        "残りません）ではなく np.add.at(dW, idx, dout) を使いましょう。",
    },
    "optim_static": {
        "en": "assigning to a local name (p = p - lr * g) leaves params as it was: "
        "write params[key] -= ... or params[key] = params[key] - ...",
        "ja": "ローカル変数への代入（p = p - lr * g）では params は変わりません。"
        "params[key] -= ... か params[key] = params[key] - ... と書きましょう。",
    },
    "optim_state_shared": {
        "en": "keep one state per parameter, in a dict keyed like params: self.v[key].",
        "ja": "状態はパラメータごとに、params と同じキーの辞書に持ちましょう: self.v[key]。",
    },
    "optim_nesterov_v_new": {
        "en": "params[key] += momentum**2 * v_old - (1 + momentum) * lr * grads[key], "
        "then v = momentum * v_old - lr * grads[key].",
        "ja": "params[key] += momentum**2 * v_old - (1 + momentum) * lr * grads[key] としてから、"
        "v = momentum * v_old - lr * grads[key] と更新しましょう。",
    },
    "optim_t_per_param": {
        "en": "increment self.iter once, before the loop over params.",
        "ja": "self.iter は params のループの前に1回だけ増やしましょう。",
    },
    "optim_bias_power": {
        "en": "increment t before using it, so that the first step uses t = 1.",
        "ja": "t は使う前に増やし、最初のステップで t = 1 になるようにしましょう。",
    },
    "optim_lr_changes": {
        "en": "decay the learning rate outside update() (a scheduler), not inside it.",
        "ja": "学習率の減衰は update() の外（スケジューラ）で行いましょう。",
    },
    "clip_per_tensor": {
        "en": "total_norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values())); then scale every "
        "gradient by max_norm / (total_norm + 1e-6) when that is below 1.",
        "ja": "total_norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values())) を求め、"
        "max_norm / (total_norm + 1e-6) が 1 未満のときだけ、すべての勾配にそれを掛けましょう。",
    },
    "clip_below_threshold": {
        "en": "scale only when rate = max_norm / (total_norm + 1e-6) is below 1.",
        "ja": "rate = max_norm / (total_norm + 1e-6) が 1 未満のときだけ掛けましょう。",
    },
    "random_backward": {
        "en": "store the mask in forward (self.mask = ...) and use self.mask in backward; "
        "do not draw a new one.",
        "ja": "forward でマスクを self.mask に保存し、backward では新しく引かずに self.mask を使いましょう。",
    },
    "test_scale": {
        "en": "either scale in training (x * mask / (1 - ratio), inverted dropout) and return x in "
        "test mode, or keep x * mask and return x * (1 - ratio) in test mode.",
        "ja": "学習時に x * mask / (1 - ratio) とスケールしてテスト時は x を返すか（inverted dropout）、"
        "学習時は x * mask のままテスト時に x * (1 - ratio) を返しましょう。",
    },
    "test_uses_batch": {
        "en": "in test mode use the running mean and variance kept during training.",
        "ja": "テストモードでは学習中に更新した移動平均と移動分散を使いましょう。",
    },
    "running_static": {
        "en": "in training mode: running = momentum * running + (1 - momentum) * batch statistic.",
        "ja": "学習モードで running = momentum * running + (1 - momentum) * バッチの統計量 と更新しましょう。",
    },
    "running_in_test": {
        "en": "update the running statistics only when training.",
        "ja": "移動平均・移動分散は学習モードのときだけ更新しましょう。",
    },
}

TEXT: dict[str, dict[str, str]] = {
    "at_step": {
        "en": "first wrong at step {step} (the rule run with {found})",
        "ja": "{step} ステップ目で最初に違っています（正しい更新則は {found} で計算）",
    },
}
