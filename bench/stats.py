"""Small helpers the benchmarks share."""


def percentile(values, p):
    """The p-th percentile (nearest rank) of a list of timings."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
