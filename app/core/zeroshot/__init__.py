"""Zero-shot pre-labels: a CLIP-family model compares each image with its class names (and
descriptions) before any training, so the first labels are a confirmation instead of a search.

    model = load_zeroshot_model("clip-vit-b32")                      # models.py: a registry by format
    result = zero_shot(project, model, templates_for(project), ...)  # scoring.py: cached image embeddings
    accept_zero_shot(project, {image: class_id, ...})                # accept.py: one undoable action

It sits above `active` (it reads the embedding cache, the decode queue and the labels) and below
nothing: the window and `loupe zeroshot` call it. No Qt; torch, transformers and open_clip are
imported inside the functions that need them.
"""
