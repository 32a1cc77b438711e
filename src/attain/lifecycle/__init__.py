"""The life of an agreement: its stored versions, and (to come) proposals, approvals and diffs."""
