"""NLTK's interpolated Kneser-Ney (nltk.lm.KneserNeyInterpolated) on token ids, for bench:lm and the
agreement test. Reads one JSON object on stdin:

    {"train": [ids], "order": n, "discount": 0.1, "queries": [[context ids..., word], ...]}

fits the model on the training stream as one sequence (every n-gram of orders 1..n, no padding, as
the TypeScript model counts them), scores every query (context = the first n-1 ids), and prints
{"build_seconds", "score_seconds", "probs", "nltk_version"} as JSON.

    echo '{"train": [1,2,3,1,2], "order": 2, "discount": 0.1, "queries": [[1, 2]]}' | python3 bench/lm_nltk.py
"""
import json
import sys
import time

import nltk
from nltk.lm import KneserNeyInterpolated
from nltk.util import everygrams


def main():
    job = json.load(sys.stdin)
    # NLTK's vocabulary looks up strings only: each id becomes its decimal string.
    train = [str(t) for t in job["train"]]
    order = int(job["order"])
    t0 = time.perf_counter()
    lm = KneserNeyInterpolated(order, discount=float(job.get("discount", 0.1)))
    lm.fit([everygrams(train, max_len=order)], vocabulary_text=train)
    build = time.perf_counter() - t0
    queries = [[str(t) for t in q] for q in job["queries"]]
    t0 = time.perf_counter()
    probs = [lm.score(q[-1], tuple(q[:-1])) for q in queries]
    score = time.perf_counter() - t0
    json.dump({"build_seconds": build, "score_seconds": score, "probs": probs, "nltk_version": nltk.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
