"""The organisation's node: local identities and chain key, encodings to the hub."""

from __future__ import annotations

from ketenbeeld.signals.node.client import HubClient, HubTokenRefused, HubUnavailable
from ketenbeeld.signals.node.service import IDENTITY_FIELDS, Node, NodeRegistration

__all__ = [
    "IDENTITY_FIELDS",
    "HubClient",
    "HubTokenRefused",
    "HubUnavailable",
    "Node",
    "NodeRegistration",
]
