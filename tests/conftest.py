"""Kernel test fixtures live in ``pasar.testing.fixtures`` (loaded by setup.cfg's ``-p``) so
plugins and the kernel share them; this file holds what only the kernel's tests need."""
