"""SubscriptionService against real SQLite storage and a recording FakeTranslator.

Bad requests must raise SubscriptionError and leave the stored keywords exactly as they were, without
asking the translator anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from service_fakes import IDLIB, FakeClock, FakeTranslator, outbox_rows, queue_messages

from bot.adapters.storage.database import Storage
from bot.core.matching.keywords import parse_add
from bot.core.matching.matcher import Matcher
from bot.core.matching.places import Gazetteer, Place
from bot.core.matching.topics import Topic, TopicLexicon
from bot.core.models import Concept, FeedConfig, ParsedEntry
from bot.errors import UserError
from bot.i18n import Catalogues
from bot.services.subscriptions import SubscriptionError, SubscriptionService
from bot.services.translation import TranslationService

ALEPPO = Concept(key="aleppo", label="Aleppo", terms={"en": ("Aleppo",), "ar": ("حلب",)}, builtin=True)
SARAQIB = {("Saraqib", "ar"): "سراقب", ("Saraqib", "tr"): "Serakib", ("Saraqib", "ru"): "Саракиб"}
CHAT = 42


def service(storage: Storage, clock: FakeClock, translator: FakeTranslator, *,
            max_keywords: int = 50) -> SubscriptionService:
    translation = TranslationService(storage, translator, clock, timeout=0.5)
    return SubscriptionService(storage, translation, [IDLIB, ALEPPO], clock, max_keywords=max_keywords)


@pytest.fixture
def translator() -> FakeTranslator:
    return FakeTranslator(SARAQIB)


@pytest.fixture
def subs(storage: Storage, clock: FakeClock, translator: FakeTranslator) -> SubscriptionService:
    return service(storage, clock, translator)


async def test_start_gives_default_concepts_and_twice_is_false(subs: SubscriptionService) -> None:
    assert await subs.start(CHAT, "ar") is True
    assert await subs.keywords(CHAT) == [IDLIB, ALEPPO]
    assert await subs.start(CHAT, "ar") is False
    assert await subs.keywords(CHAT) == [IDLIB, ALEPPO]


async def test_stop_cancels_pending_and_restart_brings_no_backlog(storage: Storage, subs: SubscriptionService,
                                                                  clock: FakeClock) -> None:
    await subs.start(CHAT, "en")
    await queue_messages(storage, clock(), [(CHAT, "one"), (CHAT, "two"), (7, "someone else")])
    assert await storage.pending_count(CHAT) == 2

    assert await subs.stop(CHAT) is True

    assert await storage.pending_count(CHAT) == 0
    assert await storage.pending_count(7) == 1
    mine = [r for r in await outbox_rows(storage) if r["chat_id"] == CHAT]
    assert [(r["status"], r["last_error"]) for r in mine] == [("cancelled", "unsubscribed")] * 2
    assert await subs.stop(CHAT) is False

    clock.advance(hours=1)
    assert await subs.start(CHAT, "en") is True
    assert await storage.pending_count(CHAT) == 0
    claimed = await storage.claim_outbox(clock(), timedelta(minutes=1), 10)
    assert [m.chat_id for m in claimed] == [7]


async def test_add_translates_into_every_language_and_matches_arabic(subs: SubscriptionService,
                                                                     translator: FakeTranslator) -> None:
    await subs.start(CHAT, "en")

    result = await subs.add(CHAT, "Saraqib")

    assert result.untranslated == ()
    assert dict(result.concept.terms) == {"en": ("Saraqib",), "ar": ("سراقب", "سرقيب"), "tr": ("Serakib",),
                                          "ru": ("Саракиб",)}  # the translator's spellings, then derived ones
    assert sorted(target for _, _, target in translator.calls) == ["ar", "ru", "tr"]
    stored = (await subs.keywords(CHAT))[-1]
    assert stored == result.concept
    matcher = Matcher([stored])
    assert [m.concept.key for m in matcher.match("قصف مدفعي على سراقب في ريف إدلب", "ar")] == [stored.key]
    assert matcher.match("قصف مدفعي على حلب", "ar") == []


async def test_add_with_failing_translator_stores_term_and_reports(storage: Storage, clock: FakeClock) -> None:
    subs = service(storage, clock, FakeTranslator(fail=True))
    await subs.start(CHAT, "en")

    result = await subs.add(CHAT, "Saraqib")

    assert result.untranslated == ("ar", "tr", "ru")
    assert dict(result.concept.terms) == {"en": ("Saraqib",), "ar": ("سرقيب",), "ru": ("Саракиб",)}  # derived
    assert (await subs.keywords(CHAT))[-1] == result.concept


@pytest.mark.parametrize("term", [
    "Saraqib", "  SARAQIB ", "idlib", "Aleppo",  # duplicates (same key or label)
    "", "   ", "\t\n", "\x00\x07\x1b", "\u200b\u200e", "!!! ---",  # empty or no letters
    "x" * 65,  # too long
])
async def test_bad_terms_raise_and_change_nothing(storage: Storage, clock: FakeClock, term: str) -> None:
    translator = FakeTranslator(SARAQIB)
    subs = service(storage, clock, translator)
    await subs.start(CHAT, "en")
    await subs.add(CHAT, "Saraqib")
    before, calls = await subs.keywords(CHAT), len(translator.calls)

    with pytest.raises(SubscriptionError):
        await subs.add(CHAT, term)

    assert await subs.keywords(CHAT) == before
    assert len(translator.calls) == calls


async def test_exceeding_max_keywords_raises_and_changes_nothing(storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator(SARAQIB)
    subs = service(storage, clock, translator, max_keywords=3)
    await subs.start(CHAT, "en")
    await subs.add(CHAT, "Saraqib")
    calls = len(translator.calls)

    with pytest.raises(SubscriptionError, match="most keywords allowed"):
        await subs.add(CHAT, "Maarat al-Numan")

    assert [c.label for c in await subs.keywords(CHAT)] == ["Idlib", "Aleppo", "Saraqib"]
    assert await storage.count_keywords(CHAT) == 3
    assert len(translator.calls) == calls


async def test_remove_by_label_and_unknown(subs: SubscriptionService) -> None:
    await subs.start(CHAT, "en")
    await subs.add(CHAT, "Saraqib")

    removed = await subs.remove(CHAT, "saraqib")
    assert removed.label == "Saraqib"
    assert (await subs.remove(CHAT, "Aleppo")).key == "aleppo"
    assert [c.key for c in await subs.keywords(CHAT)] == ["idlib"]

    with pytest.raises(SubscriptionError):
        await subs.remove(CHAT, "Saraqib")
    with pytest.raises(SubscriptionError):
        await subs.remove(CHAT, "Homs")
    assert [c.key for c in await subs.keywords(CHAT)] == ["idlib"]


@pytest.mark.parametrize("stopped", [False, True], ids=["never-subscribed", "stopped"])
async def test_commands_for_non_subscriber_raise(storage: Storage, subs: SubscriptionService,
                                                 translator: FakeTranslator, stopped: bool) -> None:
    if stopped:
        await subs.start(CHAT, "en")
        await subs.stop(CHAT)
    keywords_before = await storage.keywords(CHAT)

    with pytest.raises(SubscriptionError):
        await subs.add(CHAT, "Saraqib")
    with pytest.raises(SubscriptionError):
        await subs.remove(CHAT, "Idlib")
    with pytest.raises(SubscriptionError):
        await subs.set_language(CHAT, "ru")

    assert await storage.keywords(CHAT) == keywords_before
    assert translator.calls == []
    subscriber = await storage.get_subscriber(CHAT)
    assert subscriber is None or subscriber.language == "en"


# -- interface language, keyword buttons, /latest (issue 6) ---------------------------------------------


async def test_interface_language_is_chosen_separately_from_the_translation(subs: SubscriptionService) -> None:
    await subs.start(CHAT, "en")
    assert await subs.interface_language(CHAT) is None
    await subs.set_interface_language(CHAT, "ar")
    assert await subs.interface_language(CHAT) == "ar"
    assert (await subs.subscriber(CHAT)).language == "en"  # type: ignore[union-attr]

    with pytest.raises(SubscriptionError, match="unknown language"):
        await subs.set_interface_language(CHAT, "de")
    assert await subs.interface_language(CHAT) == "ar"
    await subs.stop(CHAT)
    with pytest.raises(SubscriptionError, match="not subscribed"):
        await subs.set_interface_language(CHAT, "tr")
    assert await subs.interface_language(CHAT) == "ar"
    assert await subs.interface_language(12345) is None


async def test_remove_by_id_only_removes_my_own_keywords(subs: SubscriptionService) -> None:
    await subs.start(CHAT, "en")
    await subs.start(7, "en")
    _, (aleppo_id, _) = await subs.keywords_with_ids(CHAT)
    (others_id, _), _ = await subs.keywords_with_ids(7)

    assert (await subs.remove_by_id(CHAT, aleppo_id)).key == "aleppo"
    for forged in (aleppo_id, others_id, 10**15):
        with pytest.raises(SubscriptionError, match="not in your list"):
            await subs.remove_by_id(CHAT, forged)
    assert [c.key for c in await subs.keywords(CHAT)] == ["idlib"]
    assert [c.key for c in await subs.keywords(7)] == ["idlib", "aleppo"]


def news(identity: str, title: str, published: datetime, lang: str = "en") -> ParsedEntry:
    return ParsedEntry(identity=identity, title=title, summary="", link=f"https://news.example/{identity}",
                       lang=lang, published_at=published)


async def publish(storage: Storage, now: datetime, feed: str, entries: list[ParsedEntry]) -> None:
    stored = await storage.add_feed(FeedConfig(feed, f"https://{feed.lower().replace(' ', '-')}.example/rss",
                                               entries[0].lang or "en"), now)
    await storage.store_fetch_result(stored.id, entries=entries, deliveries={}, etag=None, last_modified=None,
                                     now=now, next_check_at=now + timedelta(hours=1))


async def test_latest_lists_recent_matches_for_my_keywords_newest_first(storage: Storage, subs: SubscriptionService,
                                                                       clock: FakeClock) -> None:
    now = clock()
    await publish(storage, now, "Enab Baladi", [
        news("old", "Idlib: report from last week", now - timedelta(days=5)),
        news("weather", "Weather in Aleppo", now - timedelta(hours=2)),
        news("idlib", "Shelling near Idlib", now - timedelta(hours=5)),
        news("homs", "Homs market", now - timedelta(hours=1)),
    ])
    await publish(storage, now, "SANA", [news("ar", "قصف على إدلب", now - timedelta(hours=3), lang="ar")])
    await subs.start(CHAT, "en")

    latest = await subs.latest(CHAT)

    assert [(item.entry.title, item.entry.feed, item.keywords) for item in latest] == [
        ("Weather in Aleppo", "Enab Baladi", ("Aleppo",)),
        ("قصف على إدلب", "SANA", ("Idlib",)),
        ("Shelling near Idlib", "Enab Baladi", ("Idlib",)),
    ]
    assert latest[0].age == timedelta(hours=2)

    await subs.remove(CHAT, "Aleppo")
    assert [item.entry.title for item in await subs.latest(CHAT)] == ["قصف على إدلب", "Shelling near Idlib"]


async def test_latest_keeps_to_the_count_and_needs_a_subscription(storage: Storage, clock: FakeClock) -> None:
    subs = SubscriptionService(storage, TranslationService(storage, FakeTranslator(), clock, timeout=0.5),
                               [IDLIB], clock, latest_window=timedelta(hours=10), latest_count=2)
    now = clock()
    await publish(storage, now, "Wire", [news(str(n), f"Idlib update {n}", now - timedelta(hours=n))
                                         for n in range(1, 15)])
    with pytest.raises(SubscriptionError):
        await subs.latest(CHAT)
    await subs.start(CHAT, "en")
    assert [item.entry.title for item in await subs.latest(CHAT)] == ["Idlib update 1", "Idlib update 2"]
    await subs.remove(CHAT, "Idlib")
    assert await subs.latest(CHAT) == []


@pytest.mark.parametrize("raw", ["", "!!!", "x" * 65, "Ariha | maybe: Idlib", ",".join(f"w{n}" for n in range(25))])
def test_keyword_errors_from_the_core_are_translatable(raw: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_add(raw)
    error = raised.value
    arabic = Catalogues.load().texts("ar").gettext(error.key, **error.params)
    assert arabic != str(error) and "{" not in arabic, f"no translation for {str(raised.value)!r}"


LANDMINE = Topic("landmine", "Landmines", {"ar": ("لغم", "مخلفات الحرب"), "tr": ("mayın",), "ru": ("мина", "сапер"),
                                            "en": ("landmine", "unexploded ordnance")})
SARAQIB_PLACE = Place("saraqib", "Saraqib", {"ar": ("سراقب",), "tr": ("Serakib",), "ru": ("Саракиб",),
                                               "en": ("Saraqib",)})


def ordered_service(storage: Storage, clock: FakeClock, translator: FakeTranslator) -> SubscriptionService:
    translation = TranslationService(storage, translator, clock, timeout=0.5)
    return SubscriptionService(storage, translation, [IDLIB], clock, gazetteer=Gazetteer([SARAQIB_PLACE]),
                               lexicon=TopicLexicon([LANDMINE]))


async def test_add_follows_a_topic_without_the_translator(storage: Storage, clock: FakeClock,
                                                          translator: FakeTranslator) -> None:
    subs = ordered_service(storage, clock, translator)
    await subs.start(CHAT, "en")
    result = await subs.add(CHAT, "ألغام")
    assert (result.source, result.followed, result.concept.label) == ("topic", "Landmines", "Landmines")
    assert translator.calls == []
    assert Matcher([result.concept]).match("Саперы обезвредили мины", "ru")
    with pytest.raises(SubscriptionError, match="already follow “Landmines”"):
        await subs.add(CHAT, "mayınlı")
    assert (await subs.remove(CHAT, "landmine")).label == "Landmines"
    assert await subs.keywords(CHAT) == [IDLIB]


async def test_add_looks_in_the_gazetteer_after_the_lexicon(storage: Storage, clock: FakeClock,
                                                           translator: FakeTranslator) -> None:
    subs = ordered_service(storage, clock, translator)
    await subs.start(CHAT, "en")
    result = await subs.add(CHAT, "Serakib")
    assert (result.source, result.followed) == ("place", "Saraqib")
    assert translator.calls == []


async def test_an_unknown_place_asks_the_translator_per_language_and_derives_spellings(
        storage: Storage, clock: FakeClock) -> None:
    translator = FakeTranslator({("Kafr Lusin", "tr"): "Kefer Lusin"})
    subs = ordered_service(storage, clock, translator)
    await subs.start(CHAT, "en")
    result = await subs.add(CHAT, "Kafr Lusin")
    assert result.source == "translator"
    assert sorted(call[2] for call in translator.calls) == ["ar", "ru", "tr"]
    assert "Kefer Lusin" in result.concept.terms["tr"]
    assert "كفرلوسين" in result.concept.terms["ar"] and "Кафр Лусин" in result.concept.terms["ru"]
