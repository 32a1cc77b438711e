"""Pure computation over the model: no I/O, no clock, no environment."""
