"""English dates as Masthead has always written them ("5 March 2026, 14:30"); other languages use
Django's formats for their locale (FORMAT_MODULE_PATH looks here first)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
