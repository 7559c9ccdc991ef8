"""Content: short videos with product anchors, buyer interactions, and live shopping rooms."""
