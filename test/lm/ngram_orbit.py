"""An independent n-gram implementation for test/lm/lm-cli.test.ts: interpolated Kneser-Ney (Chen &
Goodman 1998) counted with plain dicts from the dumped training ids, the next-token distribution built
densely with numpy over all 50,257 tokens, and greedy decoding (first maximum on ties) until a page
repeats. Reads {"train": [ids], "k": k, "pages": [[k ids], ...]} on stdin and prints, per page,
{"transient", "period", "cycle_tokens"}.
"""
import json
import sys
from collections import defaultdict

import numpy as np

V = 50257


def main():
    job = json.load(sys.stdin)
    train, k = job["train"], int(job["k"])
    n = k + 1
    raw = [defaultdict(int) for _ in range(n + 1)]  # raw[L][gram]
    for L in range(1, n + 1):
        r = raw[L]
        for i in range(len(train) - L + 1):
            r[tuple(train[i:i + L])] += 1
    # continuation counts: distinct left neighbours of each gram of length < n
    cont = [defaultdict(int) for _ in range(n + 1)]
    for L in range(2, n + 1):
        for g in raw[L]:
            cont[L - 1][g[1:]] += 1
    value = [None] + [cont[L] if L < n else raw[L] for L in range(1, n + 1)]
    # per context: followers with their counts
    followers = [defaultdict(dict) for _ in range(n + 1)]
    for L in range(1, n + 1):
        for g, c in (raw[L].items() if L == n else ((g, value[L].get(g, 0)) for g in raw[L])):
            followers[L][g[:-1]][g[-1]] = c
    discounts = [None]
    for L in range(1, n + 1):
        counts = [value[L].get(g, 0) for g in raw[L]]
        n1 = sum(1 for c in counts if c == 1)
        n2 = sum(1 for c in counts if c == 2)
        discounts.append(n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 else 0.5)

    def distribution(page):
        p = np.full(V, 1.0 / V)
        for L in range(1, n + 1):
            h = tuple(page[len(page) - (L - 1):]) if L > 1 else ()
            f = followers[L].get(h)
            if not f:
                continue
            total = float(sum(f.values()))
            if total == 0:
                continue
            types = sum(1 for c in f.values() if c > 0)
            D = discounts[L]
            alpha = np.zeros(V)
            for w, c in f.items():
                alpha[w] = max(c - D, 0) / total
            gamma = D * types / total
            p = alpha + gamma * p
        return p

    out = []
    for page in job["pages"]:
        page = list(page)
        seen = {}
        written = []
        while tuple(page) not in seen:
            seen[tuple(page)] = len(written)
            w = int(np.argmax(distribution(page)))
            written.append(w)
            page = page[1:] + [w]
        t = seen[tuple(page)]
        out.append({"transient": t, "period": len(written) - t, "cycle_tokens": written[t:]})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
