"""Web pages about records only (the student register)."""
