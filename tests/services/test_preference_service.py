"""PreferenceService: time zones, quiet hours typed or chosen, urgent keywords, mutes from alert buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_fakes import IDLIB, FakeClock, outbox_rows, queue_messages

from bot.adapters.storage.database import Storage
from bot.services.preferences import PreferenceService, zone_name
from bot.services.subscriptions import SubscriptionError


@pytest.fixture
def service(storage: Storage, clock: FakeClock) -> PreferenceService:
    return PreferenceService(storage, clock)


def test_zone_names_are_checked_and_canonical() -> None:
    assert zone_name("europe/istanbul") == "Europe/Istanbul"
    assert zone_name(" utc ") == "UTC"
    with pytest.raises(SubscriptionError):
        zone_name("Mars/Olympus")
    with pytest.raises(SubscriptionError):
        zone_name("../../etc/passwd")


async def test_settings_need_a_subscription_and_valid_values(storage: Storage, service: PreferenceService,
                                                             clock: FakeClock) -> None:
    with pytest.raises(SubscriptionError, match="not subscribed"):
        await service.set_digest(5, "daily")
    await storage.subscribe(5, "en", [IDLIB], clock())
    for bad in (service.set_digest(5, "weekly"), service.set_quiet_mode(5, "loud"),
                service.set_quiet_choice(5, "q12-13"), service.set_quiet_text(5, "25-99")):
        with pytest.raises(SubscriptionError):
            await bad
    assert await service.set_quiet_text(5, "22:30-6") == "22:30–06:00"
    assert await service.set_time_zone(5, "damascus") == "Asia/Damascus"
    await service.set_quiet_choice(5, "off")
    subscriber = await storage.get_subscriber(5)
    assert subscriber is not None and subscriber.quiet_start is None and subscriber.time_zone == "Asia/Damascus"


async def test_urgent_toggles_by_label_or_spelling(storage: Storage, service: PreferenceService,
                                                   clock: FakeClock) -> None:
    await storage.subscribe(5, "en", [IDLIB], clock())
    concept, urgent = await service.toggle_urgent(5, "idlib")
    assert (concept.key, urgent) == ("idlib", True)
    assert (await service.toggle_urgent(5, "Idlib"))[1] is False
    with pytest.raises(SubscriptionError, match="do not follow"):
        await service.toggle_urgent(5, "Aleppo")


async def test_mute_from_an_alert_only_for_its_own_chat(storage: Storage, service: PreferenceService,
                                                        clock: FakeClock) -> None:
    await queue_messages(storage, clock(), [(5, "alert"), (6, "other alert")])
    mine, theirs = (row["id"] for row in await outbox_rows(storage))

    alert, until = await service.mute_from_alert(5, mine, "source")
    assert until == clock() + timedelta(hours=24)
    assert (await storage.delivery_preferences([5], clock()))[5].muted_sources == {alert.feed_id}
    with pytest.raises(SubscriptionError):
        await service.mute_from_alert(5, theirs, "keyword")
    assert await service.unmute_all(5) == 1
