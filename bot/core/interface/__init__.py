"""Interface: what the user sees: alert formatting, buttons, callbacks, bidi and texts."""
