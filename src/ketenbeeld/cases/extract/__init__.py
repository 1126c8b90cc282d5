"""Assisted coding: extraction of the codebook from Dutch case summaries.

:func:`extract_case` turns one summary into a coded case whose every value carries
its evidence (the exact substring and its offsets); :func:`extract_files` does it
for files, all or nothing. See :mod:`ketenbeeld.cases.extract.core` for how persons
and facts are found and attributed.
"""

from ketenbeeld.cases.extract.core import extract_case
from ketenbeeld.cases.extract.files import case_id_for, extract_files, read_texts

__all__ = ["case_id_for", "extract_case", "extract_files", "read_texts"]
