"""Reads of the hot path compiled once per process and shape.

Building a QuerySet and compiling it to SQL cost a claim and a flag more CPU than PostgreSQL
spent running their statements (docs/PERFORMANCE.md, "Less Python per claim and flag"). The SQL
of those reads depends on a few facts only — which kinds of seats the user holds, whether the
case is shared yet — so it is built once per such *shape*, with stand-in ids, and remembered with
the place each stand-in took among the parameters; a later call of the same shape puts its own
ids in those places. The QuerySet stays the one definition of each rule;
tests/casework/test_compiled.py holds every remembered statement equal to its QuerySet built
afresh, for every kind of user.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Ids no row has: each stand-in is distinct, so where it lands among the parameters says which
# value goes there.
_STAND_IN = 9_107_000_000_000


class Bound(NamedTuple):
    """A statement with its values in place, for a caller that runs it inside its own SQL."""

    sql: str
    params: Sequence[Any]


@dataclass(frozen=True)
class Shape:
    """A read described once: ``build(*values)`` is its QuerySet; ``key`` names every fact
    besides ``values`` that changes its SQL."""

    key: Hashable
    values: list[Any]
    build: Callable[..., QuerySet[Any]]

    def statement(self, using: str = "default") -> Statement:
        return statement(self.key, len(self.values), self.build, using)


@dataclass(frozen=True)
class Statement:
    sql: str
    # Per parameter: the index of the value that goes there, or None for a constant of the shape.
    slots: tuple[int | None, ...]
    constants: tuple[Any, ...]
    compiler: Any  # the compiler that wrote ``sql``: it turns rows into what the QuerySet gives
    using: str

    def params(self, values: Sequence[Any]) -> list[Any]:
        return [
            self.constants[n] if slot is None else values[slot] for n, slot in enumerate(self.slots)
        ]

    def bind(self, values: Sequence[Any]) -> Bound:
        return Bound(self.sql, self.params(values))

    def rows(self, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows, converted as the QuerySet converts them (dates, JSON, booleans)."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            fetched = cursor.fetchall()
        yield from self.compiler.results_iter([fetched])

    def objects(self, values: Sequence[Any]) -> Iterator[Model]:
        """Model objects, with their ``select_related`` and annotations (Django's ModelIterable)."""
        compiler = self.compiler
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [f[0].target.attname for f in select[start:end]]
        # The stubs name a later Django's signature; 5.2 takes these three.
        populators = get_related_populators(klass_info, select, self.using)  # type: ignore[call-arg]
        for row in self.rows(values):
            obj = klass_info["model"].from_db(self.using, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            yield obj

    def values(self, values: Sequence[Any]) -> Iterator[dict[str, Any]]:
        """Rows of a ``.values()`` QuerySet, as dicts."""
        query = self.compiler.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        for row in self.rows(values):
            yield dict(zip(names, row, strict=True))


_KNOWN: dict[tuple[str, Hashable], Statement] = {}


def statement(
    key: Hashable, count: int, build: Callable[..., QuerySet[Any]], using: str = "default"
) -> Statement:
    """The statement of shape ``key``: ``build(*ids)`` with ``count`` stand-in ids, compiled on
    the first call. ``key`` must name every fact that changes the SQL besides those ids."""
    known = _KNOWN.get((using, key))
    if known is None:
        known = _KNOWN[(using, key)] = compile_shape(build, count, using)
    return known


def stand_ins(count: int) -> list[int]:
    return [_STAND_IN + n for n in range(count)]


def compile_shape(build: Callable[..., QuerySet[Any]], count: int, using: str) -> Statement:
    compiler = build(*stand_ins(count)).query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    where = {value: n for n, value in enumerate(stand_ins(count))}
    slots = tuple(
        where.get(p) if isinstance(p, int) and not isinstance(p, bool) else None for p in params
    )
    # Every id must travel as a parameter of its own, untouched: one inlined in the SQL or
    # converted on its way (to text, say) would be kept as a constant of the shape.
    if {s for s in slots if s is not None} != set(range(count)) or str(_STAND_IN)[:4] in sql:
        raise ImproperlyConfigured(f"an id of this statement is not a parameter: {sql}")
    constants = tuple(None if s is not None else p for s, p in zip(slots, params, strict=True))
    return Statement(sql, slots, constants, compiler, using)
