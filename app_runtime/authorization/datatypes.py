"""XACML data types: parsing the lexical forms into comparable Python values and back.

Values are plain Python objects (str, bool, int, float, bytes) or the small classes below for
the XML Schema date/time/duration types and the X.500 and RFC 822 names, whose equality rules
differ from their text. The data type travels separately (it is known statically from the
policy), which keeps bags as cheap tuples.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

XS = "http://www.w3.org/2001/XMLSchema#"
STRING = XS + "string"
BOOLEAN = XS + "boolean"
INTEGER = XS + "integer"
DOUBLE = XS + "double"
DATE = XS + "date"
TIME = XS + "time"
DATETIME = XS + "dateTime"
DAYTIME_DURATION = XS + "dayTimeDuration"
YEARMONTH_DURATION = XS + "yearMonthDuration"
ANYURI = XS + "anyURI"
HEXBINARY = XS + "hexBinary"
BASE64BINARY = XS + "base64Binary"
RFC822NAME = "urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name"
X500NAME = "urn:oasis:names:tc:xacml:1.0:data-type:x500Name"
IPADDRESS = "urn:oasis:names:tc:xacml:2.0:data-type:ipAddress"
DNSNAME = "urn:oasis:names:tc:xacml:2.0:data-type:dnsName"
XPATH_EXPRESSION = "urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression"

# Identifiers from XACML 1.0/2.0 that mean the same type as the 3.0 ones.
LEGACY_ALIASES = {
    "urn:oasis:names:tc:xacml:2.0:data-type:dayTimeDuration": DAYTIME_DURATION,
    "urn:oasis:names:tc:xacml:2.0:data-type:yearMonthDuration": YEARMONTH_DURATION,
    "http://www.w3.org/TR/2002/WD-xquery-operators-20020816#dayTimeDuration": DAYTIME_DURATION,
    "http://www.w3.org/TR/2002/WD-xquery-operators-20020816#yearMonthDuration": YEARMONTH_DURATION,
}

# The implicit time zone (minutes east of UTC) for values written without one.
IMPLICIT_OFFSET_MINUTES = 0


def short_name(datatype: str) -> str:
    """`http://www.w3.org/2001/XMLSchema#string` -> `string`, for messages."""
    return datatype.rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def canonical_datatype(datatype: str) -> str:
    return LEGACY_ALIASES.get(datatype, datatype)


# --------------------------------------------------------------------------- time zones
_TZ = r"(Z|[+-]\d{2}:\d{2})?"


def _parse_offset(text: str | None) -> int | None:
    if not text:
        return None
    if text == "Z":
        return 0
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59 or (hours == 14 and minutes):
        raise ValueError(f"time zone {text} is out of range (-14:00..+14:00)")
    return sign * (hours * 60 + minutes)


def _format_offset(offset: int | None) -> str:
    if offset is None:
        return ""
    if offset == 0:
        return "Z"
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def _effective(offset: int | None) -> int:
    return IMPLICIT_OFFSET_MINUTES if offset is None else offset


def _fraction_to_micro(fraction: str | None) -> int:
    if not fraction:
        return 0
    digits = fraction[1:][:6]
    return int(digits.ljust(6, "0"))


def _format_seconds(second: int, micro: int) -> str:
    if micro:
        return f"{second:02d}.{micro:06d}".rstrip("0")
    return f"{second:02d}"


class _Ordered:
    """Comparison by a `key` attribute, shared by the date/time/duration classes."""

    __slots__ = ()
    key: Any

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.key == other.key  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: Any) -> bool:
        return self.key < other.key

    def __le__(self, other: Any) -> bool:
        return self.key <= other.key

    def __gt__(self, other: Any) -> bool:
        return self.key > other.key

    def __ge__(self, other: Any) -> bool:
        return self.key >= other.key

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.key))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"


class XsDateTime(_Ordered):
    """xs:dateTime: the local wall time plus an optional offset; compared as an instant."""

    __slots__ = ("key", "local", "offset", "text")

    def __init__(self, local: datetime, offset: int | None, text: str | None = None) -> None:
        self.local = local
        self.offset = offset
        self.text = text
        self.key = local - timedelta(minutes=_effective(offset))

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        local = self.local
        return (
            f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:"
            f"{local.minute:02d}:{_format_seconds(local.second, local.microsecond)}"
            f"{_format_offset(self.offset)}"
        )


class XsDate(_Ordered):
    """xs:date with an optional offset; compared by the instant its day starts."""

    __slots__ = ("key", "local", "offset", "text")

    def __init__(self, local: date, offset: int | None, text: str | None = None) -> None:
        self.local = local
        self.offset = offset
        self.text = text
        start = datetime(local.year, local.month, local.day)
        self.key = start - timedelta(minutes=_effective(offset))

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        local = self.local
        return f"{local.year:04d}-{local.month:02d}-{local.day:02d}{_format_offset(self.offset)}"


class XsTime(_Ordered):
    """xs:time; compared as microseconds from midnight UTC on a common reference day."""

    __slots__ = ("key", "local", "offset", "text")

    def __init__(self, local: time, offset: int | None, text: str | None = None) -> None:
        self.local = local
        self.offset = offset
        self.text = text
        micros = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
        self.key = micros + local.microsecond - _effective(offset) * 60_000_000

    def utc_micros_of_day(self) -> int:
        return self.key % 86_400_000_000

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        local = self.local
        seconds = _format_seconds(local.second, local.microsecond)
        return f"{local.hour:02d}:{local.minute:02d}:{seconds}{_format_offset(self.offset)}"


class DayTimeDuration(_Ordered):
    """xs:dayTimeDuration as a signed number of microseconds."""

    __slots__ = ("key", "text")

    def __init__(self, micros: int, text: str | None = None) -> None:
        self.key = micros
        self.text = text

    @property
    def micros(self) -> int:
        return self.key

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        micros = abs(self.key)
        sign = "-" if self.key < 0 else ""
        days, rest = divmod(micros, 86_400_000_000)
        hours, rest = divmod(rest, 3_600_000_000)
        minutes, rest = divmod(rest, 60_000_000)
        seconds, fraction = divmod(rest, 1_000_000)
        text = f"{sign}P"
        if days:
            text += f"{days}D"
        clock = ""
        if hours:
            clock += f"{hours}H"
        if minutes:
            clock += f"{minutes}M"
        if seconds or fraction:
            clock += f"{seconds}.{fraction:06d}".rstrip("0") + "S" if fraction else f"{seconds}S"
        if clock:
            text += "T" + clock
        return text if (days or clock) else "PT0S"


class YearMonthDuration(_Ordered):
    """xs:yearMonthDuration as a signed number of months."""

    __slots__ = ("key", "text")

    def __init__(self, months: int, text: str | None = None) -> None:
        self.key = months
        self.text = text

    @property
    def months(self) -> int:
        return self.key

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        sign = "-" if self.key < 0 else ""
        years, months = divmod(abs(self.key), 12)
        text = f"{sign}P"
        if years:
            text += f"{years}Y"
        if months or not years:
            text += f"{months}M"
        return text


class Rfc822Name(_Ordered):
    """An e-mail address: the local part is case-sensitive, the domain is not."""

    __slots__ = ("domain", "key", "local")

    def __init__(self, local: str, domain: str) -> None:
        self.local = local
        self.domain = domain
        self.key = (local, domain.lower())

    def __str__(self) -> str:
        return f"{self.local}@{self.domain}"


class X500Name(_Ordered):
    """A distinguished name compared RDN by RDN, ignoring case and surplus spaces."""

    __slots__ = ("key", "text")

    def __init__(self, text: str, rdns: tuple[frozenset[tuple[str, str]], ...]) -> None:
        self.text = text
        self.key = rdns

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- parsers
_INTEGER = re.compile(r"[+-]?\d+")
_DOUBLE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|\+INF|NaN")
_DATETIME = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?" + _TZ)
_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})" + _TZ)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?" + _TZ)
_DT_DURATION = re.compile(r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(\.\d+)?S)?)?")
_YM_DURATION = re.compile(r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?")
_HEX = re.compile(r"([0-9a-fA-F]{2})*")


def _year(text: str) -> int:
    year = int(text)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {text} is outside the supported range 0001..9999")
    return year


def parse_integer(text: str) -> int:
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{text!r} is not an integer")
    return int(text)


def parse_double(text: str) -> float:
    text = text.strip()
    if not _DOUBLE.fullmatch(text):
        raise ValueError(f"{text!r} is not a double")
    if text in ("INF", "+INF"):
        return math.inf
    if text == "-INF":
        return -math.inf
    if text == "NaN":
        return math.nan
    return float(text)


def parse_boolean(text: str) -> bool:
    text = text.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"{text!r} is not a boolean (use true or false)")


def parse_datetime(text: str) -> XsDateTime:
    text = text.strip()
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a dateTime (YYYY-MM-DDThh:mm:ss[.s][zone])")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    extra_day = False
    if hour == "24":
        if minute != "00" or second != "00" or _fraction_to_micro(fraction):
            raise ValueError(f"{text!r}: 24:00:00 is the only time allowed at hour 24")
        hour, extra_day = "00", True
    local = datetime(
        _year(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        _fraction_to_micro(fraction),
    )
    if extra_day:
        local += timedelta(days=1)
    return XsDateTime(local, _parse_offset(zone), text)


def parse_date(text: str) -> XsDate:
    text = text.strip()
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD[zone])")
    year, month, day, zone = match.groups()
    return XsDate(date(_year(year), int(month), int(day)), _parse_offset(zone), text)


def parse_time(text: str) -> XsTime:
    text = text.strip()
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a time (hh:mm:ss[.s][zone])")
    hour, minute, second, fraction, zone = match.groups()
    if hour == "24" and minute == "00" and second == "00" and not _fraction_to_micro(fraction):
        hour = "00"
    local = time(int(hour), int(minute), int(second), _fraction_to_micro(fraction))
    return XsTime(local, _parse_offset(zone), text)


def parse_daytime_duration(text: str) -> DayTimeDuration:
    text = text.strip()
    match = _DT_DURATION.fullmatch(text)
    if not match or text.endswith(("P", "T")) or text in ("-P", "P"):
        raise ValueError(f"{text!r} is not a dayTimeDuration (like P1DT2H3M4S)")
    sign, days, hours, minutes, seconds, fraction = match.groups()
    micros = (
        ((int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)
    ) * 1_000_000 + _fraction_to_micro(fraction)
    return DayTimeDuration(-micros if sign else micros, text)


def parse_yearmonth_duration(text: str) -> YearMonthDuration:
    text = text.strip()
    match = _YM_DURATION.fullmatch(text)
    if not match or text in ("-P", "P"):
        raise ValueError(f"{text!r} is not a yearMonthDuration (like P1Y2M)")
    sign, years, months = match.groups()
    total = int(years or 0) * 12 + int(months or 0)
    return YearMonthDuration(-total if sign else total, text)


def parse_hex(text: str) -> bytes:
    text = text.strip()
    if not _HEX.fullmatch(text):
        raise ValueError(f"{text!r} is not hexBinary")
    return bytes.fromhex(text)


def parse_base64(text: str) -> bytes:
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{text!r} is not base64Binary") from None


def parse_rfc822(text: str) -> Rfc822Name:
    text = text.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or " " in text:
        raise ValueError(f"{text!r} is not an rfc822Name (local@domain)")
    return Rfc822Name(local, domain)


def _split_unescaped(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    quoted = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char in separators and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_x500(text: str) -> X500Name:
    stripped = text.strip()
    if not stripped:
        return X500Name(text, ())
    rdns: list[frozenset[tuple[str, str]]] = []
    for rdn in _split_unescaped(stripped, ",;"):
        pairs: set[tuple[str, str]] = set()
        for ava in _split_unescaped(rdn, "+"):
            kind, equals, value = ava.partition("=")
            if not equals or not kind.strip():
                raise ValueError(f"{text!r} is not an x500Name (type=value, ...)")
            pairs.add((kind.strip().lower(), " ".join(value.split()).lower()))
        rdns.append(frozenset(pairs))
    return X500Name(text, tuple(rdns))


def parse_ip_address(text: str) -> str:
    text = text.strip()
    if not text or " " in text:
        raise ValueError(f"{text!r} is not an ipAddress")
    return text


def parse_dns_name(text: str) -> str:
    text = text.strip()
    if not re.fullmatch(r"(\*\.)?[A-Za-z0-9.-]+(:[0-9-]*)?", text):
        raise ValueError(f"{text!r} is not a dnsName")
    return text


def _format_double(value: float) -> str:
    """Like Java's Double.toString (what XACML engines commonly print): plain decimals for
    1e-3 <= |x| < 1e7, otherwise d.dddE<n>; always at least one fractional digit."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    magnitude = abs(value)
    if value == 0 or 1e-3 <= magnitude < 1e7:
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.17f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    # The shortest round-tripping digits, as Python's repr finds them.
    _, digits, exponent = Decimal(repr(magnitude)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) - 1 + int(exponent)
    sign = "-" if value < 0 else ""
    return f"{sign}{text[0]}.{text[1:] or '0'}E{power}"


