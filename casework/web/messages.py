"""The services' messages that the web pages show, listed for the translation catalogue.

The services answer in English, the API's language; ``casework.web.errors.translated`` looks
each message up in the catalogue when a page shows it. ``gettext_noop`` only marks them.
"""

from django.utils.translation import gettext_noop

SERVICE_MESSAGES = [
    gettext_noop("Someone else is changing this case right now; try again in a moment."),
    gettext_noop("Someone else changed this case a moment ago; reload it and try again."),
    gettext_noop("This task is for another group."),
    gettext_noop("Someone else has already claimed this task."),
    gettext_noop("This task is no longer open."),
    gettext_noop("Nobody holds this task; there is nothing to give back."),
    gettext_noop("Only the person holding a task can give it back."),
    gettext_noop("You no longer hold this task."),
    gettext_noop("This task is no longer yours to complete."),
    gettext_noop("Summarise the situation for the office meeting."),
    gettext_noop("Choose 1 (high), 2 (medium) or 3 (low)."),
    gettext_noop("Choose at least one function."),
    gettext_noop("Say why you are flagging the student."),
    gettext_noop("Say why the case is withdrawn."),
    gettext_noop("The plan needs at least one SMART objective before the intervention starts."),
    gettext_noop("The case needs a closing review before it is archived."),
    gettext_noop(
        "Some tasks of this case are still open; finish them first, or close with "
        '"cancel_open_tasks": true to cancel them.'
    ),
    gettext_noop("This field may not be blank."),
    gettext_noop("The target must differ from the baseline, or there is nothing to measure."),
    gettext_noop("The deadline must be a date after today."),
    gettext_noop("The objective must serve one of the functions this case needs."),
    gettext_noop("The owner must be a member of the office."),
    gettext_noop("Objectives are planned while the case is shared or in intervention."),
    gettext_noop("The closing review is written while the case is closing."),
    gettext_noop("This school has no action office yet."),
    gettext_noop("This case already has a closing review; its author may edit it."),
]
