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
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache

from layouts.expressions.errors import ExpressionError

_DATE = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?$",
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


def parse_date(text: str) -> ExprDate:
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
        if zone in ("Z", "z"):
            offset = timedelta(0)
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours >= 24 or minutes >= 60:
                raise invalid
            offset = timedelta(hours=hours, minutes=minutes)
            if zone[0] == "-":
                offset = -offset
    return ExprDate(wall, offset)


def same_day(left: ExprDate, right: ExprDate) -> bool:
    if left.zoned != right.zoned:
        raise ExpressionError("Can not compare timestamps where only one specify timezone")
    if left.offset != right.offset:
        raise ExpressionError(
            "Can not figure out if timestamps in different timezones are in the same day"
        )
    return left.wall.date() == right.wall.date()


# --- formatDate -----------------------------------------------------------------------------

DEFAULT_FORMATS = {"nb": "dd.MM.yyyy", "nn": "dd.MM.yyyy", "en": "M/d/yy"}


@dataclass(frozen=True, slots=True)
class _Names:
    months_abbr: tuple[str, ...]
    months_wide: tuple[str, ...]
    months_narrow: tuple[str, ...]
    days_abbr: tuple[str, ...]  # Monday first
    days_wide: tuple[str, ...]
    days_narrow: tuple[str, ...]
    days_short: tuple[str, ...]
    eras_abbr: tuple[str, str]
    eras_wide: tuple[str, str]
    eras_narrow: tuple[str, str]
    am_pm: tuple[str, str]


@cache
def _names(language: str) -> _Names:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale.parse("nb")
    norwegian = locale.language in ("nb", "nn", "no")
    # Altinn shows nn eras and day periods as in nb.
    base = Locale.parse("nb") if locale.language == "nn" else locale

    def abbreviate(abbreviated: str, wide: str) -> str:
        # Altinn abbreviates Norwegian month and day names to their first three letters.
        return wide[:3] if norwegian else abbreviated

    months = locale.months["format"]
    days = locale.days["format"]
    periods = base.day_periods["format"]["abbreviated"]
    eras_abbr = (base.eras["abbreviated"][0], base.eras["abbreviated"][1])
    eras_narrow = eras_abbr if norwegian else (base.eras["narrow"][0], base.eras["narrow"][1])
    am_pm = (periods["am"], periods["pm"])
    return _Names(
        months_abbr=tuple(
            abbreviate(months["abbreviated"][i], months["wide"][i]) for i in range(1, 13)
        ),
        months_wide=tuple(months["wide"][i] for i in range(1, 13)),
        months_narrow=tuple(months["narrow"][i] for i in range(1, 13)),
        days_abbr=tuple(abbreviate(days["abbreviated"][i], days["wide"][i]) for i in range(7)),
        days_wide=tuple(days["wide"][i] for i in range(7)),
        days_narrow=tuple(days["narrow"][i] for i in range(7)),
        days_short=tuple(days["short"][i].rstrip(".") for i in range(7)),
        eras_abbr=eras_abbr,
        eras_wide=(base.eras["wide"][0], base.eras["wide"][1]),
        eras_narrow=eras_narrow,
        am_pm=am_pm,
    )


_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


def format_date(value: ExprDate, pattern: str | None, language: str, local=UTC) -> str:
    """Render `value` with a TR35 pattern (or the language's default short date pattern)."""
    moment = value.local(local)
    names = _names(language)
    if pattern is None:
        pattern = DEFAULT_FORMATS.get(language, DEFAULT_FORMATS["nb"])
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(pattern):
        out.append(pattern[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token.startswith("'"):
            out.append(token[1:-1].replace("''", "'") if token != "''" else "'")
            continue
        out.append(_field(token, moment, names))
    out.append(pattern[position:])
    return "".join(out)


def _field(token: str, moment: datetime, names: _Names) -> str:
    letter, width = token[0], len(token)
    era = 1 if moment.year > 0 else 0
    if letter == "G":
        if width <= 3:
            return names.eras_abbr[era]
        return names.eras_wide[era] if width == 4 else names.eras_narrow[era]
    if letter == "u":
        return str(moment.year).zfill(width)
    if letter == "y":
        if width == 2:
            return f"{moment.year % 100:02d}"
        return str(moment.year).zfill(width)
    if letter in "ML":
        if width <= 2:
            return str(moment.month).zfill(width)
        if width == 3:
            return names.months_abbr[moment.month - 1]
        if width == 4:
            return names.months_wide[moment.month - 1]
        return names.months_narrow[moment.month - 1]
    if letter == "d":
        return str(moment.day).zfill(width)
    if letter in "Ec":
        weekday = moment.weekday()
        if width <= 3:
            return names.days_abbr[weekday]
        if width == 4:
            return names.days_wide[weekday]
        return names.days_narrow[weekday] if width == 5 else names.days_short[weekday]
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
    if letter == "S":
        millis = f"{moment.microsecond:06d}"
        return millis[:width].ljust(width, "0")
    return token


def today() -> date:
    return datetime.now(UTC).date()
