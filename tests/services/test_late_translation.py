"""An alert whose translation failed everywhere goes out untranslated with a note, and its translation is
added by an edit once a translator answers again within the story window (issue 16.4).

Real SQLite storage, the scan with a hand-written translator that fails and then recovers, the drain
and the late translations with the recording fake sender, hand-moved clocks (the translator chain's
circuit breaker included)."""

from __future__ import annotations

import pytest
from scan_world import NEWS, World, entry
from service_fakes import (
    IDLIB,
    EventClustering,
    FakeClock,
    FakeMonotonic,
    FakeSender,
    FakeTranslator,
    outbox_rows,
    story_reports,
)

from bot.adapters.storage.database import Storage
from bot.core.delivery.batching import SEPARATOR
from bot.core.delivery.late_translation import encode
from bot.core.interface.formatting import AlertContent, render_alert
from bot.core.models import Delivery, FeedConfig, ParsedEntry
from bot.errors import EditRefused, FloodWait, TranslationError
from bot.services.delivery import DeliveryService
from bot.services.late_translation import LateTranslations
from bot.services.translation import TranslationService
from bot.services.translator_chain import TranslatorChain

NOTE = "Translation to Arabic is unavailable"


class Setup:
    """The scan (through `world`), the sender's drain and the late translations, sharing one translator."""

    def __init__(self, storage: Storage, clock: FakeClock, sender: FakeSender, monotonic: FakeMonotonic,
                 translator: FakeTranslator | None = None) -> None:
        self.translator = translator or FakeTranslator(fail=True)
        self.world = World(storage, clock, self.translator, timeout=0.5)
        self.breaker_clock = FakeMonotonic()
        chain = TranslatorChain([self.translator], per_call_timeout=0.5, monotonic=self.breaker_clock)
        self.delivery = DeliveryService(storage, sender, clock, monotonic=monotonic, sleep=monotonic.sleep)
        self.late = LateTranslations(storage, TranslationService(storage, chain, clock, timeout=0.5), sender,
                                     self.delivery.modes, clock, turn=self.delivery.turn)

    def recover(self) -> None:
        """The provider answers again, and its breaker's cool-down has run out."""
        self.translator.fail = False
        self.breaker_clock.now += 3600


@pytest.fixture
def setup(storage: Storage, clock: FakeClock, sender: FakeSender, monotonic: FakeMonotonic) -> Setup:
    return Setup(storage, clock, sender, monotonic)


async def alert_sent_untranslated(setup: Setup, clock: FakeClock, chat: int = 1) -> None:
    await setup.world.add_feeds(NEWS)
    await setup.world.subscribe(chat, "ar")
    setup.world.serve(NEWS, entry("g1", "Idlib update", clock, summary="Details."))
    await setup.world.scan.run_cycle()
    await setup.delivery.drain()


async def test_the_translation_is_added_by_one_edit_once_a_translator_recovers(
        setup: Setup, sender: FakeSender, clock: FakeClock, storage: Storage) -> None:
    await alert_sent_untranslated(setup, clock)
    [alert] = sender.sent
    assert NOTE in alert.text and "Idlib update" in alert.text

    for _ in range(3):  # down: no edit; once its breaker is open, a run does not even ask it
        report = await setup.late.run()
        assert report.waiting == 1 and report.edited == 0
    assert sender.edits == []
    asked = len(setup.translator.calls)
    await setup.late.run()
    assert len(setup.translator.calls) == asked

    setup.recover()
    clock.advance(hours=2)
    report = await setup.late.run()

    [edit] = sender.edits
    assert report.edited == 1 and edit.message_id == alert.message_id and edit.silent
    assert "[ar] Idlib update" in edit.text and "[ar] Details." in edit.text and NOTE not in edit.text
    assert "Idlib update" in edit.text.split("[ar] Details.")[1]  # the original is still there
    assert edit.buttons == alert.buttons and edit.buttons
    [row] = await outbox_rows(storage)
    details = await storage.alert_details(row["id"])
    assert details is not None and details.text == edit.text  # the "Translation" button shows it too
    await setup.late.run()
    assert len(sender.edits) == 1 and sender.sent == [alert]


async def test_no_edit_once_the_story_window_is_over(setup: Setup, sender: FakeSender, clock: FakeClock) -> None:
    await alert_sent_untranslated(setup, clock)
    setup.recover()
    clock.advance(hours=37)

    report = await setup.late.run()

    assert sender.edits == [] and report.expired == 1
    assert setup.translator.calls == [("Idlib update", "en", "ar"), ("Details.", "en", "ar")]  # the scan's only


async def test_no_edit_to_a_chat_that_left(setup: Setup, sender: FakeSender, clock: FakeClock,
                                           storage: Storage) -> None:
    await alert_sent_untranslated(setup, clock)
    await storage.unsubscribe(1, clock())
    setup.recover()

    report = await setup.late.run()

    assert sender.edits == [] and report.expired == 1


async def test_an_alert_still_unsent_waits_without_an_edit(setup: Setup, sender: FakeSender,
                                                           clock: FakeClock) -> None:
    sender.script[1] = [FloodWait(600)]  # longer than a drain waits: the alert stays queued
    await alert_sent_untranslated(setup, clock)
    assert sender.sent == []
    setup.recover()

    assert (await setup.late.run()).edited == 0
    assert sender.edits == []


