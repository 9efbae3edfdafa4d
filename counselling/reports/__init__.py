"""Reports of the counselling procedure and their circuit (DESIGN.md, "Reports and their
circuit")."""
