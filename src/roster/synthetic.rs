//! Seeded synthetic rosters at a district's real scale (implemented on the synthetic-roster branch).
