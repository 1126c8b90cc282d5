"""The chain hub: stores encodings and signal metadata, finds matches, keeps inboxes.

The hub never holds the chain key or an identity; see ``docs/privacy.md``. The
domain API is :class:`~ketenbeeld.signals.hub.service.Hub` with the functions of
:mod:`.matches` (inbox, regie, contact, close), :mod:`.admin` (organisations,
tokens) and :mod:`.retention` (expiry); :mod:`.api` puts FastAPI on top.
"""

from __future__ import annotations

from ketenbeeld.signals.hub.retention import ExpireResult, add_months, expire
from ketenbeeld.signals.hub.service import Caller, Hub, HubConfig, Registration, SignalIn

__all__ = [
    "Caller",
    "ExpireResult",
    "Hub",
    "HubConfig",
    "Registration",
    "SignalIn",
    "add_months",
    "expire",
]
