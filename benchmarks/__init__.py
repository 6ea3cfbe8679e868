"""Benchmarks of the project, outside the default run and outside the package."""
