"""Dates in expressions: Altinn's accepted ISO-like formats, comparison and formatDate.

A parsed date remembers whether it carried a zone ("utc", an explicit offset, or "local")
because `isSameDay` refuses to compare a zoned value with an unzoned one. Unzoned values are
taken in the evaluator's local zone (UTC unless configured), as the server does.
formatDate understands the Unicode TR35 field letters Altinn documents (G y u M d E a h H m s S)
with nb/nn/en names from Babel's CLDR data, adjusted where Altinn's locale data differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

from layouts.expressions.errors import ExpressionError

_DATE = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class ExprDate:
    """A parsed date/time: the wall-clock value plus its zone (None = local)."""

    wall: datetime
    offset: timedelta | None

    @property
    def zoned(self) -> bool:
        return self.offset is not None

    def instant(self, local: timezone = UTC) -> datetime:
        """An aware datetime; unzoned values are read in the local zone."""
        tz = timezone(self.offset) if self.offset is not None else local
        return self.wall.replace(tzinfo=tz)

    def local(self, local: timezone = UTC) -> datetime:
        """The wall-clock time in the local zone (what a user's screen shows)."""
        if self.offset is None:
            return self.wall
        return self.instant(local).astimezone(local).replace(tzinfo=None)


def parse_date(raw: str) -> ExprDate:
    text = raw.upper()  # Altinn parses (and reports) dates upper-cased
    match = _DATE.match(text)
    if match is None:
        raise ExpressionError(f'Unable to parse date "{text}": Unknown format')
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    invalid = ExpressionError(
        f'Unable to parse date "{text}": Format was recognized, but the date/time is invalid'
    )
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        wall = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
        )
    except ValueError:
        raise invalid from None
    offset: timedelta | None = None
    if zone:
        if zone == "Z":
            offset = timedelta(0)
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours >= 24 or minutes >= 60:
                raise invalid
            offset = timedelta(hours=hours, minutes=minutes)
            if zone[0] == "-":
                offset = -offset
    return ExprDate(wall, offset)


def check_comparable(left: ExprDate, right: ExprDate) -> None:
    """A zoned and an unzoned timestamp cannot be ordered (which zone is the unzoned in?)."""
    if left.zoned != right.zoned:
        raise ExpressionError("Can not compare timestamps where only one specify timezone")


def same_day(left: ExprDate, right: ExprDate) -> bool:
    check_comparable(left, right)
    if left.offset != right.offset:
        raise ExpressionError(
            "Can not figure out if timestamps in different timezones are in the same day"
        )
    return left.wall.date() == right.wall.date()


# --- formatDate -----------------------------------------------------------------------------

DEFAULT_FORMATS = {"nb": "dd.MM.y", "nn": "dd.MM.y", "en": "M/d/yy"}
"""The short date style per language, used when formatDate gets no pattern."""

SUPPORTED_TOKENS = frozenset(
    [
        "G",
        "GG",
        "GGG",
        "GGGG",
        "GGGGG",
        "y",
        "yy",
        "yyy",
        "yyyy",
        "u",
        "uu",
        "uuu",
        "uuuu",
        "M",
        "MM",
        "MMM",
        "MMMM",
        "MMMMM",
        "d",
        "dd",
        "E",
        "EE",
        "EEE",
        "EEEE",
        "EEEEE",
        "a",
        "h",
        "hh",
        "H",
        "HH",
        "m",
        "mm",
        "s",
        "ss",
        "S",
        "SS",
        "SSS",
    ]
)
"""The TR35 fields Altinn supports; anything else in a pattern is an error, as in Altinn."""

_SEPARATORS = re.compile(r"[^a-zA-Z0-9]+")


@dataclass(frozen=True, slots=True)
class _Names:
    months: dict[int, tuple[str, ...]]  # width 3, 4, 5 -> names January first
    days: dict[int, tuple[str, ...]]  # width 3, 4, 5 -> names Monday first
    eras: dict[int, tuple[str, str]]  # width 3, 4, 5 -> (BC, AD)
    am_pm: tuple[str, str]


