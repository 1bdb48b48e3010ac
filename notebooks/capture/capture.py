"""Capture what repgap analyses from a PyTorch training run, as .npy files and one manifest.json.

Adapt it to your model: give `Capture` the named layers to hook, call `capture.checkpoint(model, ...)` at each
saved checkpoint, `capture.weights(...)` at the end, then `capture.write()`. Everything goes under `out/`:

    activations/<model>/<checkpoint>/<layer>-<split>.npy   float32 (n, width), forward-hook outputs, flattened
    noisy/<model>/<checkpoint>/<layer>.npy                 the same layer on M noise-perturbed copies of S inputs
    gradients/<model>/<checkpoint>-<split>.npy             seeded Gaussian sketch of per-sample output gradients
    weights/<model>.npy                                    flattened parameters, one row per checkpoint
    subsets/...                                            labels, ids, source ids, outputs at initialisation
    metrics.csv                                            per (model, checkpoint) losses, accuracies, gap, sharpness
    manifest.json                                          every file with its dataset, role, group, split, shape

`repgap import --manifest out/manifest.json --out DIR` turns it into one dataset directory per dataset
(DIR/activations, DIR/noisy, DIR/gradients, DIR/weights) in repgap's data contract.
"""

import csv
import gzip
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

try:  # per-sample gradients by vmap where the installed PyTorch has it (torch.func from 2.0, functorch in 1.13)
    from torch.func import functional_call, grad, vmap
except ImportError:
    try:
        from functorch import grad, vmap
        from torch.nn.utils.stateless import functional_call
    except ImportError:
        grad = vmap = functional_call = None

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training pixels / 255


def load_fashion_mnist(folder=FASHION_MNIST):
    """(train images, train labels, test images, test labels): float32 (n, 1, 28, 28) normalised, int64 labels."""
    def images(name):
        with gzip.open(os.path.join(folder, name), "rb") as f:
            raw = np.frombuffer(f.read(), np.uint8, offset=16)
        x = raw.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
        return (x - MEAN) / STD

    def labels(name):
        with gzip.open(os.path.join(folder, name), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


@torch.no_grad()
def layer_activations(model, layers, x, batch=1000):
    """{layer name: float32 (n, width)}: the outputs of the named modules (forward hooks), flattened per sample."""
    model.eval()
    store = {name: [] for name in layers}
    modules = dict(model.named_modules())
    hooks = [modules[name].register_forward_hook(
        lambda m, i, o, name=name: store[name].append(o.detach().flatten(1).float().cpu()))
        for name in layers]
    try:
        for s in range(0, len(x), batch):
            model(x[s:s + batch])
    finally:
        for h in hooks:
            h.remove()
    return {name: torch.cat(v).numpy().astype(np.float32) for name, v in store.items()}


@torch.no_grad()
def outputs(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[s:s + batch]) for s in range(0, len(x), batch)])


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    """(mean cross-entropy, accuracy) over all of x."""
    logits = outputs(model, x, batch)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def noisy_copies(x, copies, sigma, seed):
    """x repeated `copies` times, each copy plus seeded Gaussian noise of standard deviation sigma; row i*copies+m
    is copy m of input i."""
    g = torch.Generator().manual_seed(seed)
    rep = x.repeat_interleave(copies, dim=0)
    return rep + sigma * torch.randn(rep.shape, generator=g)


def flat_parameters(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()]).numpy().astype(np.float32)


def per_sample_gradients(model, x, batch=128):
    """Yields (start, list of (n, *shape) tensors): each sample's gradient of sum_k f_k(x) / sqrt(K) with respect to
    every parameter (the pseudo-NTK's features; its linear kernel approximates the trace of the empirical NTK)."""
    model.eval()
    params = {k: v.detach() for k, v in model.named_parameters()}
    k_out = None

    def scalar(p, xi):
        out = functional_call(model, p, (xi.unsqueeze(0),))
        return out.sum() / math.sqrt(out.shape[1])

    for s in range(0, len(x), batch):
        xb = x[s:s + batch]
        if vmap is not None:
            g = vmap(grad(scalar), in_dims=(None, 0))(params, xb)
            yield s, [g[k] for k in params]
        else:  # a loop: one backward pass per sample
            rows = []
            for xi in xb:
                model.zero_grad()
                out = model(xi.unsqueeze(0))
                (out.sum() / math.sqrt(out.shape[1])).backward()
                rows.append([p.grad.detach().clone() for p in model.parameters()])
            yield s, [torch.stack([r[j] for r in rows]) for j in range(len(rows[0]))]


