"""Case-file analysis: codebook, import, statistics, report, synthetic cohorts."""
