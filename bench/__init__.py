"""`make bench`: the national-scale workload, each figure a ratio against a baseline of the same run."""
