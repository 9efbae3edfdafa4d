"""Support opportunities (seeds 001 and 003): partner organisations and their agreements,
practice placements and Erasmus+ mobilities, and the students and staff who take part.

Built on ``casework`` (schools, students, cases, the directory of contacts, the audit trail) and
``workflows`` (the case lock); nothing in ``casework`` or ``workflows`` imports this package.
"""
