"""Excel imports of 9710 orders, 9810 booking orders, export lists and summary applications."""
