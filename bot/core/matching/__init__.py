"""Matching: text normalisation per language, keyword concepts, the gazetteer and the matcher."""
