"""Online monitoring: advertisements linked into networks, indicators explained, a queue."""