@cache
def _names(language: str) -> _Names:
    """Stand-alone month and day names from CLDR (a field shown on its own, as Altinn's
    formatter shows each token); Norwegian eras and day periods as Altinn words them."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale.parse("nb")
    norwegian = locale.language in ("nb", "nn", "no")
    base = Locale.parse("nb") if norwegian else locale
    months = locale.months["stand-alone"]
    days = locale.days["stand-alone"]
    eras = base.eras

    def era_pair(width: str) -> tuple[str, str]:
        return (eras[width][0], eras[width][1])

    if norwegian:
        periods = base.day_periods["format"]["abbreviated"]
        am_pm = (periods["am"], periods["pm"])
    else:
        periods = locale.day_periods["format"]["abbreviated"]
        am_pm = (periods.get("am", "AM"), periods.get("pm", "PM"))
    return _Names(
        months={
            3: tuple(months["abbreviated"][i] for i in range(1, 13)),
            4: tuple(months["wide"][i] for i in range(1, 13)),
            5: tuple(months["narrow"][i] for i in range(1, 13)),
        },
        days={
            3: tuple(days["abbreviated"][i].removesuffix(".") for i in range(7)),
            4: tuple(days["wide"][i] for i in range(7)),
            5: tuple(days["narrow"][i] for i in range(7)),
        },
        eras={
            3: era_pair("abbreviated"),
            4: era_pair("wide"),
            5: era_pair("abbreviated") if norwegian else era_pair("narrow"),
        },
        am_pm=am_pm,
    )


def format_date(value: ExprDate, pattern: str | None, language: str, local=UTC) -> str:
    """Render `value` with a TR35 pattern (or the language's short date style).

    As in Altinn, the pattern is split into runs of letters/digits (fields) and runs of
    anything else (kept as separators); there is no quoting, and an unknown field is an error.
    """
    moment = value.local(local)
    if not pattern:
        return _short_date(moment, language)
    names = _names(language)
    tokens = _SEPARATORS.split(pattern)
    separators = _SEPARATORS.findall(pattern)
    if any(token not in SUPPORTED_TOKENS for token in tokens):
        raise ExpressionError(f"Unsupported date format token in '{pattern}'")
    out: list[str] = []
    for index, token in enumerate(tokens):
        out.append(_field(token, moment, names))
        if index < len(separators):
            out.append(separators[index])
    return "".join(out)


def _short_date(moment: datetime, language: str) -> str:
    """The language's short date style (CLDR), as a browser's Intl formatter gives it."""
    from babel import UnknownLocaleError
    from babel.dates import format_date as babel_format_date

    known = DEFAULT_FORMATS.get(language)
    if known is not None:
        return format_date(ExprDate(moment, None), known, language)
    try:
        return babel_format_date(moment.date(), "short", locale=language or "nb")
    except (UnknownLocaleError, ValueError, TypeError):
        return format_date(ExprDate(moment, None), DEFAULT_FORMATS["nb"], "nb")


def _field(token: str, moment: datetime, names: _Names) -> str:
    letter, width = token[0], len(token)
    if letter == "G":
        return names.eras[max(width, 3)][1 if moment.year > 0 else 0]
    if letter == "y":
        return f"{moment.year % 100:02d}" if width == 2 else str(moment.year).zfill(width)
    if letter == "u":
        return str(moment.year).zfill(width)
    if letter == "M":
        if width <= 2:
            return str(moment.month).zfill(width)
        return names.months[width][moment.month - 1]
    if letter == "d":
        return str(moment.day).zfill(width)
    if letter == "E":
        return names.days[max(width, 3)][moment.weekday()]
    if letter == "a":
        return names.am_pm[0 if moment.hour < 12 else 1]
    if letter == "h":
        return str(moment.hour % 12 or 12).zfill(width)
    if letter == "H":
        return str(moment.hour).zfill(width)
    if letter == "m":
        return str(moment.minute).zfill(width)
    if letter == "s":
        return str(moment.second).zfill(width)
    return f"{moment.microsecond:06d}"[:width]  # S, SS, SSS: truncated fraction
