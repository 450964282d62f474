"""Embedder backends: text → unit vectors for dense retrieval (see `base.Embedder`)."""
