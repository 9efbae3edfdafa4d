"""The demo's extension point: ``seed_demo`` builds the office, its people and its cases, then
sends ``demo_seeded`` so the apps built on top (counselling, support, plans) add their own demo
records in the same transaction, without the core importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``schools`` ({code: School}) and ``users`` ({username: User}).
demo_seeded = Signal()
