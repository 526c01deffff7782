#!/usr/bin/python3
"""Runs the benchmark suite of issue #7 and prints its tables (Markdown): Descent, the speed-of-light loop and
PyTorch on B1-B8 (B6-B8 are convnets) at 1 and 2 threads, interleaved round by round (Descent and the loop epoch by
epoch in one process, PyTorch in the next), medians of the rounds after each process's warm-up; the ratios; peak memory
of fit against its budget; GEMM throughput at the suite's shapes, and the convnets' convolutions in GFLOP/s. B8 (the
separable, depthwise and transposed convolutions) has no loop: its loop columns show "—".

    bench/run.py                  everything (installs python3-torch and time when missing; about 30 minutes)
    bench/run.py --rounds 3 B2 B4 fewer rounds, some configurations
    bench/run.py B6 B7            B6 and B7 (about 9 minutes)
    bench/run.py --portable       Descent built without -march=native

Run it with Debian's /usr/bin/python3, where python3-torch lives."""
import argparse
import collections
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# name: (widths, batch, samples, inference, optimizer slots per parameter) -- keep in step with
# bench/suite_configs.hpp. Slots: none for SGD, a velocity for momentum, Adam's m and v.
CONFIGS = {
    "B1": ([30, 16, 8, 1], 32, 32768, False, 0),
    "B2": ([784, 256, 128, 10], 128, 16384, False, 1),
    "B3": ([512, 1024, 1024, 10], 256, 8192, False, 2),
    "B4": ([784, 256, 128, 10], 1, 2048, False, 1),
    "B5": ([784, 256, 128, 10], 1024, 16384, True, 0),
    "B6": ([1600, 10], 128, 2048, False, 2),
    "B7": ([1600, 128, 10], 64, 1024, False, 1),
    "B8": ([4096, 10], 64, 1024, False, 2),
}
# One convolution with relu (Keras's class as kind: conv2d, separable, depthwise or transpose; a depthwise one's
# filters equal its input's channels), then a 2x2 max pool when pool.
Conv = collections.namedtuple("Conv", "filters pool kind kernel strides padding",
                              defaults=(False, "conv2d", 3, 1, "valid"))
# The convnets: name: (image (height, width, channels), convolutions (Conv fields; B6's and B7's are 3x3 "valid"
# Conv2D), dropout) -- also in step with bench/suite_configs.hpp. widths[0] is the flattened output.
CONVNETS = {
    "B6": ((28, 28, 1), [(32, True), (64, True)], 0.5),
    "B7": ((32, 32, 3), [(32, False), (32, True), (64, False), (64, True)], 0.0),
    "B8": ((32, 32, 3), [Conv(32, kind="separable", padding="same"),
                         Conv(32, kind="depthwise", strides=2, padding="same"),
                         Conv(64, kind="conv2d", kernel=1),
                         Conv(32, True, kind="transpose", strides=2, padding="same"),
                         Conv(64, True, kind="separable", padding="same")], 0.0),
}
TITLES = {"B1": "small-classifier", "B2": "mnist-mlp", "B3": "wide", "B4": "per-sample", "B5": "inference",
          "B6": "mnist-convnet", "B7": "cifar-convnet", "B8": "separable-convnet"}
MIB = 1024 * 1024


def convs(name):
    return [Conv(*c) for c in CONVNETS[name][1]] if name in CONVNETS else []


def has_loop(name):
    """Whether the speed-of-light loop implements the configuration (Config::has_loop): MLPs, and convnets of 3x3
    "valid" Conv2D."""
    return all(c.kind == "conv2d" and c.kernel == 3 and c.strides == 1 and c.padding == "valid" for c in convs(name))


