"""Stage 3, body: task blocks, the role of each line or cell, and task tables."""
