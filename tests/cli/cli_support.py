"""Constants shared by the operator-command tests (a module of its own: `conftest` is not importable by name)."""

BOT_TOKEN = "123456:TEST-token"
