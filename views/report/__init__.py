"""Evaluering: the report screen, its charts, and the choices and exports behind them."""
