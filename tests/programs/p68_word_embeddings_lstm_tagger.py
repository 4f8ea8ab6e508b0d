"""The tutorials "Word Embeddings: Encoding Lexical Semantics" and "Sequence Models and
Long Short-Term Memory Networks" as written: an Embedding looked up by
torch.tensor([word_to_ix["hello"]]), the N-gram language model over Shakespeare's sonnet with
view((1, -1)), log_softmax and NLLLoss, model.zero_grad() and total_loss += loss.item(); the
CBOW exercise whose forward sums the context embeddings with Python's sum(...); an LSTM fed one
step at a time with an explicit (h, c) and then all at once through torch.cat(inputs).view;
and the LSTMTagger with prepare_sequence, lstm_out.view(len(sentence), -1) and no_grad
scoring before and after training."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4

SONNET = """When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;
To say, within thine own deep sunken eyes,
Were an all-eating shame, and thriftless praise.""".split()

SICP = """We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.
As they evolve, processes manipulate other abstract things called data.
The evolution of a process is directed by a pattern of rules
called a program. People create programs to direct processes. In effect,
we conjure the spirits of the computer with our spells.""".split()


def main(torch):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    out = {}
    word_to_ix = {"hello": 0, "world": 1}
    embeds = nn.Embedding(2, 5)  # 2 words in vocab, 5 dimensional embeddings
    init_from_numpy(torch, embeds, seed=68)
    lookup_tensor = torch.tensor([word_to_ix["hello"]], dtype=torch.long)
    hello_embed = embeds(lookup_tensor)
    out["hello_embed"] = hello_embed.detach().numpy()

    CONTEXT_SIZE = 2
    EMBEDDING_DIM = 10
    test_sentence = SONNET
    ngrams = [
        ([test_sentence[i - j - 1] for j in range(CONTEXT_SIZE)], test_sentence[i])
        for i in range(CONTEXT_SIZE, len(test_sentence))
    ]
    vocab = set(test_sentence)
    word_to_ix = {word: i for i, word in enumerate(sorted(vocab))}  # sorted: one order per run

    class NGramLanguageModeler(nn.Module):
        def __init__(self, vocab_size, embedding_dim, context_size):
            super(NGramLanguageModeler, self).__init__()
            self.embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.linear1 = nn.Linear(context_size * embedding_dim, 128)
            self.linear2 = nn.Linear(128, vocab_size)

        def forward(self, inputs):
            embeds = self.embeddings(inputs).view((1, -1))
            out = F.relu(self.linear1(embeds))
            out = self.linear2(out)
            log_probs = F.log_softmax(out, dim=1)
            return log_probs

    losses = []
    loss_function = nn.NLLLoss()
    model = NGramLanguageModeler(len(vocab), EMBEDDING_DIM, CONTEXT_SIZE)
    init_from_numpy(torch, model, seed=680, scale=0.2)
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(4):
        total_loss = 0
        for context, target in ngrams:
            context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
            model.zero_grad()
            log_probs = model(context_idxs)
            loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
        losses.append(total_loss)
    out["ngram_losses"] = np.array(losses)
    out["beauty"] = model.embeddings.weight[word_to_ix["beauty"]].detach().numpy()

    raw_text = SICP
    vocab = set(raw_text)
    vocab_size = len(vocab)
    word_to_ix = {word: i for i, word in enumerate(sorted(vocab))}
    data = []
    for i in range(CONTEXT_SIZE, len(raw_text) - CONTEXT_SIZE):
        context = [raw_text[i - j - 1] for j in range(CONTEXT_SIZE)] + [
            raw_text[i + j + 1] for j in range(CONTEXT_SIZE)
        ]
        target = raw_text[i]
        data.append((context, target))

    class CBOW(nn.Module):
        def __init__(self, vocab_size, embedding_dim):
            super().__init__()
            self.embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.linear = nn.Linear(embedding_dim, vocab_size)

        def forward(self, inputs):
            embeds = sum(self.embeddings(inputs)).view(1, -1)
            return F.log_softmax(self.linear(embeds), dim=-1)

    def make_context_vector(context, word_to_ix):
        idxs = [word_to_ix[w] for w in context]
        return torch.tensor(idxs, dtype=torch.long)

    out["context_vector"] = make_context_vector(data[0][0], word_to_ix).tolist()
    model = CBOW(vocab_size, EMBEDDING_DIM)
    init_from_numpy(torch, model, seed=681, scale=0.2)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    cbow_losses = []
    for epoch in range(3):
        total_loss = 0
        for context, target in data:
            model.zero_grad()
            log_probs = model(make_context_vector(context, word_to_ix))
            loss = loss_function(log_probs, torch.tensor([word_to_ix[target]]))
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
        cbow_losses.append(total_loss)
    out["cbow_losses"] = np.array(cbow_losses)

    rng = np.random.default_rng(682)

    def randn(*shape):  # torch.randn's draws differ between libraries: one numpy source
        return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))

    lstm = nn.LSTM(3, 3)  # Input dim is 3, output dim is 3
    init_from_numpy(torch, lstm, seed=683)
    inputs = [randn(1, 3) for _ in range(5)]  # make a sequence of length 5
    hidden = (randn(1, 1, 3), randn(1, 1, 3))
    start = hidden
    for i in inputs:
        # Step through the sequence one element at a time.
        # after each step, hidden contains the hidden state.
        out_step, hidden = lstm(i.view(1, 1, -1), hidden)
    inputs = torch.cat(inputs).view(len(inputs), 1, -1)
    out_all, hidden_all = lstm(inputs, start)
    out["lstm_steps_match"] = bool(torch.allclose(out_all[-1], out_step, atol=1e-6))
    out["lstm_out"] = out_all.detach().numpy()
    out["lstm_c"] = hidden_all[1].detach().numpy()

    def prepare_sequence(seq, to_ix):
        idxs = [to_ix[w] for w in seq]
        return torch.tensor(idxs, dtype=torch.long)

    training_data = [
        ("The dog ate the apple".split(), ["DET", "NN", "V", "DET", "NN"]),
        ("Everybody read that book".split(), ["NN", "V", "DET", "NN"]),
    ]
    word_to_ix = {}
    for sent, tags in training_data:
        for word in sent:
            if word not in word_to_ix:  # word has not been assigned an index yet
                word_to_ix[word] = len(word_to_ix)  # Assign each word with a unique index
    tag_to_ix = {"DET": 0, "NN": 1, "V": 2}
    EMBEDDING_DIM = 6
    HIDDEN_DIM = 6

    class LSTMTagger(nn.Module):
        def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
            super(LSTMTagger, self).__init__()
            self.hidden_dim = hidden_dim
            self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.lstm = nn.LSTM(embedding_dim, hidden_dim)
            self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

        def forward(self, sentence):
            embeds = self.word_embeddings(sentence)
            lstm_out, _ = self.lstm(embeds.view(len(sentence), 1, -1))
            tag_space = self.hidden2tag(lstm_out.view(len(sentence), -1))
            tag_scores = F.log_softmax(tag_space, dim=1)
            return tag_scores

    model = LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, len(word_to_ix), len(tag_to_ix))
    init_from_numpy(torch, model, seed=684, scale=0.3)
    loss_function = nn.NLLLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        out["scores_before"] = model(inputs).numpy()
    for epoch in range(60):
        for sentence, tags in training_data:
            model.zero_grad()
            sentence_in = prepare_sequence(sentence, word_to_ix)
            targets = prepare_sequence(tags, tag_to_ix)
            tag_scores = model(sentence_in)
            loss = loss_function(tag_scores, targets)
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        inputs = prepare_sequence(training_data[0][0], word_to_ix)
        tag_scores = model(inputs)
        out["scores_after"] = tag_scores.numpy()
        out["tags_after"] = tag_scores.argmax(dim=1).tolist()
    return out
