"""Discovery: product search in every tenant language, the shopping tab and the For You feed."""
