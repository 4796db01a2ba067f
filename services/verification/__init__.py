"""Verification: the verifier's queue and review, decisions per answer, the verified score."""
