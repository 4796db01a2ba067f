"""Widgets: each owns its state keys and returns a value (answer widgets, evidence panel, navigation aids)."""
