"""Seeded synthetic data for demos, tests and benchmarks: never real personal data."""

from ketenbeeld.synth.cohort import generate_cohort, generate_cohort_cases, write_cohort_jsonl

__all__ = ["generate_cohort", "generate_cohort_cases", "write_cohort_jsonl"]
