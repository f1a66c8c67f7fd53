#!/usr/bin/python3
"""The scipy peer of bench/waluigiNode.ts: the same five stages on the waluigi chain, done the way a
competent numpy/scipy user would, so `npm run bench` can print Node's time as a ratio of scipy's.

    /usr/bin/python3 bench/waluigi_scipy.py --k 12 --steps 1000 --dump-dir /tmp/x   # one JSON line

Stages (each one timed by the clock and by this process's CPU time; a stage whose first run takes under --repeat-below seconds is run again,
up to five times, at least three, and the median reported, by the same rule as the Node side):

  build           vectorised numpy: per-page statistics (has a U, number of F) grown digit by digit
                  by broadcasting, then the CSR arrays written directly (no COO sort).
  closed classes  scipy.sparse.csgraph.connected_components(connection="strong"), then sink
                  detection: a class is closed when no edge leaves it.
  expected steps  target = pages holding a U (recomputed, vectorised); states that can avoid the
                  target forever get inf; the rest solve (I − Q) h = 1 with scipy.sparse.linalg.spsolve
                  (SuperLU), Q = T restricted to the non-target pages.
  steps           π ← Tᵀπ 1000 times from N^k, with Tᵀ converted to CSR once (csr_matvec gathers, which
                  is faster here than π @ T's scatter through the CSC view; the conversion is timed).
  second modulus  eigenvalues from the block-triangular form: the SCCs from stage 2 are the diagonal
                  blocks, a one-state block contributes T[s, s], larger blocks numpy.linalg.eigvals.
                  (scipy.sparse.linalg.eigs(k=2) is the alternative; on this chain T is defective with
                  a huge nilpotent part, and the block form is exact.)

--dump-dir writes the expected steps from every page and π after the last step as raw float64 files
(hitting.f64, pi.f64) for the bench to compare with Node's, after every stage's memory was recorded.
"""
import argparse
import json
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import spsolve

N_TOKEN, F_TOKEN, U_TOKEN = 0, 1, 2
HAS_U = 1000  # added to a page's code for every U; codes below it count the page's F tokens


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def progress(message):
    print(message, file=sys.stderr, flush=True)


def page_codes(k):
    """code[i] = number of F on page i, plus HAS_U per U; page i in canonical order (base 3, oldest first)."""
    step = np.array([0, 1, HAS_U], dtype=np.int32)
    code = np.zeros(1, dtype=np.int32)
    for _ in range(k):
        # Appending a token as the newest digit: index → 3·index + token.
        code = (code[:, None] + step[None, :]).ravel()
    return code


def friendly_table(k, lam, p):
    """f(n) and 1 − f(n) for n = 0 … k (spec §3), the second from its own product."""
    n = np.arange(k + 1, dtype=np.float64)
    w = (1 - lam) * p ** n
    return (lam + w * p) / (lam + w), (w * (1 - p)) / (lam + w)


def build(k, lam, p):
    N, L = 3**k, 3 ** (k - 1)
    code = page_codes(k)
    free = code < HAS_U
    f, u = friendly_table(k, lam, p)
    per_row = np.where(free, 2, 1).astype(np.int32)
    indptr = np.zeros(N + 1, dtype=np.int32)
    np.cumsum(per_row, out=indptr[1:])
    nnz = int(indptr[-1])
    base = (np.arange(N, dtype=np.int32) % L) * 3  # successor of page a·L + j is j·3 + t
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=np.float64)
    last = indptr[1:] - 1  # the U entry ends every row
    indices[last] = base + U_TOKEN
    data[last] = np.where(free, u[np.minimum(code, k)], 1.0)
    first = indptr[:-1][free]  # U-free rows start with their F entry
    indices[first] = base[free] + F_TOKEN
    data[first] = f[code[free]]
    T = sp.csr_matrix((data, indices, indptr), shape=(N, N))
    T.eliminate_zeros()  # p = 0 or 1 gives zero entries; Node drops them too
    return T


def closed_classes(T):
    ncomp, labels = connected_components(T, directed=True, connection="strong")
    src = np.repeat(np.arange(T.shape[0], dtype=np.int32), np.diff(T.indptr))
    leaving = labels[src] != labels[T.indices]
    open_class = np.zeros(ncomp, dtype=bool)
    open_class[labels[src[leaving]]] = True
    states = np.flatnonzero(~open_class[labels])
    order = np.argsort(labels[states], kind="stable")
    states = states[order]
    _, starts = np.unique(labels[states], return_index=True)
    classes = np.split(states, starts[1:]) if states.size else []
    return ncomp, labels, open_class, classes


