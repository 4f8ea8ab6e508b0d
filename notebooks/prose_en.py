"""The English notebook's text cells (build.py places them between the code cells)."""

PROSE = {
    "title": r"""# Backpropagation from scratch, with chainrule

We follow the classic teaching notebook on backpropagation. Each section first derives what it
computes, then computes it: by hand, chaining `forward` and `backward` layer by layer; then
with autograd, checking that the numbers agree; then against PyTorch. Each exercise asks its
question first: try to answer it before you run the cell below it.""",
    "one_variable": r"""## 1.1 One unknown

Take $y = a x + b$ with $a = 2$ known and one observation $(x, y) = (2, 6)$. Start from a
random $b$ and measure the error

$$e = y - (a x + b).$$

Adding $e$ to $b$ once lands exactly on $b = 2$. Adding a fraction $\eta$ of it gives
$e_{k+1} = (1 - \eta)\, e_k$: with $\eta = 0.5$ the error halves at every step, so it shrinks
geometrically and $b$ converges to 2.""",
    "data": r"""## 1.2 Two unknowns by gradient descent

Ten noisy points from $y = 2x + 3 + \varepsilon$. Putting a column of ones in front of $x$
lets one weight row $\theta = [[b, a]]$ hold both the intercept and the slope:
$p = X \theta^\top$, that is $p_i = b + a x_i$.""",
    "mse": r"""### The gradient, one link of the chain at a time

The loss is the mean squared error over the $N$ points,

$$L = \frac{1}{N} \sum_{i=1}^{N} (p_i - t_i)^2 .$$

**Question.** What is $\partial L / \partial \theta$? Write it as two factors, one from the loss and
one from the linear layer, before reading on.

*Answer.* The loss depends on $\theta$ only through the predictions $p_i$, so the chain rule
splits the derivative in two:

$$\frac{\partial L}{\partial p_i} = \frac{2}{N}(p_i - t_i), \qquad
\frac{\partial p_i}{\partial b} = 1, \qquad \frac{\partial p_i}{\partial a} = x_i ,$$

$$\frac{\partial L}{\partial a} = \sum_i \frac{\partial L}{\partial p_i}\,\frac{\partial p_i}{\partial a}
= \frac{2}{N}\sum_i (p_i - t_i)\, x_i , \qquad
\frac{\partial L}{\partial b} = \frac{2}{N}\sum_i (p_i - t_i).$$

In matrix form both at once: $\partial L / \partial \theta = (\partial L / \partial p)^\top X$, the
layer's `grad_theta`. The MSE layer's `backward()` takes no argument and returns
$\partial L / \partial p$; the linear layer's `backward(grad=...)` multiplies it by its own factor.
Gradient descent then moves $\theta \leftarrow \theta - \alpha\, \partial L / \partial \theta$.""",
    "regression_figures": r"""The figures: the data with the line gradient descent found, the closed-form least-squares
line and the true line; then the loss falling step by step (log scale).""",
    "graph_regression": r"""### See the chain

autograd records every operation as a node of a graph. `viz.graph` draws it: boxes are
tensors (name, shape, dtype, and the gradient $\partial L / \partial(\cdot)$ the backward pass sends
them), ellipses are the Functions that made them. Follow the arrows backwards from the loss and
you read the chain rule above.""",
    "gradcheck": r"""### Checking your own Function

A `Function` holds a forward and its derivative side by side. `gradcheck` compares the
derivative with central finite differences, $\frac{f(x + h) - f(x - h)}{2h}$, using a random
upstream gradient (an all-ones one would let a backward that forgets `grad_y` pass), and names
the element where they disagree.""",
    "autograd": r"""### The same model with autograd

`nn.Linear`, `nn.MSELoss` and `optim.SGD` call the very same Functions as the hand-chained
layers, so the result is identical, bit for bit.""",
    "exercise1_question": r"""### Exercise 1: the data came from $a = 2, b = 3$. Why did we not get those back?

Think of two separate reasons before you run the next cell.""",
    "exercise1_answer": r"""*Answer.* First, 100 steps of gradient descent have not finished: the closed-form
least-squares answer $\hat\theta = (X^\top X)^{-1} X^\top t$ is still some way off, and with more
steps gradient descent reaches it. Second, even $\hat\theta$ differs from $(2, 3)$: ten noisy points
do not pin the line down. The standard errors shrink in proportion to $1/\sqrt{n}$ as the
sample grows, and the estimates close in on the truth.""",
    "sigmoid_question": r"""## 2. Classification with sigmoid and binary cross-entropy

A linear layer gives a score $z = c + a x + b y$ for each point; the sigmoid squashes it into a
probability,

$$\sigma(z) = \frac{1}{1 + e^{-z}} .$$

**Question.** What is $d\sigma / dz$? Try to write it in terms of $\sigma(z)$ itself.""",
    "sigmoid_answer": r"""*Answer.* Differentiate $(1 + e^{-z})^{-1}$ with the chain rule:

$$\frac{d\sigma}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2}
= \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\,\bigl(1 - \sigma(z)\bigr).$$

So the backward pass needs nothing but the forward's output $y = \sigma(z)$. The slope peaks at
$1/4$ where $z = 0$ (the 0.5 threshold) and vanishes far from it.""",
    "bce_question": r"""### Binary cross-entropy

$$L = -\frac{1}{N} \sum_i \bigl[t_i \log y_i + (1 - t_i) \log(1 - y_i)\bigr]$$

**Question.** What is $\partial L / \partial y_i$, and what does it become once multiplied by
$d\sigma / dz$?""",
    "bce_answer": r"""*Answer.*

$$\frac{\partial L}{\partial y_i} = -\frac{1}{N}\left(\frac{t_i}{y_i} - \frac{1 - t_i}{1 - y_i}\right)
= \frac{1}{N}\,\frac{y_i - t_i}{y_i (1 - y_i)} ,$$

and the sigmoid's factor $y_i (1 - y_i)$ cancels the denominator:

$$\frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial y_i}\,\frac{d y_i}{d z_i} = \frac{y_i - t_i}{N}.$$

The same shape as the MSE gradient: prediction minus target. The points are in $[0, 3]^2$,
labelled by the side of $y = -x + 3$ with a fuzzy band around the line; the first 900 train, the
last 100 test.""",
    "classification_figures": r"""The figures: training points as dots and test points as crosses, with the true and the learned
boundary $c + a x + b y = 0$; the loss; and the confusion matrix of the 100 test points (rows
are the true class, columns the predicted one).""",
    "graph_classification": r"""The graph of the classifier on four points: linear map, sigmoid, binary cross-entropy.""",
    "softmax_question": r"""### Exercise: with more than two classes, why LogSoftmax + NLL rather than softmax then log?

Softmax turns scores into probabilities, $\mathrm{softmax}(z)_k = e^{z_k} / \sum_j e^{z_j}$. Guess
what happens to $\log \mathrm{softmax}(z)$ when the scores are in the hundreds, then run the cell.""",
    "softmax_answer": r"""*Answer.* The softmax of an unlikely class underflows to exactly 0, and $\log 0 = -\infty$, whose
gradient is NaN. Written out,

$$\log \mathrm{softmax}(z)_k = z_k - m - \log \sum_j e^{z_j - m}, \qquad m = \max_j z_j ,$$

and the sum is at least 1 (the largest term is $e^0$), so the log never sees 0.
`CrossEntropyLoss` is exactly LogSoftmax followed by NLL, fused. Below, three classes in bands;
the loss curve zig-zags early because the inputs are not centred (its caption says why).""",
    "pytorch_question": r"""## The last exercise: look at PyTorch

**Question.** Train the notebook's two models three ways from the same start: hand-chained,
chainrule autograd and PyTorch. Which columns will agree to the last bit, and why might the
third not?""",
    "pytorch_answer": r"""*Answer.* The hand-chained layers and autograd call the same Functions, so they agree bit for bit
when they compute the same formula; PyTorch runs its own kernels, so it agrees up to rounding.
The training loop above is written once and runs on both libraries: only the imports and the
dtype name change. `chainrule tutorial pytorch` prints the same comparison.""",
    "summary": "## Key numbers",
}
