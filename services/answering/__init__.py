"""Answering an assessment: opening it, answers, tallies, notes, evidence, scoring and submission."""
