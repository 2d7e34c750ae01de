"""Alert labels follow each subscriber's translation language (the catalogues are handed to ScanService)."""

from __future__ import annotations

from datetime import timedelta

from scan_world import NEWS, World, entry
from service_fakes import FakeClock

from bot.adapters.storage.database import Storage
from bot.i18n import Catalogues


async def test_alert_labels_are_in_the_language_alerts_are_translated_into(storage: Storage,
                                                                           clock: FakeClock) -> None:
    world = World(storage, clock, localize=Catalogues.load().texts)
    await world.add_feeds(NEWS)
    await world.subscribe(1, "ru")
    await world.subscribe(2, "ar")
    world.serve(NEWS, entry("g1", "Shelling reported in Idlib", clock))

    await world.scan.run_cycle()

    texts = {m.chat_id: m.text for m in await storage.claim_outbox(clock(), timedelta(minutes=1), 10)}
    catalogues = Catalogues.load()
    for chat_id, lang in ((1, "ru"), (2, "ar")):
        t = catalogues.texts(lang)
        assert t.gettext("Original ({language}):", language=t.language("en")) in texts[chat_id]
        assert "Original (" not in texts[chat_id]
