"""Maintenance a busy school's database needs from the code itself (docs/DEPLOYMENT.md,
Maintenance): fresh planner statistics after a bulk write."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction


def analyze_after_commit(*models: Any) -> None:
    """Refresh the planner's statistics of ``models``' tables once the import has committed.

    A bulk import can change a table faster than autovacuum notices: until the next
    ``ANALYZE`` the planner estimates from the old row counts (a queue query read 6,495 rows
    where it needed a handful, until ``ANALYZE``). ``ANALYZE`` reads a fixed sample (30,000 rows
    at the default statistics target), so it costs the same, well under a second, whatever the
    size of the table; it takes no lock that blocks reads or writes. PostgreSQL only: SQLite's
    planner keeps no such statistics unless asked, and the embedded default is small.
    """
    if connection.vendor != "postgresql":
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]

    def analyze() -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    transaction.on_commit(analyze)
