"""Shared controls: widgets, forms, typed formats, the municipality and priority-area pickers."""
