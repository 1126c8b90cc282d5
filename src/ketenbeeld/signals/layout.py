"""The layout of an encoding: which bits belong to which identifier field.

An encoding is one bit vector per person (a record-level Bloom filter). It is made
of one section per identifier field of the linkage schema, so that linking can
compare field by field (a Dice coefficient per section) and weigh the fields,
while the hub only ever sees one opaque bit string. The layout is public: it says
where a field's bits are, not what they encode.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Layout", "Section"]


@dataclass(frozen=True)
class Section:
    """The bits ``[start, stop)`` of the encoding that hold one field.

    Attributes:
        name: the schema field, e.g. ``first_name``.
        start: first bit (a multiple of 64).
        stop: one past the last bit (a multiple of 64).
        weight: the field's weight when similarities are combined (> 0).
    """

    name: str
    start: int
    stop: int
    weight: float

    @property
    def n_bits(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class Layout:
    """All sections of an encoding, in order, covering ``n_bits`` bits.

    Attributes:
        schema: name and version of the linkage schema, e.g. ``dutch-person/3``.
        sections: the field sections, contiguous from bit 0.
        swaps: pairs of section indexes that may be crossed (first and last name
            written in each other's place): a pair is also scored with them crossed,
            and the better score counts.
    """

    schema: str
    sections: tuple[Section, ...]
    swaps: tuple[tuple[int, int], ...] = ()

    @property
    def n_bits(self) -> int:
        return self.sections[-1].stop if self.sections else 0

    def __post_init__(self) -> None:
        position = 0
        for section in self.sections:
            if section.start != position or section.stop <= section.start:
                raise ValueError(f"section {section.name} does not follow the one before it")
            if section.start % 64 or section.stop % 64:
                raise ValueError(f"section {section.name} is not aligned to 64 bits")
            if section.weight <= 0:
                raise ValueError(f"section {section.name} needs a positive weight")
            position = section.stop
        for first, second in self.swaps:
            if self.sections[first].n_bits != self.sections[second].n_bits:
                raise ValueError("swapped sections must have the same size")
