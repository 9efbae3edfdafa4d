"""ISO 3166-1 alpha-2 country codes (the officially assigned ones), for partners' countries,
and the names of the countries a school's partners are usually in (the programme's and the
neighbours'), in the reader's language; any other country is shown by its code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_TABLE = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""

CODES = frozenset(_TABLE.split())

NAMES = {
    "AL": _("Albania"),
    "AT": _("Austria"),
    "BA": _("Bosnia and Herzegovina"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "CH": _("Switzerland"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "GR": _("Greece"),
    "HR": _("Croatia"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IS": _("Iceland"),
    "IT": _("Italy"),
    "LI": _("Liechtenstein"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "LV": _("Latvia"),
    "MD": _("Moldova"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "RS": _("Serbia"),
    "SE": _("Sweden"),
    "SI": _("Slovenia"),
    "SK": _("Slovakia"),
    "TR": _("Türkiye"),
    "UA": _("Ukraine"),
}


def country_name(code: str) -> str:
    """The country's name in the active language, or its code when there is none here."""
    name = NAMES.get(code.upper())
    return str(name) if name is not None else code
