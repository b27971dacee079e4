"""The reference municipal backend: FastAPI + uvicorn over SQLite (``python -m sync.server``).

It imports only ``fieldapp.domain`` from the core (to re-check consent with the same gate) and
``sync.protocol`` (the wire format shared with the client, standard library only).
"""
