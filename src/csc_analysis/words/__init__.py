"""Sentences written from the data, for the top of notebooks and beside charts, one module per topic."""
