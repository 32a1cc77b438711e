"""Documents people read, built from the model and the engine's results."""
