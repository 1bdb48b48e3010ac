"""The worked experiment: small models on Fashion-MNIST whose generalisation differs, captured for repgap.

    /usr/bin/python3 notebooks/capture/run.py --out study [--tiny] [--threads 2]

Six models (MLP of widths 32 and 128, a small CNN; each with clean labels and with 20% of the training labels
replaced by random ones) trained with Adam on a seeded subset of the training set, captured at initialisation and
at 7 later epochs (see capture.py for what each checkpoint writes). `--tiny` (CI): one small MLP, 3
checkpoints, a few hundred samples.
"""

import argparse
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capture as cap  # noqa: E402


class MLP(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.flat = nn.Flatten()
        self.fc1 = nn.Linear(784, width)
        self.fc2 = nn.Linear(width, width)
        self.logits = nn.Linear(width, 10)

    def forward(self, x):
        return self.logits(torch.relu(self.fc2(torch.relu(self.fc1(self.flat(x))))))


class CNN(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 5)
        self.conv2 = nn.Conv2d(channels, 2 * channels, 5)
        self.fc1 = nn.Linear(2 * channels * 16, 64)
        self.logits = nn.Linear(64, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.logits(torch.relu(self.fc1(x.flatten(1))))


# The layers hooked: for the MLP the post-activation would need separate modules; the linear layers' outputs are
# what a forward hook sees.
HOOKED = {"mlp": ["fc1", "fc2", "logits"], "cnn": ["conv2", "fc1", "logits"]}

FULL = dict(models=[("mlp", 32), ("mlp", 128), ("cnn", 8)], noise=[0.0, 0.2], train_size=4000,
            epochs=[0, 1, 2, 4, 6, 9, 13, 18], batch=64, subset=1000, grad_subset=(384, 192), grad_dim=512,
            sources=64, copies=16, sigma=0.05, probes=4, gn_subset=500, test_eval=5000)
TINY = dict(models=[("mlp", 16)], noise=[0.0], train_size=600,
            epochs=[0, 1, 3], batch=64, subset=200, grad_subset=(100, 50), grad_dim=64,
            sources=10, copies=8, sigma=0.05, probes=2, gn_subset=100, test_eval=1000)


def build(arch, width):
    return MLP(width) if arch == "mlp" else CNN(width)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output folder (must not exist, or be empty)")
    ap.add_argument("--tiny", action="store_true", help="the CI run: a few seconds")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"--out {args.out} exists and is not empty")
    torch.set_num_threads(args.threads)
    cfg = TINY if args.tiny else FULL
    started = time.time()

    xtr, ytr, xte, yte = cap.load_fashion_mnist()
    rng = np.random.default_rng(args.seed)
    train_idx = np.sort(rng.choice(len(xtr), cfg["train_size"], replace=False))  # the training set used
    # The fixed subsets captured (same for every model and checkpoint): ids are indices into Fashion-MNIST's
    # training set, and 60000 + indices into its test set.
    sub_tr = np.sort(rng.choice(train_idx, cfg["subset"], replace=False))
    sub_te = np.sort(rng.choice(len(xte), cfg["subset"], replace=False))
    g_tr = sub_tr[:cfg["grad_subset"][0]]
    g_te = sub_te[:cfg["grad_subset"][1]]
    src = sub_tr[:cfg["sources"]]
    X = torch.from_numpy
    test_eval = np.sort(rng.choice(len(xte), cfg["test_eval"], replace=False))  # test loss and accuracy
    x_train, x_test = X(xtr[train_idx]), X(xte[test_eval])
    y_test = X(yte[test_eval])
    x_sub = {"train": X(xtr[sub_tr]), "test": X(xte[sub_te])}
    x_grad = {"train": X(xtr[g_tr]), "test": X(xte[g_te])}
    x_noisy = cap.noisy_copies(X(xtr[src]), cfg["copies"], cfg["sigma"], seed=args.seed + 7)

    m = cap.Manifest(args.out, experiment={
        "dataset": "Fashion-MNIST (Debian dataset-fashion-mnist)", "tiny": args.tiny, "seed": args.seed,
        **{k: v for k, v in cfg.items() if k != "models"},
        "models": [f"{a}{w}" for a, w in cfg["models"]], "gradient": "sum_k logits_k / sqrt(10)"})
    # Labels, ids and source ids are the same for every model: one file each, attached to every table of their
    # dataset and split (group {}).
    for split, idx, labels, offset in (("train", sub_tr, ytr, 0), ("test", sub_te, yte, 60000)):
        m.save(f"subsets/activations-{split}-labels.npy", labels[idx], "activations", "labels", split=split)
        m.save(f"subsets/activations-{split}-ids.npy", (idx + offset).astype(np.int64), "activations", "ids", split=split)
    for split, idx, labels, offset in (("train", g_tr, ytr, 0), ("test", g_te, yte, 60000)):
        m.save(f"subsets/gradients-{split}-labels.npy", labels[idx], "gradients", "labels", split=split)
        m.save(f"subsets/gradients-{split}-ids.npy", (idx + offset).astype(np.int64), "gradients", "ids", split=split)
    m.save("subsets/noisy-sources.npy", np.repeat(src, cfg["copies"]).astype(np.int64), "noisy", "sources", split="train")
    m.save("subsets/noisy-labels.npy", np.repeat(ytr[src], cfg["copies"]), "noisy", "labels", split="train")

    rows = []
    for arch, width in cfg["models"]:
        for noise in cfg["noise"]:
            name = f"{arch}{width}_{'clean' if noise == 0 else f'noise{int(noise * 100)}'}"
            t0 = time.time()
            torch.manual_seed(args.seed + 1)
            model = build(arch, width)
            # Label noise: a seeded 20% of the training labels replaced by uniformly random classes.
            y_train = ytr[train_idx].copy()
            flip = np.random.default_rng(args.seed + 2).random(len(y_train)) < noise
            y_train[flip] = np.random.default_rng(args.seed + 3).integers(0, 10, flip.sum())
            y_train = X(y_train)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            order = torch.Generator().manual_seed(args.seed + 4)
            trajectory, epoch = [], 0
            for target in cfg["epochs"]:
                while epoch < target:
                    model.train()
                    perm = torch.randperm(len(x_train), generator=order)
                    for s in range(0, len(perm), cfg["batch"]):
                        b = perm[s:s + cfg["batch"]]
                        opt.zero_grad()
                        torch.nn.functional.cross_entropy(model(x_train[b]), y_train[b]).backward()
                        opt.step()
                    epoch += 1
                ck = f"{epoch:04d}"
                group = {"model": name, "checkpoint": ck}
                for split in ("train", "test"):
                    for layer, a in cap.layer_activations(model, HOOKED[arch], x_sub[split]).items():
                        m.save(f"activations/{name}/{ck}/{layer}-{split}.npy", a, "activations", "activations",
                               {**group, "layer": layer}, split)
                    m.save(f"gradients/{name}/{ck}-{split}.npy",
                           cap.gradient_sketch(model, x_grad[split], cfg["grad_dim"], seed=args.seed + 5),
                           "gradients", "gradients", group, split)
                    if epoch == 0:  # outputs at initialisation, for the residual f_0 - y
                        init = {"activations": x_sub[split], "gradients": x_grad[split]}
                        for ds, xs in init.items():
                            m.save(f"subsets/{name}-{ds}-{split}-initial.npy", cap.outputs(model, xs).numpy(),
                                   ds, "initial", {"model": name}, split)
                for layer, a in cap.layer_activations(model, HOOKED[arch], x_noisy).items():
                    m.save(f"noisy/{name}/{ck}/{layer}.npy", a, "noisy", "activations", {**group, "layer": layer},
                           "train")
                trajectory.append(cap.flat_parameters(model))
                tr_loss, tr_acc = cap.evaluate(model, x_train, y_train)
                te_loss, te_acc = cap.evaluate(model, x_test, y_test)
                gn, gn_se = cap.gauss_newton_trace(model, x_sub["train"][:cfg["gn_subset"]], cfg["probes"], seed=args.seed + 6)
                rows.append(dict(model=name, checkpoint=ck, epoch=epoch, train_loss=tr_loss, train_acc=tr_acc,
                                 test_loss=te_loss, test_acc=te_acc, gap_loss=te_loss - tr_loss,
                                 gap_acc=tr_acc - te_acc, gn_trace=gn, gn_trace_se=gn_se, gn_probes=cfg["probes"]))
                print(f"{name} epoch {epoch:3d}: train loss {tr_loss:.3f} acc {tr_acc:.3f}, test loss {te_loss:.3f}"
                      f" acc {te_acc:.3f}, tr(GN) {gn:.1f}", flush=True)
            m.save(f"weights/{name}.npy", np.stack(trajectory), "weights", "weights", {"model": name})
            m.save(f"subsets/weights-{name}-ids.npy", np.array(cfg["epochs"], np.int64), "weights", "ids",
                   {"model": name})
            print(f"{name}: {time.time() - t0:.1f} s", flush=True)
    cap.write_metrics(os.path.join(args.out, "metrics.csv"), rows)
    m.write()
    print(f"wrote {len(m.files)} files and manifest.json to {args.out} in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
