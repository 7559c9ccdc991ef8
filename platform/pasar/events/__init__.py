"""Events: the transactional outbox and its relay to lifecycle hooks."""
