"""Active learning: which images to label next, and when more labels stop helping.

- `acquisition`: the strategies, pure functions over probabilities and embeddings, by name.
- `diversity`: farthest points, k-means++ seeding, cluster representatives, near-duplicates.
- the fast loop's head is `training.logistic` (the linear probe's logistic regression, warm-started).
- `pool`: the images to choose from, as cached embeddings (computed in batches, cancellable).
- `learner`: refit, rescore and pick, with an accuracy estimate and the stopping signal.
- `history`: the rounds recorded in the project, accuracy as labels grew, the stopping advice.
- `suggest`: all of it in one call (`loupe suggest`).
- `run_scoring`: a trained model's probabilities, features and dropout passes for image files.
- `simulate`: active learning replayed on a labelled folder (`loupe simulate`).
"""
