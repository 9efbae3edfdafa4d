"""Information and counselling activities (seed 004): who was told what, when, and who was there.

Built on ``casework`` (the school, its students, positions and the audit trail); nothing in
``casework`` or ``workflows`` imports this package.
"""