def expected_steps(T, k, labels, open_class):
    N = T.shape[0]
    target = page_codes(k) >= HAS_U
    h = np.zeros(N)
    # A closed class without a target page is never left: from it (and from whatever reaches it
    # while avoiding the target) the expected time is infinite.
    bad_class = ~open_class.copy()
    bad_class[np.unique(labels[target])] = False
    avoid = bad_class[labels] & ~target
    if avoid.any():
        keep = (~target).astype(np.float64)
        while True:
            grow = ((T @ avoid.astype(np.float64)) > 0) & (keep > 0) & ~avoid
            if not grow.any():
                break
            avoid |= grow
    h[avoid] = np.inf
    solve = ~target & ~avoid
    Q = T[solve][:, solve]
    A = (sp.identity(Q.shape[0], format="csc") - Q.tocsc()).tocsc()
    h[solve] = spsolve(A, np.ones(Q.shape[0])) if Q.shape[0] else []
    return h


def evolve(T, steps):
    N = T.shape[0]
    TT = T.T.tocsr()
    pi = np.zeros(N)
    pi[0] = 1.0  # N^k is page 0
    times = np.empty(steps)
    for s in range(steps):
        t0 = time.perf_counter()
        pi = TT @ pi
        times[s] = time.perf_counter() - t0
    return pi, times


def second_modulus(T, labels):
    sizes = np.bincount(labels)
    single = sizes[labels] == 1
    moduli = [np.abs(T.diagonal()[single])]
    for c in np.flatnonzero(sizes > 1):
        members = np.flatnonzero(labels == c)
        moduli.append(np.abs(np.linalg.eigvals(T[members][:, members].toarray())))
    allm = np.concatenate(moduli)
    return float(np.partition(allm, -2)[-2]) if allm.size > 1 else 0.0


def timed(name, run, repeat_below, stages):
    """Runs a stage (up to five times if the first run is cheap), records its median time and peak RSS."""
    progress(f"  scipy: {name} …")
    times, cpu, result = [], [], None
    while True:
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if times[0] >= repeat_below or len(times) >= 5 or (len(times) >= 3 and sum(times) >= 2 * repeat_below):
            break
    stages.append({"stage": name, "seconds": float(np.median(times)), "cpuSeconds": float(np.median(cpu)), "runs": len(times), "peakRssBytes": peak_rss_bytes()})
    return result


def main():
    ap = argparse.ArgumentParser(description="The waluigi chain's five benchmark stages in numpy/scipy; prints one JSON line.")
    ap.add_argument("--k", type=int, required=True, help="context window (pages are {N,F,U}^k)")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.9, help="prior credence in Luigi, in (0, 1)")
    ap.add_argument("--p", type=float, default=0.8, help="P(F | Waluigi, no U on the page), in [0, 1]")
    ap.add_argument("--steps", type=int, default=1000, help="number of π → πT steps from N^k")
    ap.add_argument("--repeat-below", type=float, default=1.0, help="repeat a stage 3× (median) when its first run takes less (seconds)")
    ap.add_argument("--dump-dir", help="write hitting.f64 and pi.f64 here for the cross-check")
    args = ap.parse_args()
    if args.k < 1:
        ap.error(f"--k must be an integer ≥ 1; got {args.k}")
    if not 0 < args.lam < 1:
        ap.error(f"--lambda must be in (0, 1); got {args.lam}")
    if not 0 <= args.p <= 1:
        ap.error(f"--p must be in [0, 1]; got {args.p}")

    stages = []
    T = timed("build", lambda: build(args.k, args.lam, args.p), args.repeat_below, stages)
    ncomp, labels, open_class, classes = timed("closed classes", lambda: closed_classes(T), args.repeat_below, stages)
    h = timed("expected steps", lambda: expected_steps(T, args.k, labels, open_class), args.repeat_below, stages)
    progress(f"  scipy: {args.steps} steps …")
    t0, c0 = time.perf_counter(), time.process_time()
    pi, step_times = evolve(T, args.steps)
    stages.append({"stage": "steps", "seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0, "runs": 1, "peakRssBytes": peak_rss_bytes()})
    slem = timed("second modulus", lambda: second_modulus(T, labels), args.repeat_below, stages)

    if args.dump_dir:
        h.tofile(f"{args.dump_dir}/hitting.f64")
        pi.tofile(f"{args.dump_dir}/pi.f64")
    out = {
        "k": args.k,
        "n": T.shape[0],
        "nnz": int(T.nnz),
        "stages": stages,
        "stepMedianSeconds": float(np.median(step_times)) if args.steps else 0.0,
        "classes": int(ncomp),
        "closedClasses": [c.tolist() for c in classes[:10]],
        "closedClassCount": len(classes),
        "expectedFromEmpty": float(h[0]),
        "secondModulus": slem,
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
