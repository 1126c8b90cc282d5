"""Seeded synthetic data for demos, tests and benchmarks: never real personal data."""

from ketenbeeld.synth.cohort import generate_cohort, generate_cohort_cases, write_cohort_jsonl
from ketenbeeld.synth.person_files import (
    ERROR_RATES,
    PERSON_COLUMNS,
    LinkageCase,
    make_linkage_files,
    write_person_csv,
)
from ketenbeeld.synth.persons import REFERENCE_DATE, Person, generate_population

__all__ = [
    "ERROR_RATES",
    "PERSON_COLUMNS",
    "REFERENCE_DATE",
    "LinkageCase",
    "Person",
    "generate_cohort",
    "generate_cohort_cases",
    "generate_population",
    "make_linkage_files",
    "write_cohort_jsonl",
    "write_person_csv",
]
