"""The one place that wires settings, adapters, services, handlers and the JobQueue together.

A process runs in one role (bot/roles.py): `all` wires everything; `updates` registers the handlers
but schedules no scan or send job; `worker` schedules the jobs and has no Updater (it never polls or
listens). Every role heartbeats into the `workers` table (bot/services/workers.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.adapters.config_files import load_concepts, load_feeds, load_places, load_topics
from bot.adapters.feeds.channel_reader import ChannelReader
from bot.adapters.feeds.feed_parser import parse_feed
from bot.adapters.feeds.fetcher import Fetcher
from bot.adapters.metrics.prometheus import PrometheusMetrics
from bot.adapters.process_identity import pid_is_running, this_process
from bot.adapters.storage.database import Storage
from bot.adapters.telegram.admin_notifier import TelegramAdminNotifier
from bot.adapters.telegram.chat_members import TelegramChatMembers
from bot.adapters.telegram.rate_limiter import PacedRateLimiter
from bot.adapters.telegram.telegram_sender import TelegramSender
from bot.adapters.translation.language import LanguageDetector
from bot.adapters.translation.translator import make_translator
from bot.core.delivery.pacing import Pacer, PacingLimits
from bot.core.interface.bot_profile import bot_profile
from bot.core.matching.places import Gazetteer
from bot.core.matching.topics import TopicLexicon
from bot.core.models import Concept, FeedConfig
from bot.core.stories.place_index import PlaceIndex
from bot.handlers.admin import AdminCommands
from bot.handlers.alert_buttons import AlertButtons
from bot.handlers.buttons import Buttons
from bot.handlers.channels import ChannelCommands
from bot.handlers.command_table import NOT_EDITED, HandlerSet, register_commands, set_menus
from bot.handlers.commands import SubscriberCommands
from bot.handlers.errors import ErrorHandler
from bot.handlers.groups import AddressedToMe, ChatGuard, GroupCommands
from bot.handlers.interface import Interface
from bot.handlers.jobs import Jobs
from bot.handlers.preferences import PreferenceCommands
from bot.handlers.privacy import PrivacyCommands
from bot.handlers.settings import SettingsMenu
from bot.i18n import SOURCE_LANGUAGE, Catalogues
from bot.roles import receives_updates, runs_jobs, serve
from bot.services.chats import ChatService
from bot.services.delivery import DeliveryOptions, DeliveryService
from bot.services.delivery_modes import DeliveryModes
from bot.services.feed_health import FeedHealthOptions
from bot.services.feeds import FeedAdminService
from bot.services.figures import OutboxSampler
from bot.services.late_translation import LateTranslations
from bot.services.ports import Metrics
from bot.services.preferences import PreferenceService
from bot.services.privacy import PrivacyService
from bot.services.scan import ScanService
from bot.services.stories import ClusteringRules, StoryReports
from bot.services.subscriptions import SubscriptionService
from bot.services.translation import TranslationService
from bot.services.translator_chain import TranslatorChain
from bot.services.workers import ProcessProbe, WorkerPresence
from bot.settings import Settings

log = logging.getLogger(__name__)

JOBS = "jobs"
"""Key of the Jobs in `Application.bot_data`, so that shutdown can stop feed checks and late translations."""
PRESENCE = "worker_presence"
"""Key of the WorkerPresence in `Application.bot_data`, so that shutdown can retire this process."""


def utc_now() -> datetime:
    """The clock every service is given."""
    return datetime.now(UTC)


@dataclass
class Resources:
    """What must be closed at shutdown."""

    storage: Storage
    fetcher: Fetcher
    stop_metrics: Callable[[], None] | None = None


def build_application(settings: Settings, role: str = "all") -> Application:  # type: ignore[type-arg]
    """Read the config files (failing fast on errors) and return an Application that wires the rest at start."""
    feeds = load_feeds(settings.feeds_file)
    places = load_places(settings.places_file)
    concepts = load_concepts(settings.keywords_file, places)
    gazetteer = Gazetteer(places)
    lexicon = TopicLexicon(load_topics(settings.topics_file))
    resources: list[Resources] = []
    pacer = Pacer(PacingLimits(per_second=settings.send_rate_per_second))  # one pacing authority per process
    metrics = PrometheusMetrics() if settings.metrics_port else None  # its own registry, never the global one

    async def on_start(app: Application) -> None:  # type: ignore[type-arg]
        storage = await Storage.connect(settings.database_url)
        fetcher = Fetcher(max_bytes=settings.fetch_max_bytes, per_host_concurrency=settings.fetch_per_host_concurrency,
                          allow_private_addresses=settings.allow_private_feed_addresses)
        stop_metrics = None
        if metrics is not None and settings.metrics_port is not None:
            stop_metrics = metrics.serve(settings.metrics_port)
            log.info("serving Prometheus metrics on port %d at /metrics", settings.metrics_port)
        resources.append(Resources(storage, fetcher, stop_metrics))
        await wire(app, settings, storage, fetcher, feeds, concepts, gazetteer, role, lexicon=lexicon,
                   metrics=metrics, pacer=pacer)

    async def on_stop(app: Application) -> None:  # type: ignore[type-arg]
        jobs = app.bot_data.get(JOBS)
        if isinstance(jobs, Jobs):
            await jobs.aclose()  # feed checks still in flight (their leases make them due again), late translations
        presence = app.bot_data.get(PRESENCE)
        if isinstance(presence, WorkerPresence):
            try:
                await presence.retire()
            except Exception as error:  # its heartbeat simply stops; the others notice within a few beats
                log.warning("could not record this process as stopped: %s", error)
        for resource in resources:
            await resource.fetcher.aclose()
            await resource.storage.close()
            if resource.stop_metrics is not None:
                resource.stop_metrics()

    api = settings.telegram_api_url
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .rate_limiter(PacedRateLimiter(pacer))  # replies, edits and callback answers share the alerts' pacer
        .concurrent_updates(8)
        .post_init(on_start)
        .post_shutdown(on_stop)
    )
    if not receives_updates(role):
        builder = builder.updater(None)
    return builder.build()


async def wire(app: Application, settings: Settings, storage: Storage, fetcher: Fetcher,  # type: ignore[type-arg]
               feeds: list[FeedConfig], concepts: list[Concept], gazetteer: Gazetteer, role: str = "all",
               *, lexicon: TopicLexicon | None = None, metrics: Metrics | None = None,
               pacer: Pacer | None = None) -> None:
    """Build the services on the opened storage, register handlers and schedule the jobs of `role`;
    alerts take their slots from `pacer`, the one the bot's rate limiter paces every other request with."""
    await _sync_feeds(storage, feeds)
    translation = TranslationService(storage, build_translator_chain(settings, metrics), utc_now,
                                     timeout=settings.translation_timeout_seconds)
    interval = timedelta(seconds=settings.scan_interval_seconds)
    catalogues = Catalogues.load()
    notifier = TelegramAdminNotifier(app.bot, settings.admin_ids) if settings.admin_ids else None
    places = PlaceIndex.from_places(gazetteer.places)  # the towns and regions reports name, for clustering
    stories = StoryReports(translation, ClusteringRules(places))  # matched entries join stories (issue 14)
    channels = ChannelReader(fetcher, preview_base=settings.telegram_preview_url,
                             max_pages=settings.channel_catch_up_pages)
    scan = ScanService(storage, fetcher, parse_feed, LanguageDetector(), translation, utc_now,
                       interval=interval, max_entry_age=timedelta(hours=settings.max_entry_age_hours),
                       concurrency=settings.fetch_concurrency, lease=_feed_lease(settings),
                       max_interval=timedelta(seconds=settings.feed_max_interval_seconds),
                       health=FeedHealthOptions(notifier, timedelta(minutes=settings.feed_failure_alert_minutes)),
                       cycle_budget=interval / 2,  # a slow feed finishes in the background, never delays a tick
                       localize=catalogues.texts,  # alert labels in each subscriber's translation language
                       stories=stories, channels=channels, metrics=metrics,
                       max_alerts_per_chat=settings.max_alerts_per_scan)
    delivery = DeliveryService(
        storage, TelegramSender(app.bot), utc_now, modes=DeliveryModes(storage, catalogues.texts),
        options=DeliveryOptions(lease=timedelta(seconds=settings.send_lease_seconds),
                                concurrency=settings.send_concurrency),
        pacer=pacer or Pacer(PacingLimits(per_second=settings.send_rate_per_second)),
    )
    subscriptions = SubscriptionService(storage, translation, concepts, utc_now,
                                        max_keywords=settings.max_keywords_per_user, gazetteer=gazetteer,
                                        lexicon=lexicon)
    interface = Interface(catalogues, subscriptions)
    app.add_error_handler(ErrorHandler(interface, utc_now, admins=notifier))  # any handler's, job's or button's
    user = SubscriberCommands(subscriptions, interface)
    preferences = PreferenceService(storage, utc_now)
    menu = SettingsMenu(subscriptions, interface, preferences)
    delivery_commands = PreferenceCommands(preferences, interface)
    admin = AdminCommands(FeedAdminService(storage, fetcher, parse_feed, utc_now, channels), settings.admin_ids,
                          interface)
    chats = ChatService(storage, TelegramChatMembers(app.bot), concepts, utc_now)
    guard, group_commands = ChatGuard(chats, interface), GroupCommands(chats, interface)
    channel_commands = ChannelCommands(chats, subscriptions, interface)
    privacy = PrivacyCommands(PrivacyService(storage, utc_now), interface, admin.only_admins(admin.export_feeds))
    handlers = HandlerSet(user, menu, delivery_commands, admin, group_commands, channel_commands, privacy)
    register_commands(app, handlers, admin.only_admins, group_guard=guard.managers_only)
    app.add_handler(CallbackQueryHandler(Buttons(subscriptions, interface, menu, AlertButtons(preferences),
                                                 channel_commands, guard).press))
    app.add_handler(ChatMemberHandler(group_commands.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    opml_upload = filters.Document.ALL & filters.CaptionRegex(r"^/import(@\w+)?(\s|$)") & private & NOT_EDITED
    app.add_handler(MessageHandler(opml_upload, admin.only_admins(admin.import_document)))
    commands_only = filters.COMMAND & NOT_EDITED
    app.add_handler(MessageHandler(commands_only & (private | (groups & AddressedToMe())), user.unknown))
    app.add_handler(MessageHandler(filters.TEXT & private & NOT_EDITED, user.text))
    if receives_updates(role):
        await _register_menus(app, catalogues, settings.admin_ids)
        await _register_profile(app, catalogues)
    presence = WorkerPresence(storage, role, utc_now, heartbeat=timedelta(seconds=settings.worker_heartbeat_seconds),
                              overall_rate=settings.send_rate_per_second,
                              send_lease=timedelta(seconds=settings.send_lease_seconds),
                              pacer=delivery.pacer if runs_jobs(role) else None,
                              probe=ProcessProbe(this_process(), pid_is_running))
    app.bot_data[PRESENCE] = presence
    await presence.beat()  # before the first tick: a previous run's leases are taken back, claims take a fair share
    sampler = OutboxSampler(storage, metrics, utc_now) if metrics is not None and runs_jobs(role) else None
    late = LateTranslations(storage, translation, delivery.sender, delivery.modes, utc_now, turn=delivery.turn)
    app.bot_data[JOBS] = jobs = Jobs(scan, delivery, presence, metrics=metrics, sampler=sampler, late=late)
    _schedule(app, settings, role, jobs)
    log.info("bot started as %s (role %s): %d feeds, %d built-in keyword concepts, translator %s",
             storage.claimant, role, len(feeds), len(concepts), settings.translator)


async def _register_menus(app: Application, catalogues: Catalogues,  # type: ignore[type-arg]
                          admin_ids: Collection[int]) -> None:
    languages = [(None if lang == SOURCE_LANGUAGE else lang, catalogues.texts(lang)) for lang in catalogues.languages]
    try:  # English is the default menu; each other language its own
        await set_menus(app.bot, languages, admin_ids)
    except Exception as error:  # the menu is a convenience; never stop the bot for it
        log.warning("could not register the command menu: %s", error)


async def _register_profile(app: Application, catalogues: Catalogues) -> None:  # type: ignore[type-arg]
    """The description and short description in every interface language (English is the default)."""
    try:
        for lang in catalogues.languages:
            profile = bot_profile(catalogues.texts(lang))
            code = None if lang == SOURCE_LANGUAGE else lang
            await app.bot.set_my_description(profile.description, language_code=code)
            await app.bot.set_my_short_description(profile.short_description, language_code=code)
    except Exception as error:  # the profile is a convenience; never stop the bot for it
        log.warning("could not register the bot's description: %s", error)


def _schedule(app: Application, settings: Settings, role: str, jobs: Jobs) -> None:  # type: ignore[type-arg]
    """The heartbeat in every role; the scan and send ticks where the role runs jobs."""
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot was installed without the job-queue extra"
    job_options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    beat = settings.worker_heartbeat_seconds
    queue.run_repeating(jobs.heartbeat_tick, interval=beat, first=beat, name="heartbeat", job_kwargs=job_options)
    if not runs_jobs(role):
        return
    queue.run_repeating(jobs.scan_tick, interval=settings.scan_interval_seconds, first=0.2, name="scan",
                        job_kwargs=job_options)
    queue.run_repeating(jobs.send_tick, interval=settings.send_interval_seconds, first=0.5, name="send",
                        job_kwargs=job_options)


def build_translator_chain(settings: Settings, metrics: Metrics | None = None) -> TranslatorChain:
    """TRANSLATOR's providers in order ("none" adds nothing: an empty chain never translates)."""
    providers = [make_translator(name, libre_url=settings.libretranslate_url,
                                 libre_api_key=settings.libretranslate_api_key,
                                 mymemory_email=settings.mymemory_email,
                                 timeout=settings.translation_timeout_seconds)
                 for name in settings.translators if name != "none"]
    return TranslatorChain(providers, per_call_timeout=settings.translation_timeout_seconds, metrics=metrics)


def _feed_lease(settings: Settings) -> timedelta:
    """FEED_LEASE_SECONDS, else three scan intervals and at least two minutes (longer than a fetch's deadline)."""
    if settings.feed_lease_seconds is not None:
        return timedelta(seconds=settings.feed_lease_seconds)
    return max(timedelta(seconds=settings.scan_interval_seconds) * 3, timedelta(minutes=2))


async def _sync_feeds(storage: Storage, feeds: list[FeedConfig], attempts: int = 3) -> None:
    """Sync FEEDS_FILE into the database; processes starting together on an empty database may race to
    insert the same feed, and the loser's retry finds it there."""
    for attempt in range(1, attempts + 1):
        try:
            await storage.sync_feeds(feeds, utc_now())
            return
        except Exception as error:
            if attempt == attempts:
                raise
            log.info("feeds changed under us while syncing (%s); trying again", type(error).__name__)
            await asyncio.sleep(0.2 * attempt)


def run(settings: Settings, role: str = "all") -> None:
    """Run `role` until SIGINT/SIGTERM: updates by polling or webhook, and/or the scan and send jobs."""
    serve(build_application(settings, role), settings, role)
