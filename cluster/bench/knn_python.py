#!/usr/bin/env python3
"""Self kNN of X.npy with scikit-learn (brute force) or faiss (IndexFlatL2), as a whole process.

Usage: knn_python.py sklearn|faiss X.npy K
Prints the median distance to the first neighbour (self excluded) so runs can be cross-checked.
"""
import sys

import numpy as np

engine, path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = np.load(path)
if engine == "sklearn":
    from sklearn.neighbors import NearestNeighbors

    dist, _ = NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(x).kneighbors(x)
elif engine == "faiss":
    import faiss

    index = faiss.IndexFlatL2(x.shape[1])
    index.add(x)
    squared, _ = index.search(x, k + 1)
    dist = np.sqrt(np.maximum(squared, 0))
else:
    sys.exit("engine must be sklearn or faiss")
print(f"{engine}: r1 median {np.median(dist[:, 1]):.6f}")
