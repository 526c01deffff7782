#!/usr/bin/python3
"""Runs the benchmark suite of issue #7 and prints its tables (Markdown): Descent, the speed-of-light loop and
PyTorch on B1-B5 at 1 and 2 threads, interleaved round by round, medians of the rounds after each process's warm-up;
the ratios; peak memory of fit against its budget; GEMM throughput at the suite's shapes.

    bench/run.py                  everything (installs python3-torch and time when missing; about 20 minutes)
    bench/run.py --rounds 3 B2 B4 fewer rounds, some configurations
    bench/run.py --portable       Descent built without -march=native

Run it with Debian's /usr/bin/python3, where python3-torch lives."""
import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# name: (widths, batch, samples, inference) -- keep in step with bench/suite_configs.hpp.
CONFIGS = {
    "B1": ([30, 16, 8, 1], 32, 32768, False),
    "B2": ([784, 256, 128, 10], 128, 16384, False),
    "B3": ([512, 1024, 1024, 10], 256, 8192, False),
    "B4": ([784, 256, 128, 10], 1, 2048, False),
    "B5": ([784, 256, 128, 10], 1024, 16384, True),
}
TITLES = {"B1": "small-classifier", "B2": "mnist-mlp", "B3": "wide", "B4": "per-sample", "B5": "inference"}
MIB = 1024 * 1024


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


def one_run(bench_dir, impl, name, threads):
    """Samples per second: the median of one process's timed epochs (at least 3 and half a second of them), after
    its own warm-up epoch."""
    if impl == "pytorch":
        cmd = [sys.executable, os.path.join(ROOT, "bench/torch_suite.py"), name, str(threads), "3"]
    else:
        cmd = [os.path.join(bench_dir, "suite"), impl, name, str(threads), "3"]
    # One thread pool per process: OpenMP's and OpenBLAS's both read these.
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    return statistics.median(float(line.split()[-1]) for line in sh(cmd, env=env).splitlines())


def peak_rss(bench_dir, impl, name, mode):
    """Peak resident bytes of a process that only makes the data set (mode "data") or also trains ("fit")."""
    if impl == "pytorch":
        cmd = [sys.executable, os.path.join(ROOT, "bench/torch_suite.py"), name, "1", "0" if mode == "data" else "1"]
    else:
        cmd = [os.path.join(bench_dir, "suite"), "data" if mode == "data" else impl, name, "1", "1"]
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, check=True, text=True, capture_output=True).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1)) * 1024


def gemm(bench_dir, threads, names):
    rows = sh([os.path.join(bench_dir, "gemm"), str(threads)] + names,
              env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
    steps = {}
    for line in rows.splitlines():
        parts = line.split()
        if parts[1] == "step":
            steps[parts[0]] = (float(parts[2]), float(parts[3]))  # GFLOP per step, GFLOP/s
    return steps


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
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for n in names:
            for t in threads:
                for i in impls:
                    rates[(i, n, t)].append(one_run(bench_dir, i, n, t))
    med = {k: statistics.median(v) for k, v in rates.items()}

    def ratio(a, b):
        """Median over rounds of a / b within each round: neighbours in time share the machine's mood."""
        return statistics.median(x / y for x, y in zip(rates[a], rates[b]))

    print(f"Machine: {machine()}. Descent built {'portable' if args.portable else 'with -march=native'}.")
    print(f"Samples per second: medians of {args.rounds} interleaved rounds, each the median of one process's timed"
          " epochs (at least 3 and 0.5 s) after its warm-up epoch. Ratios: medians of the rounds' own ratios.\n")
    header = "| config | " + " | ".join(f"Descent {t}t" for t in threads) + " | " + \
             " | ".join(f"loop {t}t" for t in threads) + " | " + " | ".join(f"PyTorch {t}t" for t in threads) + \
             " | " + " | ".join(f"Descent / loop {t}t" for t in threads) + " | Descent / PyTorch, best of each |" + \
             (" Descent 2t / 1t |" if len(threads) > 1 else "")
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    for n in names:
        values = [med[(i, n, t)] for i in impls for t in threads]
        best_descent = max(med[("descent", n, t)] for t in threads)
        best_torch = max(med[("pytorch", n, t)] for t in threads)
        cells = [f"{v:,.0f}" for v in values]
        cells += [f"{ratio(('descent', n, t), ('sol', n, t)):.2f}" for t in threads]
        cells.append(f"{best_descent / best_torch:.2f}")
        if len(threads) > 1:
            cells.append(f"{ratio(('descent', n, threads[-1]), ('descent', n, threads[0])):.2f}")
        print(f"| {n} {TITLES[n]} | " + " | ".join(cells) + " |")

    print("\nDescent / loop timed in one process, epoch by epoch alternating (`suite pair`): the median of "
          f"{args.rounds} processes' median ratios, each over at least 5 pairs and 1 s:\n")
    print("| config | " + " | ".join(f"Descent / loop {t}t, same process" for t in threads) + " |")
    print("|" + " --- |" * (1 + len(threads)))
    for n in names:
        cells = []
        for t in threads:
            ratios = []
            for _ in range(args.rounds):
                out = sh([os.path.join(bench_dir, "suite"), "pair", n, str(t), "5"],
                         env=dict(os.environ, OMP_NUM_THREADS=str(t), OPENBLAS_NUM_THREADS=str(t)))
                ratios.append(statistics.median(float(line.split()[-1]) for line in out.splitlines()))
            cells.append(f"{statistics.median(ratios):.2f}")
        print(f"| {n} {TITLES[n]} | " + " | ".join(cells) + " |")

    print("\nPeak memory of one fit (`/usr/bin/time -v`): what training adds to a process that holds the data set,"
          " against the budget data + 2 x (parameters + one batch's activations) + 4 MiB; PyTorch's for"
          " comparison:\n")
    print("| config | Descent: process + data | Descent: fit adds | budget | within | PyTorch: fit adds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in names:
        widths, batch, _, _ = CONFIGS[n]
        params = sum((widths[k - 1] + 1) * widths[k] for k in range(1, len(widths)))
        activations = batch * sum(widths)
        budget = 2 * (params + activations) * 4 + 4 * MIB
        floor = peak_rss(bench_dir, "descent", n, "data")
        extra = peak_rss(bench_dir, "descent", n, "fit") - floor
        torch_extra = peak_rss(bench_dir, "pytorch", n, "fit") - peak_rss(bench_dir, "pytorch", n, "data")
        print(f"| {n} | {floor / MIB:.1f} MiB | {extra / MIB:.1f} MiB | {budget / MIB:.1f} MiB |"
              f" {'yes' if extra <= budget else 'NO'} | {torch_extra / MIB:.1f} MiB |")

    print("\nGEMM: one training step's products back to back at the suite's shapes (`bench/gemm`), and the GFLOP/s"
          " Descent achieves counting only those products:\n")
    print("| config | GFLOP per step | " + " | ".join(f"GEMM {t}t GFLOP/s | Descent {t}t GFLOP/s" for t in threads) +
          " |")
    print("|" + " --- |" * (2 + 2 * len(threads)))
    per_thread = {t: gemm(bench_dir, t, names) for t in threads}
    for n in names:
        batch = CONFIGS[n][1]
        flop = per_thread[threads[0]][n][0]
        cells = []
        for t in threads:
            cells.append(f"{per_thread[t][n][1]:.1f}")
            cells.append(f"{med[('descent', n, t)] / batch * flop:.1f}")
        print(f"| {n} | {flop:.4f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
