//! Roster CSV import and export (implemented on the roster-csv branch).
