"""One way of writing a date on the Romanian pages: "4 decembrie 2026" (and ", 14:30" for a
time), in prose and in tables alike. Django's own Romanian formats give the rest (what a form
accepts, separators)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
