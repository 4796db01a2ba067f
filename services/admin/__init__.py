"""Administration by the Ortala admin: units, products, periods, reopening, CSV imports of units and users, the
audit trail."""
