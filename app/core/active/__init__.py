"""Active learning: which images to label next, and when more labels stop helping.

- `acquisition`: the strategies, pure functions over probabilities and embeddings, by name.
- `diversity`: farthest points, k-means++ seeding, cluster representatives, near-duplicates.
- `head`: the fast loop's linear head on cached embeddings.
- `pool`: the images to choose from, as cached embeddings (computed in batches, cancellable).
- `learner`: refit, rescore and pick, with an accuracy estimate and the stopping signal.
"""
