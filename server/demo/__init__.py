"""The demo county: a realistic, repeatable data set for trying the app and for benchmarks."""

from server.demo.build import DEMO_PASSWORD, build_demo

__all__ = ["DEMO_PASSWORD", "build_demo"]
