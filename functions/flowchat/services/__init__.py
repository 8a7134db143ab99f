"""Domain services: each takes the unit of work's session and does one kind of change."""
