"""A graph convolutional network (Kipf & Welling) on a small fixed graph, written without
torch_geometric as course notebooks do: an edge list, a dense adjacency with self-loops from
torch.eye, symmetric degree normalisation D^-1/2 (A + I) D^-1/2 via pow(-0.5), and the same
propagation by message passing with index_add_ / scatter_add_ over the edges; semi-supervised
node classification with a train mask."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(49)
    n_nodes, feats = 20, 6
    community = np.repeat([0, 1], 10)
    edges = set()
    while len(edges) < 40:
        a, b = rng.integers(0, n_nodes, size=2)
        if a != b and (community[a] == community[b] or rng.random() < 0.15):
            edges.add((min(a, b), max(a, b)))
    edges = np.array(sorted(edges)).T
    edge_index = torch.from_numpy(np.concatenate([edges, edges[::-1]], axis=1).copy())
    features = rng.standard_normal((n_nodes, feats)).astype(np.float32)
    features[:, 0] += community * 1.5
    x = torch.from_numpy(features)
    labels = torch.from_numpy(community)
    train_mask = torch.zeros(n_nodes, dtype=torch.bool)
    train_mask[torch.tensor([0, 1, 2, 10, 11, 12])] = True

    adjacency = torch.zeros(n_nodes, n_nodes)
    adjacency[edge_index[0], edge_index[1]] = 1.0
    adjacency = adjacency + torch.eye(n_nodes)
    degree = adjacency.sum(1)
    d_inv_sqrt = degree.pow(-0.5)
    d_inv_sqrt[torch.isinf(d_inv_sqrt)] = 0.0
    norm_adj = d_inv_sqrt.unsqueeze(1) * adjacency * d_inv_sqrt.unsqueeze(0)

    def propagate(h):
        """The same product as norm_adj @ h, as messages along edges plus self-loops."""
        loops = torch.arange(n_nodes)
        src = torch.cat([edge_index[0], loops])
        dst = torch.cat([edge_index[1], loops])
        weight = d_inv_sqrt[src] * d_inv_sqrt[dst]
        messages = h[src] * weight.unsqueeze(1)
        out = torch.zeros_like(h)
        return out.index_add_(0, dst, messages)

    class GCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Linear(feats, 8)
            self.conv2 = nn.Linear(8, 2)

        def forward(self, h, dense=True):
            mix = (lambda t: norm_adj @ t) if dense else propagate
            h = F.relu(mix(self.conv1(h)))
            h = F.dropout(h, p=0.5, training=False)
            return mix(self.conv2(h))

    model = GCN()
    init_from_numpy(torch, model, seed=49, scale=0.4)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=5e-4)
    losses = []
    for epoch in range(40):
        optimizer.zero_grad()
        out = model(x, dense=epoch % 2 == 0)
        loss = F.cross_entropy(out[train_mask], labels[train_mask])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        dense_out, sparse_out = model(x, True), model(x, False)
        pred = dense_out.argmax(1)
        neighbour_counts = torch.zeros(n_nodes, dtype=torch.long).scatter_add_(
            0, edge_index[0], torch.ones(edge_index.shape[1], dtype=torch.long)
        )
        pooled = torch.zeros(2, 8).index_add_(0, labels, F.relu(norm_adj @ model.conv1(x)))
    return {
        "edges": int(edge_index.shape[1]),
        "degree": degree.numpy(),
        "norm_adj_row": norm_adj[0].numpy(),
        "symmetric": bool(torch.allclose(norm_adj, norm_adj.T)),
        "losses": np.array(losses[::5]),
        "dense_equals_messages": bool(torch.allclose(dense_out, sparse_out, atol=1e-5)),
        "test_accuracy": (pred[~train_mask] == labels[~train_mask]).float().mean().item(),
        "neighbour_counts": neighbour_counts.numpy(),
        "pooled": pooled.numpy(),
    }
