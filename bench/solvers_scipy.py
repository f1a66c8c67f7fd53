#!/usr/bin/python3
"""The scipy peer of bench/solvers.ts: the same solve on the same matrix, read from raw CSR files.

    /usr/bin/python3 bench/solvers_scipy.py --dir /tmp/x --kind stationary --method spsolve   # one JSON line

The directory holds n.json ({"n": …, "target": [...] for hitting}), indptr.i32, indices.i32, data.f64.
Methods:
  spsolve  scipy.sparse.linalg.spsolve (SuperLU, COLAMD order): for π, (I − T)ᵀx = 0 with the last
           entry of x fixed to 1 (n − 1 equations), then normalised; for expected hitting times,
           (I − Q) t = 1 on the non-target states.
  gth      the project's GTH peer: state reduction (GTH elimination) on a dict-of-dicts sparse matrix
           in natural order, in pure Python (quantecon's gth_solve is dense; this is its sparse form).
The result vector is written to result.f64 for the bench's cross-check. The address space is capped
(--max-gib) so that a solver whose fill explodes fails with MemoryError instead of starving the machine.
"""
import argparse
import json
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve


def load(d):
    meta = json.load(open(f"{d}/n.json"))
    n = meta["n"]
    indptr = np.fromfile(f"{d}/indptr.i32", dtype=np.int32)
    indices = np.fromfile(f"{d}/indices.i32", dtype=np.int32)
    data = np.fromfile(f"{d}/data.f64", dtype=np.float64)
    return meta, sp.csr_matrix((data, indices, indptr), shape=(n, n))


def stationary_spsolve(T):
    # (I − T)ᵀ x = 0 with x[n−1] fixed to 1: the other n − 1 equations in n − 1 unknowns. (Replacing a
    # row by ones instead adds a dense row, which SuperLU's pivoting can turn into O(n²) fill.)
    n = T.shape[0]
    A = (sp.identity(n, format="csr") - T).T.tocsc()
    B = A[: n - 1, : n - 1]
    rhs = -A[: n - 1, n - 1].toarray().ravel()
    x = np.append(spsolve(B.tocsc(), rhs), 1.0)
    return x / x.sum()


def hitting_spsolve(T, target):
    n = T.shape[0]
    keep = np.ones(n, dtype=bool)
    keep[target] = False
    Q = T[keep][:, keep]
    t = np.zeros(n)
    t[keep] = spsolve((sp.identity(Q.shape[0], format="csc") - Q.tocsc()).tocsc(), np.ones(Q.shape[0]))
    return t


def rows_of(T):
    rows = []
    for i in range(T.shape[0]):
        r = {}
        for e in range(T.indptr[i], T.indptr[i + 1]):
            j = int(T.indices[e])
            if j != i and T.data[e] > 0:
                r[j] = r.get(j, 0.0) + float(T.data[e])
        rows.append(r)
    return rows


def stationary_gth(T):
    """Sparse GTH: eliminate states n−1, …, 1; π_0 = 1; back-substitute; normalise."""
    n = T.shape[0]
    out = rows_of(T)
    inn = [set() for _ in range(n)]
    for i, r in enumerate(out):
        for j in r:
            inn[j].add(i)
    record = [None] * n
    for k in range(n - 1, 0, -1):
        s = sum(out[k].values())
        col = []
        for i in inn[k]:
            w = out[i].pop(k) / s
            col.append((i, w))
            for j, v in out[k].items():
                if j != i:
                    if j not in out[i]:
                        inn[j].add(i)
                    out[i][j] = out[i].get(j, 0.0) + w * v
        for j in out[k]:
            inn[j].discard(k)
        record[k] = col
        out[k] = None
        inn[k] = None
    x = np.zeros(n)
    x[0] = 1.0
    for k in range(1, n):
        x[k] = sum(x[i] * w for i, w in record[k])
    return x / x.sum()


def hitting_gth(T, target):
    """State reduction for (I − Q) t = 1: eliminate the non-target states in natural order."""
    n = T.shape[0]
    is_target = np.zeros(n, dtype=bool)
    is_target[target] = True
    out = rows_of(T)
    unknown = [i for i in range(n) if not is_target[i]]
    exit_ = {i: sum(v for j, v in out[i].items() if is_target[j]) for i in unknown}
    for i in unknown:
        out[i] = {j: v for j, v in out[i].items() if not is_target[j]}
    inn = {i: set() for i in unknown}
    for i in unknown:
        for j in out[i]:
            inn[j].add(i)
    b = {i: 1.0 for i in unknown}
    order = []
    for k in unknown:
        s = exit_[k] + sum(out[k].values())
        for i in inn[k]:
            w = out[i].pop(k) / s
            exit_[i] += w * exit_[k]
            b[i] += w * b[k]
            for j, v in out[k].items():
                if j != i:
                    if j not in out[i]:
                        inn[j].add(i)
                    out[i][j] = out[i].get(j, 0.0) + w * v
        for j in out[k]:
            inn[j].discard(k)
        order.append((k, s, b[k], list(out[k].items())))
        inn[k] = None
    t = np.zeros(n)
    for k, s, bk, row in reversed(order):
        t[k] = (bk + sum(v * t[j] for j, v in row)) / s
    return t


def main():
    ap = argparse.ArgumentParser(description="scipy/Python peer of the solver benchmark; prints one JSON line.")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kind", choices=["stationary", "hitting"], required=True)
    ap.add_argument("--method", choices=["spsolve", "gth"], required=True)
    ap.add_argument("--max-gib", type=float, default=6.0, help="address-space cap (GiB)")
    args = ap.parse_args()
    cap = int(args.max_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    meta, T = load(args.dir)
    t0 = time.perf_counter()
    try:
        if args.kind == "stationary":
            x = stationary_spsolve(T) if args.method == "spsolve" else stationary_gth(T)
        else:
            x = hitting_spsolve(T, meta["target"]) if args.method == "spsolve" else hitting_gth(T, meta["target"])
        seconds = time.perf_counter() - t0
        np.asarray(x, dtype=np.float64).tofile(f"{args.dir}/result.f64")
        print(json.dumps({"ok": True, "seconds": seconds, "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                          "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}}))
    except MemoryError:
        print(json.dumps({"ok": False, "error": f"MemoryError (address space capped at {args.max_gib} GiB)", "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
