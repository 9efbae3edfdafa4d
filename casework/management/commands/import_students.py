"""python manage.py import_students FILE [--school CODE] [--user USERNAME]"""

from __future__ import annotations

from casework.management.commands._importing import ImportCommand
from casework.services.imports import students_import


class Command(ImportCommand):
    help = (
        "Register or update students from a CSV or XLSX file with the columns "
        "code,first_name,last_name,class_name,programme[,birth_date]. All or nothing."
    )
    what = "student"

    importer = staticmethod(students_import)