PARSERS: dict[str, Callable[[str], Any]] = {
    STRING: lambda text: text,
    BOOLEAN: parse_boolean,
    INTEGER: parse_integer,
    DOUBLE: parse_double,
    DATE: parse_date,
    TIME: parse_time,
    DATETIME: parse_datetime,
    DAYTIME_DURATION: parse_daytime_duration,
    YEARMONTH_DURATION: parse_yearmonth_duration,
    ANYURI: lambda text: text.strip(),
    HEXBINARY: parse_hex,
    BASE64BINARY: parse_base64,
    RFC822NAME: parse_rfc822,
    X500NAME: parse_x500,
    IPADDRESS: parse_ip_address,
    DNSNAME: parse_dns_name,
}

FORMATTERS: dict[str, Callable[[Any], str]] = {
    BOOLEAN: lambda value: "true" if value else "false",
    INTEGER: str,
    DOUBLE: _format_double,
    HEXBINARY: lambda value: value.hex().upper(),
    BASE64BINARY: lambda value: base64.b64encode(value).decode("ascii"),
}

KNOWN_DATATYPES = frozenset(PARSERS)


def is_known(datatype: str) -> bool:
    return canonical_datatype(datatype) in PARSERS


def parse_value(datatype: str, text: str) -> Any:
    """Parse `text` as `datatype`; ValueError with a readable reason when it does not fit."""
    parser = PARSERS.get(canonical_datatype(datatype))
    if parser is None:
        raise ValueError(f"unsupported data type {datatype}")
    return parser(text)


