"""Translation and language detection."""
