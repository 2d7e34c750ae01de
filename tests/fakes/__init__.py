"""Hand-written, recording fakes of the services the bot talks to (Bot API, RSS feeds, LibreTranslate).

Each fake is a real aiohttp server bound to 127.0.0.1 on an ephemeral port, so the application under test
uses its ordinary HTTP clients against it. Import them as ``from fakes import FakeBotApi`` after putting
the ``tests`` directory on ``sys.path`` (``tests/e2e/conftest.py`` does that).
"""

from fakes.app_process import BotProcess
from fakes.bot_api import FakeBotApi, visible_text
from fakes.feeds import FakeFeedServer, FeedItem
from fakes.translator import FakeLibreTranslate

__all__ = ["BotProcess", "FakeBotApi", "FakeFeedServer", "FakeLibreTranslate", "FeedItem", "visible_text"]
