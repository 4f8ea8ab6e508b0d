"""Everyday tensor idioms from notebooks: indexing, sorting, where, gather, reshaping."""

import numpy as np

RTOL, ATOL = 1e-6, 1e-7


def main(torch):
    rng = np.random.default_rng(10)
    a = torch.from_numpy(rng.standard_normal((4, 5)).astype(np.float32))
    out = {}
    out["topk_values"], out["topk_idx"] = (t.numpy() for t in torch.topk(a, k=2, dim=1))
    values, indices = a.topk(3, largest=False)
    out["topk_small"] = values.numpy()
    out["sort"] = torch.sort(a, dim=0, descending=True).values.numpy()
    out["sort_idx"] = a.sort(dim=1)[1].numpy()
    out["argsort"] = torch.argsort(a[:, 0]).tolist()
    out["where"] = torch.where(a > 0, a, torch.zeros_like(a)).numpy()
    out["where_scalar"] = torch.where(a > 0, a, 0.0).numpy()
    out["clamp"] = torch.clamp(a, min=-0.5, max=0.5).numpy()
    out["clamp_min"] = a.clamp(min=0).numpy()
    out["linspace"] = torch.linspace(0, 1, steps=5).tolist()
    out["arange"] = torch.arange(0, 10, 2).tolist()
    out["masked"] = a[a > 0].numpy()
    out["bool_count"] = (a > 0).sum().item()
    out["rows"] = a[[0, 2]].numpy()
    out["col"] = a[:, -1].numpy()
    out["ellipsis"] = a[..., 1].numpy()
    out["none_axis"] = list(a[None, :, 1].shape)
    b = a.view(2, 2, 5).permute(2, 0, 1).contiguous()
    out["permute_shape"] = list(b.shape)
    out["flatten"] = b.view(-1).numpy()
    out["unsqueeze"] = list(a.unsqueeze(0).unsqueeze(-1).shape)
    out["squeeze"] = list(a.unsqueeze(1).squeeze(1).shape)
    out["cat"] = torch.cat([a, a * 2], dim=1).numpy()
    out["stack"] = torch.stack([a[0], a[1]], dim=0).numpy()
    out["cumsum"] = torch.cumsum(a, dim=1).numpy()
    out["cumsum_method"] = a.cumsum(0).numpy()
    idx = torch.tensor([[0, 1], [2, 3], [4, 0], [1, 1]])
    out["gather"] = torch.gather(a, 1, idx).numpy()
    out["index_select"] = torch.index_select(a, 0, torch.tensor([3, 1])).numpy()
    out["tolist"] = a[0].tolist()
    out["item"] = a[1, 2].item()
    out["max_dim"] = a.max(dim=1).values.numpy()
    out["argmax"] = a.argmax(dim=0).tolist()
    out["mean_keepdim"] = a.mean(dim=1, keepdim=True).numpy()
    out["softmax_sum"] = torch.softmax(a, dim=-1).sum(dim=-1).numpy()
    out["eq_all"] = bool((a == a).all())
    out["any_neg"] = bool((a < -3).any())
    out["isclose"] = torch.isclose(a, a + 1e-9).all().item()
    out["unique"] = torch.unique(torch.tensor([3, 1, 2, 3, 1])).tolist()
    out["bincount"] = torch.bincount(torch.tensor([0, 1, 1, 3])).tolist()
    out["abs_max"] = a.abs().max().item()
    out["norm_dim"] = a.norm(dim=1).numpy()
    out["matmul"] = (a @ a.T).numpy()
    out["bmm"] = torch.bmm(a.view(2, 2, 5), a.view(2, 2, 5).transpose(1, 2)).numpy()
    out["outer"] = torch.outer(a[0], a[1]).numpy()
    out["exp_log"] = torch.log(torch.exp(a)).numpy()
    out["mask_fill"] = a.masked_fill(a < 0, -1.0).numpy()
    out["zeros_like_dtype"] = str(torch.zeros_like(a, dtype=torch.long).dtype).split(".")[-1]
    out["full"] = torch.full((2, 3), 7.0).numpy()
    out["eye"] = torch.eye(3).numpy()
    out["numel"] = a.numel()
    out["shape"] = [a.size(0), a.size(-1), a.shape[1], a.dim()]
    out["float_to_long"] = a.mul(10).long().tolist()
    out["repeat"] = a[:1].repeat(2, 1).numpy()
    out["expand"] = list(a[:, :1].expand(-1, 3).shape)
    out["chunk"] = [list(c.shape) for c in a.chunk(2, dim=1)]
    out["flip"] = torch.flip(a, dims=[0]).numpy()
    out["tril"] = torch.tril(torch.ones(3, 3)).numpy()
    out["triu"] = torch.triu(torch.ones(3, 3), diagonal=1).numpy()
    out["sign"] = torch.sign(a).numpy()
    out["mul_add"] = a.mul(2).add(1).sub(0.5).div(3).numpy()
    out["pow"] = a.pow(2).sum().sqrt().item()
    out["einsum"] = torch.einsum("ij,kj->ik", a, a).numpy()
    out["prod"] = a[:, :2].prod(dim=1).numpy()
    out["from_list_dtype"] = str(torch.tensor([1, 2, 3]).dtype).split(".")[-1]
    out["float_list_dtype"] = str(torch.tensor([1.0, 2.0]).dtype).split(".")[-1]
    return out