def layer_sizes(name):
    """Parameters, and values per sample of the input and of every layer's output (a convolution's, a separable
    one's depthwise half's too, its pool's, dropout's, each dense layer's; Flatten copies nothing)."""
    widths, _, _, _, _ = CONFIGS[name]
    params, values = 0, [widths[0]]
    if name in CONVNETS:
        (h, w, c), _, dropout = CONVNETS[name]
        values = [h * w * c]
        for conv in convs(name):
            k, s, same, taps = conv.kernel, conv.strides, conv.padding == "same", conv.kernel ** 2

            def length(n):  # Keras's conv_output_length, deconv_output_length (no output_padding)
                if conv.kind == "transpose":
                    return n * s if same else (n - 1) * s + k
                return (n + s - 1) // s if same else (n - k) // s + 1
            h, w = length(h), length(w)
            if conv.kind == "separable":
                params += taps * c + (c + 1) * conv.filters
                values.append(h * w * c)
            elif conv.kind == "depthwise":
                params += (taps + 1) * c
            else:
                params += (taps * c + 1) * conv.filters
            c = conv.filters
            values.append(h * w * c)
            if conv.pool:
                h, w = h // 2, w // 2
                values.append(h * w * c)
        if dropout > 0:
            values.append(widths[0])
    params += sum((widths[k - 1] + 1) * widths[k] for k in range(1, len(widths)))
    return params, values + widths[1:]


def sh(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def build(portable):
    subprocess.run([os.path.join(ROOT, "scripts/install-deps.sh"), "python3-torch", "time"], check=True)
    build_dir = os.path.join(ROOT, "build-bench-portable" if portable else "build-bench")
    subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                    "-DDESCENT_NATIVE=" + ("OFF" if portable else "ON"), "-DDESCENT_BUILD_TESTS=OFF",
                    "-DDESCENT_BUILD_EXAMPLES=OFF", "-DDESCENT_BUILD_CLI=OFF"] +
                   (["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "--target", "suite", "gemm"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "bench")


def threads_env(threads):
    # One thread pool per process: OpenMP's and OpenBLAS's both read these.
    return dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))


def pair_run(bench_dir, name, threads):
    """One process timing Descent and the loop epoch by epoch, alternating (at least 5 pairs and 1 s of them, after
    a warm-up epoch of each): the medians of Descent's samples per second, the loop's, and the pairs' ratios. Without
    a loop, Descent alone (at least 5 epochs and half a second), and None for the other two."""
    if not has_loop(name):
        out = sh([os.path.join(bench_dir, "suite"), "descent", name, str(threads), "5"], env=threads_env(threads))
        return statistics.median(float(line.split()[-1]) for line in out.splitlines()), None, None
    out = sh([os.path.join(bench_dir, "suite"), "pair", name, str(threads), "5"], env=threads_env(threads))
    pairs = [[float(v) for v in line.split()[-3:]] for line in out.splitlines()]
    return [statistics.median(p[k] for p in pairs) for k in range(3)]


def torch_run(name, threads):
    """PyTorch's samples per second: the median of one process's timed epochs (at least 3 and half a second of
    them), after its own warm-up epoch."""
    cmd = [sys.executable, os.path.join(ROOT, "bench/torch_suite.py"), name, str(threads), "3"]
    return statistics.median(float(line.split()[-1]) for line in sh(cmd, env=threads_env(threads)).splitlines())


def peak_rss(bench_dir, impl, name, mode):
    """Peak resident bytes of a process that only makes the data set (mode "data") or also trains ("fit")."""
    if impl == "pytorch":
        cmd = [sys.executable, os.path.join(ROOT, "bench/torch_suite.py"), name, "1", "0" if mode == "data" else "1"]
    else:
        cmd = [os.path.join(bench_dir, "suite"), "data" if mode == "data" else impl, name, "1", "1"]
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, check=True, text=True, capture_output=True).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1)) * 1024


