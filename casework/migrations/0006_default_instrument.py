"""Install the default self-assessment instrument on drop-out risk (casework/instrument_defaults.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    # Imported when the migration runs, not when Django collects the migrations.
    from casework.instrument_defaults import ensure_default_instrument

    ensure_default_instrument(
        apps.get_model("casework", "Instrument"),
        apps.get_model("casework", "Subscale"),
        apps.get_model("casework", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_monitoring")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
