"""Demo data of 智能辅助申报 (filled in by the demo part)."""
