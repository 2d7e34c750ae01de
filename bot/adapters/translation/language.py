"""Language of an item: the feed's declared language, else the script, else seeded langdetect.

langdetect is random by design (it samples n-grams); a private `DetectorFactory` with a fixed
seed makes it deterministic, and loading only the profiles of our four languages restricts its
answers to them (and keeps memory small). The module-level global factory of langdetect is never
touched, so other users of langdetect are unaffected. Profiles load lazily on the first call
that needs them, never at import time, and under a lock so concurrent first calls are safe.
"""

from __future__ import annotations

import os
import threading

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from bot.core.matching.script import script_language
from bot.core.models import LANGUAGES

__all__ = ["DEFAULT_SEED", "LanguageDetector", "normalise_declared"]

DEFAULT_SEED = 0
MIN_PROBABILITY = 0.5
"""langdetect answers below this probability count as undetectable."""


def normalise_declared(declared: str | None) -> str | None:
    """Return the code in LANGUAGES that a declared tag ("ar-SY", "en_us", " TR ") names, else None."""
    if not declared:
        return None
    primary = declared.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


class LanguageDetector:
    """Decides which of LANGUAGES a text is in; deterministic for a given seed."""

    def __init__(self, *, seed: int = DEFAULT_SEED, profiles_directory: str = PROFILES_DIRECTORY) -> None:
        self._seed = seed
        self._profiles_directory = profiles_directory
        self._factory: DetectorFactory | None = None
        self._lock = threading.Lock()

    def _load(self) -> DetectorFactory:
        with self._lock:
            if self._factory is None:
                profiles = []
                for lang in LANGUAGES:
                    path = os.path.join(self._profiles_directory, lang)
                    with open(path, encoding="utf-8") as handle:
                        profiles.append(handle.read())
                factory = DetectorFactory()
                factory.load_json_profile(profiles)
                factory.set_seed(self._seed)
                self._factory = factory
            return self._factory

    def detect(self, text: str, declared: str | None = None) -> str | None:
        """Return "ar", "tr", "ru" or "en", or None when the language cannot be told.

        A declared language in LANGUAGES wins (declared tags of other languages are ignored), then
        the writing system (`script_language`), then langdetect over our four languages.
        """
        lang = normalise_declared(declared) or script_language(text)
        if lang is not None:
            return lang
        return self._statistical(text)

    def _statistical(self, text: str) -> str | None:
        if not text or not any(ch.isalpha() for ch in text):
            return None
        factory = self._factory or self._load()
        try:
            detector = factory.create()
            detector.append(text)
            candidates = detector.get_probabilities()
        except LangDetectException:
            return None
        if not candidates:
            return None
        best = candidates[0]
        if best.prob < MIN_PROBABILITY or best.lang not in LANGUAGES:
            return None
        return str(best.lang)
