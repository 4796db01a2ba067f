"""Operations: starting up (data directory, database, first-start demo), demo data, backup and restore."""