def gradient_sketch(model, x, dim, seed, chunk=8192):
    """float32 (n, dim): each sample's parameter gradient (per_sample_gradients) times a seeded Gaussian matrix
    S (P x dim, entries N(0, 1/dim)), so inner products, hence the empirical-NTK linear kernel, are kept in
    expectation. S is generated in chunks of parameters from (seed, chunk index): the same at every checkpoint."""
    flat = torch.cat([torch.cat([g.flatten(1) for g in grads], dim=1) for _, grads in per_sample_gradients(model, x)])
    out = torch.zeros(len(x), dim)
    for c, lo in enumerate(range(0, flat.shape[1], chunk)):  # each chunk of S made once, for all samples
        block = flat[:, lo:lo + chunk]
        gen = torch.Generator().manual_seed(seed * 1_000_003 + c)
        out += block @ (torch.randn(block.shape[1], dim, generator=gen) / math.sqrt(dim))
    return out.numpy().astype(np.float32)


def gauss_newton_trace(model, x, probes, seed, batch=500):
    """Hutchinson's estimate of tr(G), G = (1/n) sum_i J_i^T H_i J_i the Gauss-Newton matrix of the mean
    cross-entropy (J_i: Jacobian of the logits in the parameters, H_i = diag(p) - p p^T): the mean over `probes`
    Rademacher vectors v of v^T G v, each J_i v by the double-backward trick. Returns (estimate, standard error)."""
    model.eval()
    params = [p for p in model.parameters()]
    g = torch.Generator().manual_seed(seed)
    values = []
    for _ in range(probes):
        v = [(torch.randint(0, 2, p.shape, generator=g) * 2 - 1).float() for p in params]
        total = 0.0
        for s in range(0, len(x), batch):
            logits = model(x[s:s + batch])
            u = torch.zeros_like(logits, requires_grad=True)
            jt_u = torch.autograd.grad(logits, params, grad_outputs=u, create_graph=True)
            jv = torch.autograd.grad(jt_u, u, grad_outputs=v)[0].detach()  # (b, K) = J v
            p = logits.detach().softmax(1)
            total += ((p * jv ** 2).sum(1) - (p * jv).sum(1) ** 2).sum().item()
        values.append(total / len(x))
    values = np.array(values)
    return float(values.mean()), float(values.std(ddof=1) / math.sqrt(probes)) if probes > 1 else float("nan")


class Manifest:
    """Saves arrays under `out` and lists them for `repgap import --manifest` (format in the README's data
    contract): each file with its dataset, role, group values, split and shape."""

    def __init__(self, out, experiment=None):
        self.out = out
        self.files = []
        self.experiment = experiment or {}

    def save(self, path, array, dataset, role, group=None, split=None):
        array = np.ascontiguousarray(array)
        full = os.path.join(self.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        np.save(full, array)
        entry = {"path": path, "dataset": dataset, "role": role, "group": dict(group or {}),
                 "shape": list(array.shape), "dtype": str(array.dtype)}
        if split is not None:
            entry["split"] = split
        self.files.append(entry)
        return full

    def write(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump({"repgap_manifest": 1, "experiment": self.experiment, "files": self.files}, f, indent=1)


# gap_loss = test_loss - train_loss, gap_acc = train_acc - test_acc (train: the labels trained on, noisy or not);
# gn_trace = trace of the Gauss-Newton matrix of the mean cross-entropy on a fixed subset of training inputs, Hutchinson's
# estimator with gn_probes Rademacher probes, gn_trace_se its standard error.
METRIC_COLUMNS = ["model", "checkpoint", "epoch", "train_loss", "train_acc", "test_loss", "test_acc",
                  "gap_loss", "gap_acc", "gn_trace", "gn_trace_se", "gn_probes"]


def write_metrics(path, rows):
    """metrics.csv: one row per (model, checkpoint), columns METRIC_COLUMNS."""
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=METRIC_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)
