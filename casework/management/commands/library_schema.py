"""Print the library exchange's JSON Schema as the code's vocabularies describe it.

manage.py library_schema > casework/schemas/case-library.v2.schema.json

after a vocabulary changes (a function, a referral kind, a region): a test fails until the
shipped file and the code agree.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from casework.services.library_format import build_schema


class Command(BaseCommand):
    help = "Print the JSON Schema of the library exchange format."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(build_schema(), indent=2, ensure_ascii=False))
