"""Stage 1, read: bytes of any supported format → numbered text lines, normalised before any layout logic."""
