"""The region's view of a period: scores of every unit, overview, standings and labels, trends."""