def gemm(bench_dir, threads, names):
    """{config: (GFLOP per step, GFLOP/s)} for a step's products, and the same for a convnet's convolutions alone."""
    rows = sh([os.path.join(bench_dir, "gemm"), str(threads)] + names,
              env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
    steps, convs = {}, {}
    for line in rows.splitlines():
        parts = line.split()
        if parts[1] in ("step", "convs"):
            (steps if parts[1] == "step" else convs)[parts[0]] = (float(parts[2]), float(parts[3]))
    return steps, convs


def cell(value, spec):
    """A table cell: the value formatted, or "—" for none (the loop's figures for B8)."""
    return "—" if value is None else format(value, spec)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    cxx = sh(["c++", "--version"]).splitlines()[0]
    torch = sh([sys.executable, "-c", "import torch; print(torch.__version__)"]).strip()
    return f"{cpu} ({isa}), {os.cpu_count()} cores; {cxx}; PyTorch {torch}; {platform.platform()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="*", default=list(CONFIGS))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--portable", action="store_true")
    args = parser.parse_args()
    names = [n.upper() for n in args.configs]
    threads = [int(t) for t in args.threads.split(",")]
    bench_dir = build(args.portable)

    impls = ["descent", "sol", "pytorch"]
    rates = {(i, n, t): [] for i in impls for n in names for t in threads}
    ratios = {(n, t): [] for n in names for t in threads}
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for n in names:
            for t in threads:
                descent, loop, ratio = pair_run(bench_dir, n, t)
                rates[("descent", n, t)].append(descent)
                if loop is not None:
                    rates[("sol", n, t)].append(loop)
                    ratios[(n, t)].append(ratio)
                rates[("pytorch", n, t)].append(torch_run(n, t))
    med = {k: statistics.median(v) if v else None for k, v in rates.items()}

    print(f"Machine: {machine()}. Descent built {'portable' if args.portable else 'with -march=native'}.")
    print(f"Samples per second, medians of {args.rounds} interleaved rounds. Each round runs, per configuration and"
          " thread count, one process that times Descent and the loop epoch by epoch, alternating (at least 5 pairs"
          " and 1 s), then one PyTorch process (at least 3 epochs and 0.5 s), each after a warm-up epoch. Descent /"
          " loop: the median over rounds of each process's median ratio of adjacent epochs. Descent / PyTorch: best"
          " thread count of each. Descent 2t / 1t: the median over rounds. Without a loop (B8), one process times"
          " Descent alone (at least 5 epochs and 0.5 s).\n")
    header = "| config | " + " | ".join(f"Descent {t}t" for t in threads) + " | " + \
             " | ".join(f"loop {t}t" for t in threads) + " | " + " | ".join(f"PyTorch {t}t" for t in threads) + \
             " | " + " | ".join(f"Descent / loop {t}t" for t in threads) + " | Descent / PyTorch |" + \
             (" Descent 2t / 1t |" if len(threads) > 1 else "")
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for n in names:
        values = [med[(i, n, t)] for i in impls for t in threads]
        best_descent = max(med[("descent", n, t)] for t in threads)
        best_torch = max(med[("pytorch", n, t)] for t in threads)
        cells = [cell(v, ",.0f") for v in values]
        cells += [cell(statistics.median(ratios[(n, t)]) if ratios[(n, t)] else None, ".2f") for t in threads]
        cells.append(f"{best_descent / best_torch:.2f}")
        if len(threads) > 1:
            more, one = rates[("descent", n, threads[-1])], rates[("descent", n, threads[0])]
            cells.append(f"{statistics.median(a / b for a, b in zip(more, one)):.2f}")
        print(f"| {n} {TITLES[n]} | " + " | ".join(cells) + " |")
    looped = [n for n in names if has_loop(n)]
    if looped:
        print("\nDescent / loop, every round: " + "; ".join(
            f"{n} {t}t " + " ".join(f"{x:.2f}" for x in ratios[(n, t)]) for n in looped for t in threads))

    print("\nPeak memory of one fit (`/usr/bin/time -v`): what training adds to a process that holds the data set. The"
          " issue's budget is 2 x (parameters + one batch's activations) + 4 MiB; it leaves no room for the"
          " optimizer's slots (momentum's velocity, Adam's m and v), which the last budget adds. A convnet's"
          " activations are its input's and every layer's output (each convolution's, a separable one's depthwise"
          " half's too, pool's, dropout's, dense layer's); its im2col buffers are not in the budget. The loop and"
          " PyTorch for comparison:\n")
    print("| config | Descent: process + data | Descent: fit adds | loop: fit adds | PyTorch: fit adds | budget |"
          " budget + optimizer slots | Descent within |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in names:
        _, batch, _, _, slots = CONFIGS[n]
        params, values = layer_sizes(n)
        activations = batch * sum(values)
        budget = 2 * (params + activations) * 4 + 4 * MIB
        with_slots = budget + slots * params * 4
        floor = peak_rss(bench_dir, "descent", n, "data")
        extra = peak_rss(bench_dir, "descent", n, "fit") - floor
        loop_extra = peak_rss(bench_dir, "sol", n, "fit") - floor if has_loop(n) else None
        torch_extra = peak_rss(bench_dir, "pytorch", n, "fit") - peak_rss(bench_dir, "pytorch", n, "data")
        loop_cell = "—" if loop_extra is None else f"{loop_extra / MIB:.1f} MiB"
        print(f"| {n} | {floor / MIB:.1f} MiB | {extra / MIB:.1f} MiB | {loop_cell} |"
              f" {torch_extra / MIB:.1f} MiB | {budget / MIB:.1f} MiB | {with_slots / MIB:.1f} MiB |"
              f" {'yes' if extra <= with_slots else 'NO'} |")

    print("\nGEMM: one training step's products back to back at the suite's shapes (`bench/gemm`), and the GFLOP/s"
          " Descent achieves counting only those products:\n")
    print("| config | GFLOP per step | " + " | ".join(f"GEMM {t}t GFLOP/s | Descent {t}t GFLOP/s" for t in threads) +
          " |")
    print("|" + " --- |" * (2 + 2 * len(threads)))
    per_thread = {t: gemm(bench_dir, t, names) for t in threads}
    for n in names:
        batch = CONFIGS[n][1]
        flop = per_thread[threads[0]][0][n][0]
        cells = []
        for t in threads:
            cells.append(f"{per_thread[t][0][n][1]:.1f}")
            cells.append(f"{med[('descent', n, t)] / batch * flop:.1f}")
        print(f"| {n} | {flop:.4f} | " + " | ".join(cells) + " |")

    convnets = [n for n in names if n in CONVNETS]
    if not convnets:
        return
    print("\nThe convnets' convolutions: 2 N OH OW KH KW Cin Cout per convolution forward (a depthwise one's 2 N OH OW"
          " KH KW C, a separable one's that plus its 1x1's, a transposed one's 2 N IH IW KH KW Cin Cout over its"
          " input), x3 with backward (x2 for the first, which needs no dx), as GFLOP per step; the GEMM figures time"
          " those products alone at the im2col shapes (whole batch, `bench/gemm`; a depthwise convolution's are one"
          " matrix-vector product per channel, as Descent runs it); the others are what each implementation achieves"
          " over its whole step, counting only those products:\n")
    print("| config | conv GFLOP per step | " + " | ".join(
        f"GEMM {t}t | Descent {t}t | loop {t}t | PyTorch {t}t" for t in threads) + " |")
    print("|" + " --- |" * (2 + 4 * len(threads)))
    for n in convnets:
        batch = CONFIGS[n][1]
        flop = per_thread[threads[0]][1][n][0]
        cells = []
        for t in threads:
            cells.append(f"{per_thread[t][1][n][1]:.1f}")
            cells += [cell(None if med[(i, n, t)] is None else med[(i, n, t)] / batch * flop, ".1f") for i in impls]
        print(f"| {n} | {flop:.4f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
