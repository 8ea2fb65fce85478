"""规范申报: the 申报要素 checker (issue 17 section 6); the enterprise and public libraries come later."""
