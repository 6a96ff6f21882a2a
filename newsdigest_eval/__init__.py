"""Evaluation: metrics that compose into suites (seed references, public test sets)."""
