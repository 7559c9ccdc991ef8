"""Test support shipped with the kernel: the plugin conformance suite and shared fixtures."""
