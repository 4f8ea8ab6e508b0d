"""Click-through-rate models as recommender repos write them (rixwew/pytorch-fm's layers,
facebookresearch/dlrm's interaction, DCN's cross network, Google's wide & deep), on synthetic
clicks over five categorical columns and three dense ones. pytorch-fm: FeaturesEmbedding as one
nn.Embedding over all fields with offsets np.array((0, *np.cumsum(field_dims)[:-1])) added by
x + x.new_tensor(self.offsets).unsqueeze(0), xavier_uniform_ on its weight, FeaturesLinear by
torch.sum(self.fc(x), dim=1) + self.bias, the FM term 0.5 * (square_of_sum - sum_of_square)
summed over the embedding dim, MultiLayerPerceptron built from a list of layers with
BatchNorm1d, and DeepFM's torch.sigmoid(x.squeeze(1)) under BCELoss. Wide & deep: an
nn.Embedding per column in an nn.ModuleList, torch.cat of the lookups with the dense features,
dense features bucketized by torch.bucketize against quantile boundaries for the wide part. DLRM:
a bottom MLP on dense features, T = torch.cat([x] + ly, dim=1).view((batch_size, -1, d)),
Z = torch.bmm(T, torch.transpose(T, 1, 2)), the lower triangle gathered by index lists li, lj
(and by torch.tril_indices(ni, nj, offset=-1)), R = torch.cat([x] + [Zflat], dim=1), a top MLP.
DCN: x_{l+1} = x0 * w(x_l) + b + x_l in a loop over nn.ModuleList / nn.ParameterList. Each model
trained a few epochs with Adam; scored by log loss and an AUC computed from ranks
(torch.argsort twice, Mann-Whitney), checked against sklearn's roc_auc_score."""

