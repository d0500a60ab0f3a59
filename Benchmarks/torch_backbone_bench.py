#!/usr/bin/env python3
"""PyTorch twin of `tsfc-bench backbone`: a randomly initialised GPT-2 (transformers
GPT2Model, frozen, eval mode) on inputs_embeds [32, 7, D]: forward, forward + backward to the
inputs (gradient of sum(out * w)), and a 7-token prefix followed by 8 single-token steps through
the KV cache. Prints one JSON line per phase, same keys as the Swift bench."""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import GPT2Config, GPT2Model

SHAPES = {"small": (4, 256, 4), "full": (12, 768, 12)}


def timeit(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def flops(layers, d, tokens, keys):
    return layers * (2 * tokens * 12 * d * d + 4 * tokens * keys * d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="small", choices=SHAPES)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    layers, d, heads = SHAPES[a.config]
    model = GPT2Model(GPT2Config(n_layer=layers, n_embd=d, n_head=heads, n_positions=1024,
                                 attn_implementation="sdpa")).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    b, n = 32, 7
    x = torch.randn(b, n, d)
    w = torch.randn(b, n, d)

    def forward():
        with torch.no_grad():
            model(inputs_embeds=x)

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        (model(inputs_embeds=xi).last_hidden_state * w).sum().backward()

    steps = [torch.randn(b, 1, d) for _ in range(8)]

    def decode():
        with torch.no_grad():
            out = model(inputs_embeds=x, use_cache=True)
            past = out.past_key_values
            for t in steps:
                past = model(inputs_embeds=t, past_key_values=past, use_cache=True).past_key_values

    f = flops(layers, d, b * n, (n + 1) / 2)
    rate_n = 512
    ma, mb = torch.randn(rate_n, rate_n), torch.randn(rate_n, rate_n)
    sg = 2 * rate_n ** 3 / timeit(lambda: ma @ mb, 2, 7) / 1e9
    t = timeit(forward, 2, a.repeats)
    print(json.dumps({"bench": "backbone", "impl": "torch", "config": a.config, "phase": "forward", "batch": b,
                      "tokens": n, "ms": t * 1e3, "gflops": f / t / 1e9, "sgemm_gflops": sg}))
    t = timeit(forward_backward, 2, a.repeats)
    print(json.dumps({"bench": "backbone", "impl": "torch", "config": a.config, "phase": "forward_backward_input",
                      "batch": b, "tokens": n, "ms": t * 1e3, "gflops": 2 * f / t / 1e9, "sgemm_gflops": sg}))
    t = timeit(decode, 1, a.repeats)
    df = f + sum(flops(layers, d, b, n + 1 + k) for k in range(8))
    print(json.dumps({"bench": "backbone", "impl": "torch", "config": a.config, "phase": "cached_decode_7+8",
                      "batch": b, "ms": t * 1e3, "gflops": df / t / 1e9, "sgemm_gflops": sg,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
