"""python manage.py import_signals FILE [--school CODE] [--user USERNAME]"""

from __future__ import annotations

from casework.management.commands._importing import ImportCommand
from casework.services.imports import signals_import


class Command(ImportCommand):
    help = (
        "Record monitoring signals from a CSV or XLSX file with the columns "
        "student_code,kind,value,observed_on[,note]. All or nothing; re-importing is a no-op."
    )
    what = "signal"

    importer = staticmethod(signals_import)
