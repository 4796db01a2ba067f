"""The `kepatuhan` command line: validate criteria, score answers files, seed demo data, back up and restore."""
