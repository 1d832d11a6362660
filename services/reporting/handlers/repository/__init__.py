"""reporting's read-model persistence, shared by its handlers: the counters kept by delta (counters.py) and the directory
of units, agencies, plans and periodic reports as the projection reads and writes it (directory.py)."""
