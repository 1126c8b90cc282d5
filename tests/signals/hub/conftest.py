"""Hub fixtures: synthetic encodings of two organisations, a hub with three organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.encodings import EncodedRecord
from ketenbeeld.signals.hub.admin import authenticate, create_organisation
from ketenbeeld.signals.hub.service import Caller, Hub, SignalIn, hub_config
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.synth import generate_population
from ketenbeeld.synth.person_files import make_linkage_files

KEY = bytes(range(32))
T0 = datetime(2026, 3, 31, 10, 0, 0)


class Clock:
    """A settable clock for the hub."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Linkage:
    a: list[EncodedRecord]
    b: list[EncodedRecord]
    true_links: frozenset[tuple[str, str]]


@pytest.fixture(scope="session")
def linkage() -> Linkage:
    population = generate_population(2000, seed=1)
    case = make_linkage_files(population, seed=2)
    encoder = Encoder(load_schema("dutch-person"), KEY)
    a = encoder.encode(case.file_a, source="a.csv").records
    b = encoder.encode(case.file_b, source="b.csv").records
    return Linkage(a, b, case.true_links)


@dataclass
class HubWorld:
    hub: Hub
    clock: Clock
    jeugdzorg: Caller
    politie: Caller
    reclassering: Caller


def make_world(engine, clock: Clock | None = None) -> HubWorld:
    clock = clock or Clock(T0)
    hub = Hub(engine, hub_config("dutch-person", 0.7), clock=clock)
    callers = []
    for code, name, kind in (
        ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
        ("politie-oost", "Politie Oost-Nederland", "politie"),
        ("reclassering", "Reclassering Nederland", "reclassering"),
    ):
        token = create_organisation(engine, code, name, kind)
        callers.append(authenticate(hub, token, "127.0.0.1"))
    return HubWorld(hub, clock, *callers)


@pytest.fixture
def world(db) -> HubWorld:
    return make_world(db.engine)


def signal_of(record: EncodedRecord, **changes: object) -> SignalIn:
    """The signal an organisation sends for an encoded person."""
    values: dict[str, object] = {
        "clk": record.to_json()["clk"],
        "schema": record.schema,
        "category": "possible_victim",
        "legal_basis": "jeugdwet",
        "contact_ref": "Team Jeugd Oost, 030-0000000",
        "bsn_hash": record.bsn,
    }
    values.update(changes)
    return SignalIn(**values)  # type: ignore[arg-type]


@pytest.fixture(name="signal_of")
def signal_of_fixture():
    return signal_of


@pytest.fixture(name="make_world")
def make_world_fixture():
    return make_world


@pytest.fixture
def true_pair(linkage: Linkage) -> tuple[EncodedRecord, EncodedRecord]:
    """Records of A and B of one person, both without a BSN hash (the Bloom filters decide)."""
    a = {r.id: r for r in linkage.a}
    b = {r.id: r for r in linkage.b}
    for id_a, id_b in sorted(linkage.true_links):
        if id_a in a and id_b in b and a[id_a].bsn is None and b[id_b].bsn is None:
            return a[id_a], b[id_b]
    raise AssertionError("no true pair without BSN in the fixture")
