"""Accounts: users and passwords, login sessions, demo accounts."""