def format_value(datatype: str, value: Any) -> str:
    """The canonical text of a value, as written into responses and policy files."""
    formatter = FORMATTERS.get(canonical_datatype(datatype))
    return formatter(value) if formatter else str(value)


# --------------------------------------------------------------------------- arithmetic
def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic with the day clamped to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date is out of range")
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def datetime_add_months(value: XsDateTime, months: int) -> XsDateTime:
    local = value.local
    moved = add_months(local.date(), months)
    return XsDateTime(datetime.combine(moved, local.time()), value.offset)


def datetime_add_micros(value: XsDateTime, micros: int) -> XsDateTime:
    return XsDateTime(value.local + timedelta(microseconds=micros), value.offset)


def date_add_months(value: XsDate, months: int) -> XsDate:
    return XsDate(add_months(value.local, months), value.offset)


def from_python_datetime(moment: datetime) -> XsDateTime:
    """An aware Python datetime as xs:dateTime, keeping its offset."""
    offset = moment.utcoffset()
    minutes = None if offset is None else int(offset.total_seconds() // 60)
    return XsDateTime(moment.replace(tzinfo=None), minutes)


def current_values(moment: datetime) -> tuple[XsDateTime, XsDate, XsTime]:
    """current-dateTime, current-date and current-time for one instant of the clock."""
    stamp = from_python_datetime(moment)
    local = stamp.local
    return (
        stamp,
        XsDate(local.date(), stamp.offset),
        XsTime(local.time(), stamp.offset),
    )
