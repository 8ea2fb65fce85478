"""Services of 规范申报: ``checker`` (the 申报要素 checker)."""
