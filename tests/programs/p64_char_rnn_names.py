"""The tutorial "Classifying names with a character-level RNN": unicodeToAscii, one-hot
letterToTensor / lineToTensor filled by chained indexing, a hand-written RNN module that
torch.cat's input and hidden with initHidden, LogSoftmax + NLLLoss, topk to read a category,
the manual update p.data.add_(p.grad.data, alpha=-learning_rate), a running current_loss,
a row-normalised confusion matrix and predict() under no_grad; on a small made-up name list."""

import random
import string
import unicodedata

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4

NAMES = {
    "Japanese": ["Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Abe"],
    "Italian": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"],
    "Czech": ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"],
    "Scottish": ["Smith", "Brown", "Wilson", "Campbell", "Stewart", "Thomson", "Robertson"],
}


def main(torch):
    nn = torch.nn
    all_letters = string.ascii_letters + " .,;'"
    n_letters = len(all_letters)

    def unicodeToAscii(s):
        return "".join(
            c
            for c in unicodedata.normalize("NFD", s)
            if unicodedata.category(c) != "Mn" and c in all_letters
        )

    category_lines = {k: [unicodeToAscii(n) for n in v] for k, v in NAMES.items()}
    all_categories = list(category_lines)
    n_categories = len(all_categories)

    def letterToIndex(letter):
        return all_letters.find(letter)

    def letterToTensor(letter):
        tensor = torch.zeros(1, n_letters)
        tensor[0][letterToIndex(letter)] = 1
        return tensor

    def lineToTensor(line):
        tensor = torch.zeros(len(line), 1, n_letters)
        for li, letter in enumerate(line):
            tensor[li][0][letterToIndex(letter)] = 1
        return tensor

    out = {
        "ascii": category_lines["Czech"][3],
        "letter_J": letterToTensor("J").argmax().item(),
        "line_shape": list(lineToTensor("Jones").size()),
        "line_sum": lineToTensor("Jones").sum().item(),
    }

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size, output_size):
            super(RNN, self).__init__()
            self.hidden_size = hidden_size
            self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
            self.i2o = nn.Linear(input_size + hidden_size, output_size)
            self.softmax = nn.LogSoftmax(dim=1)

        def forward(self, input, hidden):
            combined = torch.cat((input, hidden), 1)
            hidden = self.i2h(combined)
            output = self.i2o(combined)
            output = self.softmax(output)
            return output, hidden

        def initHidden(self):
            return torch.zeros(1, self.hidden_size)

    n_hidden = 32
    rnn = RNN(n_letters, n_hidden, n_categories)
    init_from_numpy(torch, rnn, seed=64, scale=0.1)
    input = letterToTensor("A")
    hidden = torch.zeros(1, n_hidden)
    output, next_hidden = rnn(input, hidden)
    out["first_output"] = output.detach().numpy()

    def categoryFromOutput(output):
        top_n, top_i = output.topk(1)
        category_i = top_i[0].item()
        return all_categories[category_i], category_i

    out["first_category"] = categoryFromOutput(output)[0]
    chooser = random.Random(64)

    def randomChoice(items):
        return items[chooser.randint(0, len(items) - 1)]

    def randomTrainingExample():
        category = randomChoice(all_categories)
        line = randomChoice(category_lines[category])
        category_tensor = torch.tensor([all_categories.index(category)], dtype=torch.long)
        line_tensor = lineToTensor(line)
        return category, line, category_tensor, line_tensor

    criterion = nn.NLLLoss()
    learning_rate = 0.005

    def train(category_tensor, line_tensor):
        hidden = rnn.initHidden()
        rnn.zero_grad()
        for i in range(line_tensor.size()[0]):
            output, hidden = rnn(line_tensor[i], hidden)
        loss = criterion(output, category_tensor)
        loss.backward()
        for p in rnn.parameters():
            p.data.add_(p.grad.data, alpha=-learning_rate)
        return output, loss.item()

    n_iters, print_every, plot_every = 400, 100, 50
    current_loss = 0
    all_losses, correct_marks = [], []
    for iter in range(1, n_iters + 1):
        category, line, category_tensor, line_tensor = randomTrainingExample()
        output, loss = train(category_tensor, line_tensor)
        current_loss += loss
        if iter % print_every == 0:
            guess, guess_i = categoryFromOutput(output)
            correct_marks.append(guess == category)
        if iter % plot_every == 0:
            all_losses.append(current_loss / plot_every)
            current_loss = 0
    out["all_losses"] = np.array(all_losses)
    out["correct_marks"] = [str(mark) for mark in correct_marks]

    confusion = torch.zeros(n_categories, n_categories)

    def evaluate(line_tensor):
        hidden = rnn.initHidden()
        for i in range(line_tensor.size()[0]):
            output, hidden = rnn(line_tensor[i], hidden)
        return output

    for category in all_categories:
        for line in category_lines[category]:
            output = evaluate(lineToTensor(line))
            guess, guess_i = categoryFromOutput(output)
            category_i = all_categories.index(category)
            confusion[category_i][guess_i] += 1
    for i in range(n_categories):
        confusion[i] = confusion[i] / confusion[i].sum()
    out["confusion"] = confusion.numpy()

    def predict(input_line, n_predictions=3):
        with torch.no_grad():
            output = evaluate(lineToTensor(input_line))
            topv, topi = output.topk(n_predictions, 1, True)
            predictions = []
            for i in range(n_predictions):
                value = topv[0][i].item()
                category_index = topi[0][i].item()
                predictions.append([value, all_categories[category_index]])
        return predictions

    predictions = predict("Dovesky")
    out["predict_values"] = np.array([value for value, _ in predictions])
    out["predict_names"] = [name for _, name in predictions]
    out["predict_requires_grad"] = evaluate(lineToTensor("Abe")).requires_grad
    return out
