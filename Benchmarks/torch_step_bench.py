#!/usr/bin/env python3
"""PyTorch twin of `tsfc-bench` (Benchmarks/TSFCBench): the same models, shapes, loss and optimizer,
timed the same way, printing the same JSON lines.

  sgemm             torch.mm of n x n matrices (n = 256, 512, 1024), GFLOP/s
  mlp-step          MLP 512 -> 1024 -> 1024 -> 512 (exact GELU), batch 256, MSE, AdamW
  transformer-step  4 x pre-LN causal block (width 256, 4 heads, MLP 1024, exact GELU) + final
                    LayerNorm on [32, 7, 256], MSE to a random target, AdamW

Each step is forward + backward + AdamW(lr 1e-3, weight decay 0.01); the median over --steps timed
steps after --warmup untimed ones is reported. FLOPs count matmuls only (2*M*N*K forward, x3 for
forward+backward), as tsfc-bench does. Threads: TSFC_THREADS (default 2), applied with
torch.set_num_threads. Self-contained: needs only torch.
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def emit(d):
    print(json.dumps(d), flush=True)


def sgemm_rate(n, reps):
    g = torch.Generator().manual_seed(7)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    c = torch.empty(n, n)
    times = []
    with torch.no_grad():
        for r in range(reps + 2):
            t0 = time.perf_counter()
            torch.mm(a, b, out=c)
            if r >= 2:
                times.append(time.perf_counter() - t0)
    return 2.0 * n ** 3 / statistics.median(times) / 1e9


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.out = nn.Linear(d, d)

    def forward(self, x):  # [B, N, D]
        b, n, d = x.shape
        hd = d // self.heads
        q = self.query(x).view(b, n, self.heads, hd).transpose(1, 2)
        k = self.key(x).view(b, n, self.heads, hd).transpose(1, 2)
        v = self.value(x).view(b, n, self.heads, hd).transpose(1, 2)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(o.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.norm2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        h = x + self.attn(self.norm1(x))
        return h + self.fc2(F.gelu(self.fc1(self.norm2(h))))


class Transformer(nn.Module):
    def __init__(self, layers, d, heads, hidden):
        super().__init__()
        self.blocks = nn.ModuleList([Block(d, heads, hidden) for _ in range(layers)])
        self.final = nn.LayerNorm(d)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.final(x)


class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])

    def forward(self, x):
        for i, l in enumerate(self.layers):
            x = l(x)
            if i < len(self.layers) - 1:
                x = F.gelu(x)
        return x


def time_steps(model, x, y, warmup, steps):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    loss = 0.0
    for _ in range(warmup):
        loss = step()
    times, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        loss = step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), loss


def report(bench, shape, seconds, cpu, loss, flops, params):
    sg = sgemm_rate(512, 20)
    gf = flops / seconds / 1e9
    emit({"bench": bench, "impl": "torch", "threads": torch.get_num_threads(), "shape": shape,
          "params": params, "median_ms": round(seconds * 1000, 3), "cpu_ms": round(cpu * 1000, 3), "steps_per_s": round(1 / seconds, 3),
          "flops_per_step": int(flops), "gflops": round(gf, 2), "sgemm_gflops": round(sg, 2),
          "fraction_of_sgemm": round(gf / sg, 3), "loss": round(loss, 6)})


def run_mlp(warmup, steps, seed):
    torch.manual_seed(seed)
    batch, sizes = 256, [512, 1024, 1024, 512]
    model = MLP(sizes)
    x = torch.randn(batch, sizes[0])
    y = torch.randn(batch, sizes[-1])
    t, cpu, loss = time_steps(model, x, y, warmup, steps)
    fwd = sum(2 * batch * a * b for a, b in zip(sizes[:-1], sizes[1:]))
    report("mlp-step", "[256,512]-1024-1024-512", t, cpu, loss, 3 * fwd,
           sum(p.numel() for p in model.parameters()))


def run_transformer(warmup, steps, seed):
    torch.manual_seed(seed)
    b, n, d, heads, hidden, layers = 32, 7, 256, 4, 1024, 4
    model = Transformer(layers, d, heads, hidden)
    x = torch.randn(b, n, d)
    y = torch.randn(b, n, d)
    t, cpu, loss = time_steps(model, x, y, warmup, steps)
    tokens = b * n
    per_layer = 2 * tokens * (4 * d * d + 2 * d * hidden) + 2 * 2 * b * n * n * d
    report("transformer-step", "[32,7,256] 4x(256,4h,1024)", t, cpu, loss, 3 * layers * per_layer,
           sum(p.numel() for p in model.parameters()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", nargs="?", default="all", choices=["sgemm", "mlp-step", "transformer-step", "all"])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    threads = int(os.environ.get("TSFC_THREADS", "2") or 2)
    torch.set_num_threads(max(1, threads))
    if a.which in ("sgemm", "all"):
        reps = max(a.steps // 4, 3)
        for n in (256, 512, 1024):
            r = reps * (1 if n == 1024 else (4 if n == 512 else 16))
            emit({"bench": "sgemm", "impl": "torch", "threads": torch.get_num_threads(), "n": n,
                  "raw_gflops": round(sgemm_rate(n, r), 2)})
    if a.which in ("mlp-step", "all"):
        run_mlp(a.warmup, a.steps, a.seed)
    if a.which in ("transformer-step", "all"):
        run_transformer(a.warmup, a.steps, a.seed)


if __name__ == "__main__":
    main()
