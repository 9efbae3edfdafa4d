"""The seed's plan (000): "Planul de acțiuni privind mobilitatea elevilor" of a college, for a
school year: 5 objectives, 16 actions, who is responsible (as positions), the terms and the
performance indicators, each with the measure that counts it.

Responsible persons map to positions: "director adjunct" (either) → deputy_director, "directorul
instituției" → director, "administrația instituției" → director and deputy_director, "șef de
secție" → head_of_section, "diriginți" → form_tutor, "CEIAC" → quality_commission. "Cadre
didactice" (teachers) hold no position and are left out. Where the seed asks for "the number
of ..." without a figure, the target is 1: something must have been done.
"""

from __future__ import annotations

from typing import Any

TITLE = "Planul de acțiuni privind mobilitatea elevilor"
DEPUTY, DIRECTOR, HEAD, TUTOR, CEIAC = (
    "deputy_director",
    "director",
    "head_of_section",
    "form_tutor",
    "quality_commission",
)
ADMINISTRATION = [DIRECTOR, DEPUTY]
MOBILITY = {"topic": "mobility"}

# (text, target, measure, filter)
Indicator = tuple[str, int, str, dict[str, Any]]
# (text, responsible, term, indicators); a term of months is (first month, last month), in the
# school year's first calendar year from September.
Action = tuple[str, list[str], Any, list[Indicator]]

