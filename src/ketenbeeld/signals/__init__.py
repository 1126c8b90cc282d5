"""Chain signals: encode identities at the organisation, link encodings, match at the hub.

The organisation side (this package's ``keys``, ``normalise``, ``schema`` and
``encode`` modules) turns person files into keyed Bloom-filter encodings with a
chain key the hub never holds. Importing the package is light: numpy and the
cryptography library load with the modules that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ketenbeeld.signals.encode import (
        Encoder,
        EncodeResult,
        EncodeSummary,
        PersonRow,
        encode_file,
        encode_rows,
        read_person_csv,
    )
    from ketenbeeld.signals.keys import (
        derive_key,
        generate_chain_key,
        read_key_file,
        write_key_file,
    )
    from ketenbeeld.signals.schema import BUILTIN_SCHEMAS, Schema, load_schema

__all__ = [
    "BUILTIN_SCHEMAS",
    "EncodeResult",
    "EncodeSummary",
    "Encoder",
    "PersonRow",
    "Schema",
    "derive_key",
    "encode_file",
    "encode_rows",
    "generate_chain_key",
    "load_schema",
    "read_key_file",
    "read_person_csv",
    "write_key_file",
]

_MODULES = {
    "EncodeResult": "encode",
    "EncodeSummary": "encode",
    "Encoder": "encode",
    "PersonRow": "encode",
    "encode_file": "encode",
    "encode_rows": "encode",
    "read_person_csv": "encode",
    "derive_key": "keys",
    "generate_chain_key": "keys",
    "read_key_file": "keys",
    "write_key_file": "keys",
    "BUILTIN_SCHEMAS": "schema",
    "Schema": "schema",
    "load_schema": "schema",
}


def __getattr__(name: str) -> Any:
    # Lazy exports (PEP 562): `import ketenbeeld.signals` stays cheap for the CLI.
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"ketenbeeld.signals.{module}"), name)
    globals()[name] = value
    return value
