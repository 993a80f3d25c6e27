#!/usr/bin/env python3
"""The peer for `comptrace cluster`: RapidFuzz process.cdist over all pairs with fuzz.WRatio
(multi-threaded C++), a score cutoff, then connected components. Writes the input rows with a
`cluster` column, like `comptrace cluster`.

usage: rapidfuzz_cluster.py IN.csv OUT.csv [--cutoff 90]
needs: rapidfuzz, numpy, scipy (benches/compare.sh installs them in a virtual environment)
"""
import csv
import sys

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def main():
    src, dst = sys.argv[1], sys.argv[2]
    cutoff = int(sys.argv[sys.argv.index("--cutoff") + 1]) if "--cutoff" in sys.argv else 90
    with open(src, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    names = [r["name"] for r in rows]
    scores = process.cdist(names, names, scorer=fuzz.WRatio, score_cutoff=cutoff, dtype=np.uint8, workers=-1)
    i, j = np.nonzero(scores)
    graph = coo_matrix((np.ones(len(i), dtype=np.uint8), (i, j)), shape=(len(names), len(names)))
    _, labels = connected_components(graph, directed=False)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields + ["cluster"])
        w.writeheader()
        for r, label in zip(rows, labels):
            r["cluster"] = int(label) + 1
            w.writerow(r)


if __name__ == "__main__":
    main()
