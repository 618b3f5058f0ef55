"""Great-circle distance between two points, for every part that compares places."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # Rounding can put a hair over 1 for antipodes; asin would refuse it.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
