"""Text ⇄ model: the attain/v1 format, OpenSLO, templates, and the YAML reader under them."""
