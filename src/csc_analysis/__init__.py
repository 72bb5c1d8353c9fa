"""csc-analysis: children's social care performance analysis for English local authorities."""

__version__ = "0.1.0"
