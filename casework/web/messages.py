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
    gettext_noop("This link was revoked."),
    gettext_noop("The code is not right; check the time on your phone."),
    gettext_noop("Two-factor sign-in is already on."),
    gettext_noop("Two-factor sign-in is already off."),
    gettext_noop("Superusers must keep two-factor sign-in."),
    gettext_noop(
        "Two-factor sign-in is for coordinators and administrators; ask the office "
        "coordinator if you need it."
    ),
    gettext_noop("This link has already been used; there is nothing to revoke."),
    gettext_noop("The target must differ from the baseline, or there is nothing to measure."),
    gettext_noop("The deadline must be a date after today."),
    gettext_noop("The objective must serve one of the functions this case needs."),
    gettext_noop("The owner must be a member of the office."),
    gettext_noop("Objectives are planned while the case is shared or in intervention."),
    gettext_noop("The closing review is written while the case is closing."),
    gettext_noop("This school has no action office yet."),
    gettext_noop("This case already has a closing review; its author may edit it."),
    # Meetings, referrals, consent, objectives and the library (phase 2 of the web pages).
    gettext_noop("Every case on the agenda needs a decision before the minutes close."),
    gettext_noop("Record who was present, absent or excused before the minutes close."),
    gettext_noop("Write the decision for the minutes."),
    gettext_noop("Say what the task is."),
    gettext_noop("Choose the group: 1, 2, 3 or 4."),
    gettext_noop("The due date must be after today."),
    gettext_noop("Say when the individual meeting takes place."),
    gettext_noop("This case is already on the agenda."),
    gettext_noop("The meeting already decided about this case; it stays in the minutes."),
    gettext_noop("Decisions were recorded at this meeting; close its minutes instead."),
    gettext_noop("Choose a case of this office that has been shared and is open."),
    gettext_noop("Someone else is changing this case right now; try again."),
    gettext_noop("Give the indicator's current value."),
    gettext_noop("An objective is missed only once its deadline has passed."),
    gettext_noop("Say what the referral is for."),
    gettext_noop("Say why the referral is rejected."),
    gettext_noop("Name the person who gave consent."),
    gettext_noop("A referral consent names one recipient: an account or a contact."),
    gettext_noop("A library consent has no recipient."),
    gettext_noop("You cannot refer a case to yourself."),
    gettext_noop("The recipient must be an active member of the office's network."),
    gettext_noop(
        "You drafted this entry: a second person (another coordinator or a group 2 member) "
        "must review and publish it."
    ),
    gettext_noop("The title may not be blank."),
    gettext_noop("Say why the entry is withdrawn."),
    gettext_noop("This entry is not a draft any more."),
    gettext_noop("Only drafts can be edited; publish a correction instead."),
]
