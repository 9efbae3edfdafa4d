"""The default self-assessment instrument on drop-out risk, as data.

Written for this product from the seed's purpose (the action office's self-assessment tool,
"used regularly to detect whether a student is at risk of dropping out"); it is not a published
questionnaire. Its four subscales follow what the seed says the office looks at: engagement with
school and the trade, relationships and belonging, purpose and the way ahead, and the support and
circumstances outside school. English glosses and the scoring are in docs/MONITORING.md.

The cut-offs are provisional: the instrument is not validated, so a school should revisit them
once it has a term of scores next to what happened to the students.

Kept free of model imports: the data migration that installs it passes its historical models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

CODE = "autoevaluare-abandon"

DEFINITION: dict[str, Any] = {
    "code": CODE,
    "name": "Autoevaluare: cum îmi merge la școală",
    "kind": "self_assessment",
    "language": "ro",
    "instructions": (
        "Nu există răspunsuri bune sau greșite. Citește fiecare afirmație și alege cât de "
        "adevărată este pentru tine în ultimele săptămâni. Răspunsurile tale îi ajută pe "
        "profesori să te sprijine; nu sunt note."
    ),
    "scale_min": 1,
    "scale_max": 5,
    "scale_labels": [
        "Deloc adevărat",
        "Puțin adevărat",
        "Pe jumătate",
        "Mai mult adevărat",
        "Complet adevărat",
    ],
    "risk_when": "below",
    "caution_cutoff": Decimal("60"),
    "high_cutoff": Decimal("40"),
    "subscales": [
        ("implicare", "Implicare în școală și în meserie"),
        ("apartenenta", "Relații și apartenență"),
        ("viitor", "Sens și drum înainte"),
        ("sprijin", "Sprijin și condiții de acasă"),
    ],
    # (subscale, reverse-scored, text)
    "items": [
        ("implicare", False, "În cele mai multe zile vin la ore fără să mă forțez."),
        ("implicare", False, "Reușesc să țin pasul cu ce se lucrează la ore și la atelier."),
        ("implicare", True, "Mă gândesc des să chiulesc sau să lipsesc de la școală."),
        ("implicare", False, "Îmi duc la capăt temele și lucrările practice."),
        ("apartenenta", False, "Am la școală un adult la care pot merge când am o problemă."),
        ("apartenenta", False, "Mă înțeleg bine cu cei din clasa mea."),
        ("apartenenta", True, "La școală mă simt adesea singur(ă) sau lăsat(ă) deoparte."),
        ("apartenenta", False, "Simt că locul meu este în școala aceasta."),
        ("viitor", False, "Meseria pe care o învăț mă interesează."),
        ("viitor", False, "Cred că ce învăț aici mă va ajuta să-mi găsesc de lucru."),
        ("viitor", True, "M-am gândit în ultima vreme să renunț la școală."),
        ("viitor", False, "Știu ce vreau să fac după ce termin școala."),
        ("sprijin", False, "Acasă cineva ține la faptul că termin școala."),
        (
            "sprijin",
            True,
            "Drumul până la școală sau banii pentru transport, masă ori materiale "
            "îmi fac greu să vin la ore.",
        ),
        ("sprijin", True, "Munca sau grijile de acasă îmi lasă prea puțin timp pentru școală."),
        ("sprijin", False, "Când sunt supărat(ă) sau stresat(ă), știu cui să cer ajutor."),
    ],
}


def ensure_default_instrument(instrument_model: Any, subscale_model: Any, item_model: Any) -> Any:
    """Create the default instrument, or bring its definition back in line; idempotent.

    The models are passed in so the data migration can use its historical ones.
    """
    fields = {
        key: DEFINITION[key]
        for key in (
            "name",
            "kind",
            "language",
            "instructions",
            "scale_min",
            "scale_max",
            "scale_labels",
            "risk_when",
            "caution_cutoff",
            "high_cutoff",
        )
    }
    instrument, _ = instrument_model.objects.update_or_create(
        code=DEFINITION["code"], defaults={**fields, "school": None}
    )
    subscales = {}
    for position, (code, name) in enumerate(DEFINITION["subscales"], start=1):
        subscales[code], _ = subscale_model.objects.update_or_create(
            instrument=instrument, code=code, defaults={"name": name, "position": position}
        )
    for position, (subscale, reverse, text) in enumerate(DEFINITION["items"], start=1):
        item_model.objects.update_or_create(
            instrument=instrument,
            position=position,
            defaults={"text": text, "subscale": subscales[subscale], "reverse": reverse},
        )
    return instrument
