"""The hub's fixed vocabularies: partner kinds, signal categories, legal bases, close reasons.

Codes travel in the API; the Dutch and English labels are for people. A signal says
*that* an organisation is concerned and on which legal basis, never why: there is no
free-text field about the person.
"""

from __future__ import annotations

__all__ = ["CATEGORIES", "CLOSE_REASONS", "LEGAL_BASES", "ORG_KINDS", "allowed"]

ORG_KINDS: dict[str, tuple[str, str]] = {
    "jeugdzorg": ("jeugdhulp of gecertificeerde instelling", "youth care"),
    "politie": ("politie", "police"),
    "om": ("Openbaar Ministerie", "public prosecution service"),
    "reclassering": ("reclassering", "probation service"),
    "veilig_thuis": ("Veilig Thuis", "Veilig Thuis (domestic abuse advice)"),
    "gemeente": ("gemeente", "municipality"),
    "zorg": ("andere zorgaanbieder", "other care provider"),
}

CATEGORIES: dict[str, tuple[str, str]] = {
    "possible_victim": (
        "zorg: mogelijk slachtoffer van seksuele uitbuiting",
        "concern: possible victim of sexual exploitation",
    ),
    "possible_perpetrator": (
        "zorg: mogelijk (beginnend) dader van seksuele uitbuiting",
        "concern: possible (emerging) perpetrator of sexual exploitation",
    ),
    "at_risk": (
        "zorg: kwetsbaar voor seksuele uitbuiting, rol onbekend",
        "concern: vulnerable to sexual exploitation, role unknown",
    ),
}

LEGAL_BASES: dict[str, tuple[str, str]] = {
    "jeugdwet": ("Jeugdwet (taak jeugdhulp / jeugdbescherming)", "Youth Act"),
    "wpg": ("Wet politiegegevens", "Police Data Act"),
    "wjsg": ("Wet justitiële en strafvorderlijke gegevens", "Judicial Data Act"),
    "wmo": ("Wet maatschappelijke ondersteuning 2015", "Social Support Act"),
    "avg_6_1_e": (
        "AVG art. 6 lid 1 sub e (taak van algemeen belang)",
        "GDPR art. 6(1)(e) (public task)",
    ),
}

CLOSE_REASONS: dict[str, tuple[str, str]] = {
    "coordinated": ("afgestemd, regie belegd", "coordinated, lead agreed"),
    "not_same_person": ("bleek niet dezelfde persoon", "turned out not to be the same person"),
    "no_longer_needed": ("afstemming niet meer nodig", "coordination no longer needed"),
}


def allowed(vocabulary: dict[str, tuple[str, str]]) -> str:
    """The codes of a vocabulary as a message fragment: ``one of a, b, c``."""
    return "one of " + ", ".join(sorted(vocabulary))