async def test_a_message_that_cannot_be_edited_is_given_up_without_a_reply(
        setup: Setup, sender: FakeSender, clock: FakeClock) -> None:
    await alert_sent_untranslated(setup, clock)
    setup.recover()
    sender.edit_script[1] = [EditRefused("Bad Request: message to edit not found")]

    report = await setup.late.run()

    assert report.edited == 0 and report.dropped == 1
    assert len(sender.sent) == 1  # no reply: a late translation is not worth a notification
    await setup.late.run()
    assert sender.edits == []  # given up: never tried again


async def test_a_flood_wait_keeps_the_alert_for_the_next_run(setup: Setup, sender: FakeSender,
                                                             clock: FakeClock) -> None:
    await alert_sent_untranslated(setup, clock)
    setup.recover()
    sender.edit_script[1] = [FloodWait(30)]

    assert (await setup.late.run()).halted
    await setup.late.run()

    [edit] = sender.edits
    assert "[ar] Idlib update" in edit.text


# --- Story alerts: the sources block and the buttons stay, later reports grow the translated alert ------

EVENTS = {f"https://{site}.example/0": "blast" for site in "abc"}


async def story_report(storage: Storage, clock: FakeClock, site: str, *, lang: str, failed: bool,
                       story: bool = True) -> None:
    """One report of the blast from `site`, queued for chat 7 (reading English), rendered as the scan does
    (with `story` false, it joins no story)."""
    config = FeedConfig(f"Wire {site.upper()}", f"https://{site}.example/rss", lang)
    feed = await storage.add_feed(config, clock())
    link = f"https://{site}.example/0"
    item = ParsedEntry(identity=link, title=f"انفجار {site}" if lang == "ar" else f"Blast {site}", summary="",
                       link=link, lang=lang, published_at=clock())
    content = AlertContent(source=config.name, lang=lang, title=item.title, summary="", link=link,
                           keyword="Idlib", quotes=("Idlib",), target="en", translation_failed=failed)
    delivery = Delivery(7, render_alert(content), "idlib", untranslated=encode(content) if failed else None)
    await storage.store_fetch_result(
        feed.id, entries=[item], etag=None, last_modified=None, now=clock(), next_check_at=clock(),
        deliveries={link: [delivery]}, reports=story_reports(config, [item], clock()) if story else None,
        clustering=EventClustering(EVENTS) if story else None)


async def test_a_story_alert_keeps_its_sources_and_buttons_and_grows_translated(
        setup: Setup, sender: FakeSender, clock: FakeClock, storage: Storage) -> None:
    await storage.subscribe(7, "en", [IDLIB], clock())
    await story_report(storage, clock, "a", lang="ar", failed=True)
    await setup.delivery.drain()
    await story_report(storage, clock, "b", lang="en", failed=False)
    await setup.delivery.drain()
    [alert], [grown] = sender.sent, sender.edits
    assert "Translation to English is unavailable" in grown.text and "confirmed by 2 sources" in grown.text

    setup.recover()
    await setup.late.run()

    translated = sender.edits[-1]
    assert translated.message_id == alert.message_id and translated.buttons == alert.buttons
    assert translated.text.startswith("🔔") and "[en] انفجار a" in translated.text
    assert "unavailable" not in translated.text
    assert "confirmed by 2 sources" in translated.text and "https://b.example/0" in translated.text

    await story_report(storage, clock, "c", lang="en", failed=False)
    await setup.delivery.drain()
    third = sender.edits[-1]
    assert "[en] انفجار a" in third.text and "confirmed by 3 sources" in third.text and "unavailable" not in third.text


async def test_alerts_joined_into_one_message_are_edited_together(setup: Setup, sender: FakeSender,
                                                                  clock: FakeClock, storage: Storage) -> None:
    await storage.subscribe(7, "en", [IDLIB], clock())
    await story_report(storage, clock, "a", lang="ar", failed=True, story=False)
    await story_report(storage, clock, "b", lang="en", failed=False, story=False)
    await setup.delivery.drain()
    [joined] = sender.sent
    assert joined.text.count("🔔") == 2 and joined.buttons == ()

    setup.recover()
    await setup.late.run()

    [edit] = sender.edits
    first, second = edit.text.split(SEPARATOR)
    assert "[en] انفجار a" in first and "unavailable" not in first
    assert second == joined.text.split(SEPARATOR)[1] and edit.buttons == ()


class Picky(FakeTranslator):
    """Refuses any text with "refused" in it, translates the rest (once `fail` is off)."""

    async def translate(self, text: str, source: str, target: str) -> str:
        if "refused" in text and not self.fail:
            self.calls.append((text, source, target))
            raise TranslationError("this one, never")
        return await super().translate(text, source, target)


async def test_a_text_no_provider_takes_does_not_hold_back_the_others(storage: Storage, clock: FakeClock,
                                                                      sender: FakeSender,
                                                                      monotonic: FakeMonotonic) -> None:
    setup = Setup(storage, clock, sender, monotonic, Picky(fail=True))
    await setup.world.add_feeds(NEWS)
    await setup.world.subscribe(1, "ar")
    setup.world.serve(NEWS, entry("g1", "Idlib refused", clock, summary="Details."),
                      entry("g2", "Idlib update", clock, summary="More."))
    await setup.world.scan.run_cycle()
    await setup.delivery.drain()
    assert sender.sent and NOTE in sender.sent[0].text
    setup.recover()

    for _ in range(2):
        await setup.late.run()

    [edit] = sender.edits
    assert "[ar] Idlib update" in edit.text and "[ar] Idlib refused" not in edit.text
