"""The sync engine: exactly-once push, a scoped pull feed and three-way merge.

Plain Python over a SQLAlchemy session, no Flask: the HTTP layer (server/api/sync), the
reference client's tests and the benchmarks all call these functions directly.
"""