OBJECTIVES: list[tuple[str, list[Action]]] = [
    (
        "Creșterea nivelului de informare a elevilor privind oportunitățile de mobilitate "
        "educațională și profesională prin organizarea activităților de informare și consiliere.",
        [
            (
                "Organizarea activităților de informare a elevilor privind oportunitățile de "
                "mobilitate educațională și profesională.",
                [DEPUTY, TUTOR],
                (9, 10),
                [
                    (
                        "min. 2 activități de informare organizate; listă de prezență a elevilor",
                        2,
                        "activities",
                        {"topic": "mobility", "with_attendance": True},
                    )
                ],
            ),
            (
                "Organizarea sesiunilor de informare a elevilor privind procedura de participare "
                "la programe de mobilitate academică.",
                [DEPUTY, HEAD, TUTOR],
                "annual",
                [
                    (
                        "Numărul sesiunilor de informare organizate",
                        1,
                        "activities",
                        {"topic": "mobility", "kind": "group"},
                    ),
                    (
                        "Numărul elevilor informați privind procedura de mobilitate",
                        1,
                        "students_reached",
                        MOBILITY,
                    ),
                ],
            ),
        ],
    ),
    (
        "Dezvoltarea și consolidarea parteneriatelor instituționale cu instituții de învățământ "
        "și agenți economici în vederea facilitării mobilității elevilor.",
        [
            (
                "Identificarea instituțiilor partenere pentru realizarea mobilităților elevilor.",
                ADMINISTRATION,
                "annual",
                [("min. 2 instituții partenere identificate", 2, "partners", {})],
            ),
            (
                "Încheierea acordurilor de colaborare cu instituții de învățământ și agenți "
                "economici.",
                [DIRECTOR],
                "annual",
                [("min. 2 acorduri de colaborare semnate", 2, "agreements", {})],
            ),
            (
                "Elaborarea și gestionarea dosarelor de mobilitate ale elevilor participanți, "
                "conform regulamentului instituțional.",
                [DEPUTY, HEAD],
                "annual",
                [
                    ("Numărul dosarelor de mobilitate întocmite", 1, "dossiers", {}),
                    (
                        "Numărul elevilor participanți la programe de mobilitate",
                        1,
                        "participants",
                        {},
                    ),
                ],
            ),
        ],
    ),
    (
        "Creșterea participării elevilor la activități de mobilitate educațională și "
        "profesională, inclusiv vizite de studiu, schimburi de experiență și stagii practice.",
        [
            (
                "Organizarea activităților de pregătire a elevilor pentru participarea la "
                "programe de mobilitate.",
                [DEPUTY, HEAD],
                "annual",
                [
                    ("Numărul activităților de pregătire organizate", 1, "activities", MOBILITY),
                    (
                        "Numărul elevilor pregătiți pentru mobilitate",
                        1,
                        "students_reached",
                        MOBILITY,
                    ),
                ],
            ),
            (
                "Organizarea vizitelor de studiu ale elevilor la instituții partenere sau agenți "
                "economici.",
                [DEPUTY],
                "during_year",
                [
                    (
                        "min. 2 vizite de studiu realizate",
                        2,
                        "opportunities",
                        {"kind": "study_visit"},
                    ),
                    (
                        "min. 20 elevi participanți",
                        20,
                        "participants",
                        {"kinds": ["study_visit"]},
                    ),
                ],
            ),
            (
                "Facilitarea participării elevilor la activități educaționale sau proiecte "
                "interinstituționale.",
                ADMINISTRATION,
                "annual",
                [("min. 2 activități sau proiecte realizate", 2, "manual", {})],
            ),
            (
                "Organizarea schimburilor de experiență între elevii instituțiilor partenere.",
                [HEAD],
                "annual",
                [
                    (
                        "min. 1 activitate de schimb de experiență organizată",
                        1,
                        "opportunities",
                        {"kind": "experience_exchange"},
                    )
                ],
            ),
            (
                "Participarea elevilor la stagii practice în cadrul agenților economici parteneri.",
                [DEPUTY],
                "during_year",
                [
                    (
                        "min. 20 elevi implicați în mobilități practice",
                        20,
                        "participants",
                        {"kinds": ["practice_placement"]},
                    )
                ],
            ),
        ],
    ),
    (
        "Monitorizarea și evaluarea activităților de mobilitate realizate la nivel "
        "instituțional, prin analiza participării elevilor și a rezultatelor obținute în cadrul "
        "acestor activități.",
        [
            (
                "Monitorizarea participării elevilor la activități de mobilitate.",
                [CEIAC],
                "annual",
                [
                    (
                        "1 raport de monitorizare elaborat și prezentat administrației instituției",
                        1,
                        "reports",
                        {"kind": "plan_monitoring"},
                    )
                ],
            ),
            (
                "Organizarea activităților de prezentare a experienței elevilor participanți la "
                "mobilitate (prezentări, mese rotunde, întâlniri cu elevii din instituție).",
                [DEPUTY],
                "during_year",
                [
                    ("Numărul activităților de prezentare organizate", 1, "manual", {}),
                    (
                        "Numărul elevilor participanți la activitățile de prezentare a "
                        "experienței de mobilitate",
                        1,
                        "manual",
                        {},
                    ),
                ],
            ),
            (
                "Evaluarea rezultatelor mobilităților realizate.",
                [CEIAC, HEAD, TUTOR],
                "annual",
                [("1 raport de evaluare elaborat", 1, "manual", {})],
            ),
            (
                "Analiza impactului mobilităților asupra dezvoltării competențelor profesionale "
                "ale elevilor.",
                [CEIAC],
                "annual",
                [("Raport de analiză elaborat", 1, "manual", {})],
            ),
        ],
    ),
    (
        "Diseminarea și valorificarea rezultatelor mobilităților prin prezentarea experiențelor "
        "dobândite de elevi și utilizarea acestora pentru îmbunătățirea procesului educațional.",
        [
            (
                "Diseminarea rezultatelor mobilităților elevilor la nivel instituțional prin "
                "prezentarea bunelor practici și valorificarea experiențelor dobândite.",
                ADMINISTRATION,
                "annual",
                [
                    (
                        "cel puțin 2 activități instituționale de diseminare organizate",
                        2,
                        "manual",
                        {},
                    ),
                    (
                        "materiale informative sau rapoarte prezentate în cadrul instituției",
                        1,
                        "manual",
                        {},
                    ),
                ],
            ),
            (
                "Publicarea informațiilor și a rezultatelor mobilităților elevilor pe pagina web "
                "sau pe platformele instituției.",
                ADMINISTRATION,
                "annual",
                [
                    (
                        "cel puțin 2 materiale informative privind mobilitatea elevilor publicate "
                        "pe pagina web sau pe platformele instituției; link-uri sau capturi de "
                        "ecran anexate",
                        2,
                        "manual",
                        {},
                    )
                ],
            ),
        ],
    ),
]

TEMPLATES = {"student_mobility": (TITLE, OBJECTIVES)}
