"""casebook — 网点服务案例库: load, check, publish and print the outlet service library."""

__version__ = "0.1.0"