import numpy as np
from sklearn.metrics import roc_auc_score

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn = torch.nn
    rng = np.random.default_rng(93)
    field_dims = np.array([4, 6, 3, 5, 7])
    n = 512
    cats = np.stack([rng.integers(0, d, n) for d in field_dims], axis=1)
    dense = rng.standard_normal((n, 3)).astype(np.float32)
    effect = [rng.standard_normal(d) for d in field_dims]
    logit = sum(effect[j][cats[:, j]] for j in range(5)) + dense[:, 0] - 0.5 * dense[:, 1] ** 2
    logit += 0.8 * (cats[:, 0] == cats[:, 2])  # an interaction the wide part cannot see
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    X_cat = torch.tensor(cats, dtype=torch.long)
    X_dense = torch.from_numpy(dense)
    target = torch.from_numpy(y)
    train, test = slice(0, 384), slice(384, n)
    out = {}

    class FeaturesLinear(nn.Module):
        def __init__(self, field_dims, output_dim=1):
            super().__init__()
            self.fc = nn.Embedding(sum(field_dims), output_dim)
            self.bias = nn.Parameter(torch.zeros((output_dim,)))
            self.offsets = np.array((0, *np.cumsum(field_dims)[:-1]), dtype=np.int64)

        def forward(self, x):
            x = x + x.new_tensor(self.offsets).unsqueeze(0)
            return torch.sum(self.fc(x), dim=1) + self.bias

    class FeaturesEmbedding(nn.Module):
        def __init__(self, field_dims, embed_dim):
            super().__init__()
            self.embedding = nn.Embedding(sum(field_dims), embed_dim)
            self.offsets = np.array((0, *np.cumsum(field_dims)[:-1]), dtype=np.int64)
            nn.init.xavier_uniform_(self.embedding.weight.data)

        def forward(self, x):
            x = x + x.new_tensor(self.offsets).unsqueeze(0)
            return self.embedding(x)

    class FactorizationMachine(nn.Module):
        def __init__(self, reduce_sum=True):
            super().__init__()
            self.reduce_sum = reduce_sum

        def forward(self, x):
            square_of_sum = torch.sum(x, dim=1) ** 2
            sum_of_square = torch.sum(x**2, dim=1)
            ix = square_of_sum - sum_of_square
            if self.reduce_sum:
                ix = torch.sum(ix, dim=1, keepdim=True)
            return 0.5 * ix

    class MultiLayerPerceptron(nn.Module):
        def __init__(self, input_dim, embed_dims, dropout, output_layer=True):
            super().__init__()
            layers = list()
            for embed_dim in embed_dims:
                layers.append(nn.Linear(input_dim, embed_dim))
                layers.append(nn.BatchNorm1d(embed_dim))
                layers.append(nn.ReLU())
                layers.append(nn.Dropout(p=dropout))
                input_dim = embed_dim
            if output_layer:
                layers.append(nn.Linear(input_dim, 1))
            self.mlp = nn.Sequential(*layers)

        def forward(self, x):
            return self.mlp(x)

    class DeepFactorizationMachineModel(nn.Module):
        def __init__(self, field_dims, embed_dim, mlp_dims, dropout):
            super().__init__()
            self.linear = FeaturesLinear(field_dims)
            self.fm = FactorizationMachine(reduce_sum=True)
            self.embedding = FeaturesEmbedding(field_dims, embed_dim)
            self.embed_output_dim = len(field_dims) * embed_dim
            self.mlp = MultiLayerPerceptron(self.embed_output_dim, mlp_dims, dropout)

        def forward(self, x, dense):
            embed_x = self.embedding(x)
            x = (
                self.linear(x)
                + self.fm(embed_x)
                + self.mlp(embed_x.view(-1, self.embed_output_dim))
            )
            return torch.sigmoid(x.squeeze(1))

    boundaries = torch.tensor(np.quantile(dense, [0.25, 0.5, 0.75], axis=0).T.copy())

    class WideAndDeep(nn.Module):
        def __init__(self, field_dims, embed_dim=4):
            super().__init__()
            self.embeddings = nn.ModuleList([nn.Embedding(int(d), embed_dim) for d in field_dims])
            self.wide = nn.Linear(int(sum(field_dims)) + 3 * 4, 1)
            self.deep = nn.Sequential(
                nn.Linear(len(field_dims) * embed_dim + 3, 16), nn.ReLU(), nn.Linear(16, 1)
            )

        def forward(self, x, dense):
            one_hots = [nn.functional.one_hot(x[:, i], int(d)) for i, d in enumerate(field_dims)]
            buckets = [
                nn.functional.one_hot(torch.bucketize(dense[:, j].contiguous(), boundaries[j]), 4)
                for j in range(3)
            ]
            wide = self.wide(torch.cat(one_hots + buckets, dim=1).float())
            embedded = [emb(x[:, i]) for i, emb in enumerate(self.embeddings)]
            deep = self.deep(torch.cat(embedded + [dense], dim=1))
            return torch.sigmoid((wide + deep).squeeze(1))

    class DLRM(nn.Module):
        def __init__(self, field_dims, m_spa=4):
            super().__init__()
            self.emb_l = nn.ModuleList([nn.Embedding(int(d), m_spa) for d in field_dims])
            self.bot_l = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, m_spa), nn.ReLU())
            num_fea = len(field_dims) + 1
            num_int = (num_fea * (num_fea - 1)) // 2 + m_spa
            self.top_l = nn.Sequential(nn.Linear(num_int, 8), nn.ReLU(), nn.Linear(8, 1))

        def interact_features(self, x, ly):
            (batch_size, d) = x.shape
            T = torch.cat([x] + ly, dim=1).view((batch_size, -1, d))
            # perform a dot product
            Z = torch.bmm(T, torch.transpose(T, 1, 2))
            _, ni, nj = Z.shape
            offset = 0  # arch_interaction_itself is False
            li = torch.tensor([i for i in range(ni) for j in range(i + offset)])
            lj = torch.tensor([j for i in range(nj) for j in range(i + offset)])
            Zflat = Z[:, li, lj]
            # the same entries through tril_indices, as later versions do
            tril = torch.tril_indices(ni, nj, offset=-1)
            self.same_as_tril = bool((Z[:, tril[0], tril[1]] == Zflat).all())
            return torch.cat([x] + [Zflat], dim=1)

        def forward(self, x, dense):
            bottom = self.bot_l(dense)
            ly = [emb(x[:, i]) for i, emb in enumerate(self.emb_l)]
            return torch.sigmoid(self.top_l(self.interact_features(bottom, ly)).squeeze(1))

    class CrossNetwork(nn.Module):
        def __init__(self, input_dim, num_layers):
            super().__init__()
            self.num_layers = num_layers
            self.w = nn.ModuleList([nn.Linear(input_dim, 1, bias=False) for _ in range(num_layers)])
            self.b = nn.ParameterList(
                [nn.Parameter(torch.zeros((input_dim,))) for _ in range(num_layers)]
            )

        def forward(self, x):
            x0 = x
            for i in range(self.num_layers):
                xw = self.w[i](x)
                x = x0 * xw + self.b[i] + x
            return x

    class DeepCrossNetworkModel(nn.Module):
        def __init__(self, field_dims, embed_dim, num_layers, mlp_dims, dropout):
            super().__init__()
            self.embedding = FeaturesEmbedding(field_dims, embed_dim)
            self.embed_output_dim = len(field_dims) * embed_dim
            self.cn = CrossNetwork(self.embed_output_dim, num_layers)
            self.mlp = MultiLayerPerceptron(
                self.embed_output_dim, mlp_dims, dropout, output_layer=False
            )
            self.linear = torch.nn.Linear(mlp_dims[-1] + self.embed_output_dim, 1)

        def forward(self, x, dense):
            embed_x = self.embedding(x).view(-1, self.embed_output_dim)
            x_l1 = self.cn(embed_x)
            h_l2 = self.mlp(embed_x)
            x_stack = torch.cat([x_l1, h_l2], dim=1)
            p = self.linear(x_stack)
            return torch.sigmoid(p.squeeze(1))

    def auc(scores, labels):
        # .float(), not .double(): chainrule refuses float64 - float32 on purpose (DESIGN.md)
        ranks = torch.argsort(torch.argsort(scores)).float() + 1  # no ties in float scores
        n_pos = labels.sum()
        n_neg = len(labels) - n_pos
        return ((ranks[labels == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)).item()

    models = {
        "deepfm": DeepFactorizationMachineModel(field_dims, 4, (16,), dropout=0.0),
        "wide_deep": WideAndDeep(field_dims),
        "dlrm": DLRM(field_dims),
        "dcn": DeepCrossNetworkModel(field_dims, 4, 2, (16,), dropout=0.0),
    }
    for seed, (name, model) in enumerate(models.items()):
        init_from_numpy(torch, model, seed=930 + seed, scale=0.2)
        optimizer = torch.optim.Adam(params=model.parameters(), lr=1e-2, weight_decay=1e-6)
        criterion = torch.nn.BCELoss()
        losses = []
        for epoch in range(3):
            model.train()
            total_loss = 0
            for start in range(0, 384, 64):
                rows = slice(start, start + 64)
                y_hat = model(X_cat[train][rows], X_dense[train][rows])
                loss = criterion(y_hat, target[train][rows].float())
                model.zero_grad()
                loss.backward()
                optimizer.step()
                total_loss += loss.item()
            losses.append(total_loss / 6)
        model.eval()
        with torch.no_grad():
            scores = model(X_cat[test], X_dense[test])
        labels = target[test]
        ours = auc(scores, labels)
        out[name] = {
            "losses": losses,
            "test_logloss": nn.functional.binary_cross_entropy(scores, labels).item(),
            "auc": ours,
            "auc_matches_sklearn": abs(ours - roc_auc_score(labels.numpy(), scores.numpy())) < 1e-6,
        }
    out["dlrm_tril_same"] = models["dlrm"].same_as_tril
    out["fm_offsets"] = models["deepfm"].embedding.offsets.tolist()
    return out
