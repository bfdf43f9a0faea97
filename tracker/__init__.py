"""tracker: checks last period's plan (工作计划) of a 街道 against its later summary (工作总结)."""

__version__ = "0.1.0"
