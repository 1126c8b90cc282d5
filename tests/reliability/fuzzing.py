"""What the property-based reliability tests (test_fuzz_*.py) share: one reproducible
hypothesis profile, the example counts, and a strategy that damages a parsed tree."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "ketenbeeld-fuzz",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def fuzz(examples: int) -> settings:
    """Reproducible settings: derandomized, no deadline, ``examples`` per property.

    ``KETENBEELD_FUZZ_SCALE=10`` runs ten times as many (a nightly run); the default
    keeps the whole reliability set within a minute.
    """
    scale = float(os.environ.get("KETENBEELD_FUZZ_SCALE", "1"))
    return settings(
        settings.get_profile("ketenbeeld-fuzz"), max_examples=max(1, round(examples * scale))
    )


@st.composite
def mutated_tree(draw: st.DrawFn, tree: Any, junk: st.SearchStrategy[Any]) -> Any:
    """A deep copy of ``tree`` with one node deleted or replaced by ``junk``."""
    tree = json.loads(json.dumps(tree, default=str))
    node, path = tree, []
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    if not path:
        return draw(junk)
    parent, key = path[-1]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = draw(junk)
    return tree
