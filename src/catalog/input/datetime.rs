//! Date and time input as PostgreSQL's `date_in`, `timestamp_in`,
//! `timestamptz_in`, `time_in`, `timetz_in` and `interval_in` read it:
//! the input is broken into fields (`ParseDateTime`), then the fields are
//! decoded in context (`DecodeDateTime`, `DecodeTimeOnly`,
//! `DecodeInterval`), with the same keywords, field masks and range checks,
//! so that a literal is refused exactly when PostgreSQL refuses it.
//!
//! Two things depend on the server: `DateStyle` (taken to be the default
//! `ISO, MDY`) and the session time zone (taken as UTC; it only moves the
//! limits of the timestamp range by hours). Time zone names and
//! abbreviations come from the generated builtins.

use crate::catalog::builtins::BUILTINS;
use crate::catalog::error::{PgError, code};

/// `MAXDATEFIELDS`: inputs with more fields are refused.
const MAX_DATE_FIELDS: usize = 25;
/// `MAXDATELEN`: the work buffer of the date/time types.
const MAX_DATE_LEN: usize = 128;
/// `TOKMAXLEN`: keywords match on their first ten characters.
const TOK_MAX_LEN: usize = 10;

// Token types (`datetime.h`); a field mask bit is `1 << type`.
const RESERV: u32 = 0;
const MONTH: u32 = 1;
const YEAR: u32 = 2;
const DAY: u32 = 3;
const TZ: u32 = 5;
const DTZ: u32 = 6;
const AMPM: u32 = 9;
const HOUR: u32 = 10;
const MINUTE: u32 = 11;
const SECOND: u32 = 12;
const MILLISECOND: u32 = 13;
const MICROSECOND: u32 = 14;
const DOY: u32 = 15;
const DOW: u32 = 16;
const ADBC: u32 = 18;
const WEEK: u32 = 24;
const DECADE: u32 = 25;
const CENTURY: u32 = 26;
const MILLENNIUM: u32 = 27;
const DTZMOD: u32 = 28;

const fn m(t: u32) -> u32 {
    1 << t
}
const DATE_M: u32 = m(YEAR) | m(MONTH) | m(DAY);
const TIME_M: u32 = m(HOUR) | m(MINUTE) | m(SECOND);
const ALL_SECS_M: u32 = m(SECOND) | m(MILLISECOND) | m(MICROSECOND);

/// `DTK_*` values of reserved words and units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dtk {
    Time,
    Early,
    Late,
    Epoch,
    Now,
    Yesterday,
    Today,
    Tomorrow,
    Zulu,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
    Millisec,
    Microsec,
    Julian,
    Dow,
    Doy,
    Tz,
    TzHour,
    TzMinute,
    IsoYear,
    IsoDow,
}

/// What a keyword means (the `type`/`value` pair of a `datetkn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Reserv(Dtk),
    Month(i32),
    Ignore,
    AmPm(bool),
    AdBc(bool),
    Dow,
    Units(Dtk),
    IsoTime,
    DtzMod,
    Ago,
    /// A time zone abbreviation: `true` when daylight-saving.
    Zone(bool),
    Unknown,
}

/// `datetktbl`: words of date/time input.
const DATE_TOKENS: &[(&str, Tok)] = &[
    ("-infinity", Tok::Reserv(Dtk::Early)),
    ("ad", Tok::AdBc(false)),
    ("allballs", Tok::Reserv(Dtk::Zulu)),
    ("am", Tok::AmPm(false)),
    ("apr", Tok::Month(4)),
    ("april", Tok::Month(4)),
    ("at", Tok::Ignore),
    ("aug", Tok::Month(8)),
    ("august", Tok::Month(8)),
    ("bc", Tok::AdBc(true)),
    ("d", Tok::Units(Dtk::Day)),
    ("dec", Tok::Month(12)),
    ("december", Tok::Month(12)),
    ("dow", Tok::Units(Dtk::Dow)),
    ("doy", Tok::Units(Dtk::Doy)),
    ("dst", Tok::DtzMod),
    ("epoch", Tok::Reserv(Dtk::Epoch)),
    ("feb", Tok::Month(2)),
    ("february", Tok::Month(2)),
    ("fri", Tok::Dow),
    ("friday", Tok::Dow),
    ("h", Tok::Units(Dtk::Hour)),
    ("infinity", Tok::Reserv(Dtk::Late)),
    ("isodow", Tok::Units(Dtk::IsoDow)),
    ("isoyear", Tok::Units(Dtk::IsoYear)),
    ("j", Tok::Units(Dtk::Julian)),
    ("jan", Tok::Month(1)),
    ("january", Tok::Month(1)),
    ("jd", Tok::Units(Dtk::Julian)),
    ("jul", Tok::Month(7)),
    ("julian", Tok::Units(Dtk::Julian)),
    ("july", Tok::Month(7)),
    ("jun", Tok::Month(6)),
    ("june", Tok::Month(6)),
    ("m", Tok::Units(Dtk::Month)),
    ("mar", Tok::Month(3)),
    ("march", Tok::Month(3)),
    ("may", Tok::Month(5)),
    ("mm", Tok::Units(Dtk::Minute)),
    ("mon", Tok::Dow),
    ("monday", Tok::Dow),
    ("nov", Tok::Month(11)),
    ("november", Tok::Month(11)),
    ("now", Tok::Reserv(Dtk::Now)),
    ("oct", Tok::Month(10)),
    ("october", Tok::Month(10)),
    ("on", Tok::Ignore),
    ("pm", Tok::AmPm(true)),
    ("s", Tok::Units(Dtk::Second)),
    ("sat", Tok::Dow),
    ("saturday", Tok::Dow),
    ("sep", Tok::Month(9)),
    ("sept", Tok::Month(9)),
    ("september", Tok::Month(9)),
    ("sun", Tok::Dow),
    ("sunday", Tok::Dow),
    ("t", Tok::IsoTime),
    ("thu", Tok::Dow),
    ("thur", Tok::Dow),
    ("thurs", Tok::Dow),
    ("thursday", Tok::Dow),
    ("today", Tok::Reserv(Dtk::Today)),
    ("tomorrow", Tok::Reserv(Dtk::Tomorrow)),
    ("tue", Tok::Dow),
    ("tues", Tok::Dow),
    ("tuesday", Tok::Dow),
    ("wed", Tok::Dow),
    ("wednesday", Tok::Dow),
    ("weds", Tok::Dow),
    ("y", Tok::Units(Dtk::Year)),
    ("yesterday", Tok::Reserv(Dtk::Yesterday)),
];

/// `deltatktbl`: words of interval input.
const DELTA_TOKENS: &[(&str, Tok)] = &[
    ("@", Tok::Ignore),
    ("ago", Tok::Ago),
    ("c", Tok::Units(Dtk::Century)),
    ("cent", Tok::Units(Dtk::Century)),
    ("centuries", Tok::Units(Dtk::Century)),
    ("century", Tok::Units(Dtk::Century)),
    ("d", Tok::Units(Dtk::Day)),
    ("day", Tok::Units(Dtk::Day)),
    ("days", Tok::Units(Dtk::Day)),
    ("dec", Tok::Units(Dtk::Decade)),
    ("decade", Tok::Units(Dtk::Decade)),
    ("decades", Tok::Units(Dtk::Decade)),
    ("decs", Tok::Units(Dtk::Decade)),
    ("h", Tok::Units(Dtk::Hour)),
    ("hour", Tok::Units(Dtk::Hour)),
    ("hours", Tok::Units(Dtk::Hour)),
    ("hr", Tok::Units(Dtk::Hour)),
    ("hrs", Tok::Units(Dtk::Hour)),
    ("m", Tok::Units(Dtk::Minute)),
    ("microsecon", Tok::Units(Dtk::Microsec)),
    ("mil", Tok::Units(Dtk::Millennium)),
    ("millennia", Tok::Units(Dtk::Millennium)),
    ("millennium", Tok::Units(Dtk::Millennium)),
    ("millisecon", Tok::Units(Dtk::Millisec)),
    ("mils", Tok::Units(Dtk::Millennium)),
    ("min", Tok::Units(Dtk::Minute)),
    ("mins", Tok::Units(Dtk::Minute)),
    ("minute", Tok::Units(Dtk::Minute)),
    ("minutes", Tok::Units(Dtk::Minute)),
    ("mon", Tok::Units(Dtk::Month)),
    ("mons", Tok::Units(Dtk::Month)),
    ("month", Tok::Units(Dtk::Month)),
    ("months", Tok::Units(Dtk::Month)),
    ("ms", Tok::Units(Dtk::Millisec)),
    ("msec", Tok::Units(Dtk::Millisec)),
    ("mseconds", Tok::Units(Dtk::Millisec)),
    ("msecs", Tok::Units(Dtk::Millisec)),
    ("qtr", Tok::Units(Dtk::Quarter)),
    ("quarter", Tok::Units(Dtk::Quarter)),
    ("s", Tok::Units(Dtk::Second)),
    ("sec", Tok::Units(Dtk::Second)),
    ("second", Tok::Units(Dtk::Second)),
    ("seconds", Tok::Units(Dtk::Second)),
    ("secs", Tok::Units(Dtk::Second)),
    ("timezone", Tok::Units(Dtk::Tz)),
    ("timezone_h", Tok::Units(Dtk::TzHour)),
    ("timezone_m", Tok::Units(Dtk::TzMinute)),
    ("us", Tok::Units(Dtk::Microsec)),
    ("usec", Tok::Units(Dtk::Microsec)),
    ("useconds", Tok::Units(Dtk::Microsec)),
    ("usecs", Tok::Units(Dtk::Microsec)),
    ("w", Tok::Units(Dtk::Week)),
    ("week", Tok::Units(Dtk::Week)),
    ("weeks", Tok::Units(Dtk::Week)),
    ("y", Tok::Units(Dtk::Year)),
    ("year", Tok::Units(Dtk::Year)),
    ("years", Tok::Units(Dtk::Year)),
    ("yr", Tok::Units(Dtk::Year)),
    ("yrs", Tok::Units(Dtk::Year)),
];

/// Keywords compare on their first `TOKMAXLEN` characters.
fn lookup(table: &[(&str, Tok)], word: &str) -> Tok {
    let key = &word[..word.len().min(TOK_MAX_LEN)];
    table
        .iter()
        .find(|(t, _)| *t == key)
        .map_or(Tok::Unknown, |(_, tok)| *tok)
}

/// `DecodeTimezoneAbbrev`, then `DecodeSpecial`.
fn date_token(word: &str) -> Tok {
    let key = &word[..word.len().min(TOK_MAX_LEN)];
    match BUILTINS.timezone_abbrev(key) {
        Some(dst) => Tok::Zone(dst),
        None => lookup(DATE_TOKENS, word),
    }
}

/// `pg_tzset`: a zone of the tz database, or a POSIX zone specification
/// (`EST5EDT`, `UTC+3`, `<+03>-3`), which the server accepts without a
/// file.
fn is_zone_name(name: &str) -> bool {
    if BUILTINS.is_timezone_name(name) {
        return true;
    }
    let b = name.as_bytes();
    if b.first() == Some(&b'<') {
        return name.contains('>');
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    letters >= 3
        && b.get(letters)
            .is_some_and(|c| c.is_ascii_digit() || *c == b'+' || *c == b'-')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FType {
    Number,
    String,
    Date,
    Time,
    Tz,
    Special,
}

/// Why input was refused (`DTERR_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum DtErr {
    BadFormat,
    FieldOverflow,
    MdFieldOverflow,
    TzDispOverflow,
    BadTimezone(String),
}

type DtResult<T> = Result<T, DtErr>;

/// `ParseDateTime`: splits the input into typed, lower-cased fields.
fn parse_fields(input: &str, buflen: usize) -> DtResult<Vec<(String, FType)>> {
    let s = input.as_bytes();
    let mut i = 0;
    let mut fields: Vec<(String, FType)> = Vec::new();
    let mut used = 0usize;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    while i < s.len() {
        if is_space(s[i]) {
            i += 1;
            continue;
        }
        if fields.len() >= MAX_DATE_FIELDS {
            return Err(DtErr::BadFormat);
        }
        let mut f: Vec<u8> = Vec::new();
        let ftype;
        let c = s[i];
        if c.is_ascii_digit() {
            while at(i).is_ascii_digit() {
                f.push(at(i));
                i += 1;
            }
            if at(i) == b':' {
                ftype = FType::Time;
                f.push(b':');
                i += 1;
                while at(i).is_ascii_digit() || at(i) == b':' || at(i) == b'.' {
                    f.push(at(i));
                    i += 1;
                }
            } else if matches!(at(i), b'-' | b'/' | b'.') {
                let delim = at(i);
                f.push(delim);
                i += 1;
                if at(i).is_ascii_digit() {
                    let mut t = if delim == b'.' {
                        FType::Number
                    } else {
                        FType::Date
                    };
                    while at(i).is_ascii_digit() {
                        f.push(at(i));
                        i += 1;
                    }
                    if at(i) == delim {
                        t = FType::Date;
                        f.push(delim);
                        i += 1;
                        while at(i).is_ascii_digit() || at(i) == delim {
                            f.push(at(i));
                            i += 1;
                        }
                    }
                    ftype = t;
                } else {
                    ftype = FType::Date;
                    while at(i).is_ascii_alphanumeric() || at(i) == delim {
                        f.push(at(i).to_ascii_lowercase());
                        i += 1;
                    }
                }
            } else {
                ftype = FType::Number;
            }
        } else if c == b'.' {
            f.push(b'.');
            i += 1;
            while at(i).is_ascii_digit() {
                f.push(at(i));
                i += 1;
            }
            ftype = FType::Number;
        } else if c.is_ascii_alphabetic() {
            while at(i).is_ascii_alphabetic() {
                f.push(at(i).to_ascii_lowercase());
                i += 1;
            }
            // A date with embedded separators, or a time zone name with
            // embedded punctuation unless the word so far is a keyword.
            let mut is_date = matches!(at(i), b'-' | b'/' | b'.');
            if !is_date && (at(i) == b'+' || at(i).is_ascii_digit()) {
                let word = String::from_utf8_lossy(&f);
                is_date = lookup(DATE_TOKENS, &word) == Tok::Unknown;
            }
            if is_date {
                loop {
                    f.push(at(i).to_ascii_lowercase());
                    i += 1;
                    let n = at(i);
                    if !(matches!(n, b'+' | b'-' | b'/' | b'_' | b'.' | b':')
                        || n.is_ascii_alphanumeric())
                    {
                        break;
                    }
                }
                ftype = FType::Date;
            } else {
                ftype = FType::String;
            }
        } else if c == b'+' || c == b'-' {
            f.push(c);
            i += 1;
            while i < s.len() && is_space(s[i]) {
                i += 1;
            }
            if at(i).is_ascii_digit() {
                ftype = FType::Tz;
                f.push(at(i));
                i += 1;
                while at(i).is_ascii_digit() || matches!(at(i), b':' | b'.' | b'-') {
                    f.push(at(i));
                    i += 1;
                }
            } else if at(i).is_ascii_alphabetic() {
                ftype = FType::Special;
                while at(i).is_ascii_alphabetic() {
                    f.push(at(i).to_ascii_lowercase());
                    i += 1;
                }
            } else {
                return Err(DtErr::BadFormat);
            }
        } else if c.is_ascii_punctuation() {
            i += 1;
            continue;
        } else {
            return Err(DtErr::BadFormat);
        }
        used += f.len() + 1;
        if used >= buflen {
            return Err(DtErr::BadFormat);
        }
        fields.push((String::from_utf8_lossy(&f).into_owned(), ftype));
    }
    Ok(fields)
}

/// `strtol`: optional blanks and sign, then digits. Returns the value
/// (`None` on overflow of `i32` when `int32`, of `i64` otherwise) and the
/// rest; with no digits the rest is the whole input.
fn strtol(s: &str, int32: bool) -> (Option<i64>, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let neg = b.get(i) == Some(&b'-');
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let start = i;
    let mut v: i128 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = (v * 10 + i128::from(b[i] - b'0')).min(i128::from(u64::MAX));
        i += 1;
    }
    if i == start {
        return (Some(0), s);
    }
    let v = if neg { -v } else { v };
    let fits = if int32 {
        i32::try_from(v).is_ok()
    } else {
        i64::try_from(v).is_ok()
    };
    (fits.then_some(v as i64), &s[i..])
}

fn strtoint(s: &str) -> DtResult<(i64, &str)> {
    match strtol(s, true) {
        (Some(v), rest) => Ok((v, rest)),
        (None, _) => Err(DtErr::FieldOverflow),
    }
}

/// `atoi`: the leading integer, ignoring what follows.
fn atoi(s: &str) -> i64 {
    strtol(s, true).0.unwrap_or(0)
}

/// The longest prefix `strtod` reads of a string starting with `.`:
/// the value and the rest.
fn strtod_fraction(s: &str) -> (Option<f64>, &str) {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 1 {
        return (None, s);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let digits = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > digits {
            i = j;
        }
    }
    (s[..i].parse().ok(), &s[i..])
}

/// `ParseFraction`: a `.` and digits to the end of the field.
fn parse_fraction(s: &str) -> DtResult<f64> {
    if s == "." {
        return Ok(0.0);
    }
    match strtod_fraction(s) {
        (Some(v), "") if v.is_finite() => Ok(v),
        _ => Err(DtErr::BadFormat),
    }
}

/// `ParseFractionalSecond`: microseconds.
fn parse_fractional_second(s: &str) -> DtResult<i64> {
    Ok((parse_fraction(s)? * 1_000_000.0).round() as i64)
}

/// The broken-down value decoding fills (`struct pg_tm` and `fsec`).
#[derive(Debug, Default, Clone)]
struct Tm {
    year: i64,
    mon: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    yday: i64,
    fsec: i64,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

const DAY_TAB: [[i64; 12]; 2] = [
    [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
];

fn date2j(year: i64, month: i64, day: i64) -> i64 {
    let (mut y, mut mo) = (year, month);
    if mo > 2 {
        mo += 1;
        y += 4800;
    } else {
        mo += 13;
        y += 4799;
    }
    let century = y / 100;
    let mut julian = y * 365 - 32167;
    julian += y / 4 - century + century / 4;
    julian += 7834 * mo / 256 + day;
    julian
}

fn j2date(jd: i64) -> (i64, i64, i64) {
    let mut julian = jd + 32044;
    let mut quad = julian.div_euclid(146_097);
    let extra = (julian - quad * 146_097) * 4 + 3;
    julian += 60 + quad * 3 + extra.div_euclid(146_097);
    quad = julian.div_euclid(1461);
    julian -= quad * 1461;
    let mut y = julian * 4 / 1461;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    y += quad * 4;
    let year = y - 4800;
    let quad = julian * 2141 / 65536;
    let day = julian - 7834 * quad / 256;
    let month = (quad + 10) % 12 + 1;
    (year, month, day)
}

/// `DecodeNumberField`: a run-together date (`20011225`) or time
/// (`040506`), possibly with a fraction. Returns the field kind found.
fn decode_number_field(
    s: &str,
    fmask: u32,
    tmask: &mut u32,
    tm: &mut Tm,
    is2digits: &mut bool,
) -> DtResult<FType> {
    let mut digits = s;
    if let Some(dot) = s.find('.') {
        let frac = &s[dot..];
        if frac.len() > 1 {
            // `strtod` without a check of what follows.
            match strtod_fraction(frac).0 {
                Some(v) => tm.fsec = (v * 1_000_000.0).round() as i64,
                None => return Err(DtErr::BadFormat),
            }
        } else {
            tm.fsec = 0;
        }
        digits = &s[..dot];
    } else if fmask & DATE_M != DATE_M && digits.len() >= 6 {
        let len = digits.len();
        *tmask = DATE_M;
        tm.mday = atoi(&digits[len - 2..]);
        tm.mon = atoi(&digits[len - 4..len - 2]);
        tm.year = atoi(&digits[..len - 4]);
        if len - 4 == 2 {
            *is2digits = true;
        }
        return Ok(FType::Date);
    }
    if fmask & TIME_M != TIME_M {
        let len = digits.len();
        if len == 6 {
            *tmask = TIME_M;
            tm.sec = atoi(&digits[4..]);
            tm.min = atoi(&digits[2..4]);
            tm.hour = atoi(&digits[..2]);
            return Ok(FType::Time);
        } else if len == 4 {
            *tmask = TIME_M;
            tm.sec = 0;
            tm.min = atoi(&digits[2..]);
            tm.hour = atoi(&digits[..2]);
            return Ok(FType::Time);
        }
    }
    Err(DtErr::BadFormat)
}

/// `DecodeNumber`: a plain number, placed by what came before (with the
/// default `DateStyle`, month-day-year).
fn decode_number(
    s: &str,
    have_text_month: bool,
    fmask: u32,
    tmask: &mut u32,
    tm: &mut Tm,
    is2digits: &mut bool,
) -> DtResult<()> {
    let flen = s.len();
    *tmask = 0;
    let (val, rest) = strtoint(s)?;
    if rest.len() == s.len() {
        return Err(DtErr::BadFormat);
    }
    if rest.starts_with('.') {
        if flen - rest.len() > 2 {
            decode_number_field(s, fmask | DATE_M, tmask, tm, is2digits)?;
            return Ok(());
        }
        tm.fsec = parse_fractional_second(rest)?;
    } else if !rest.is_empty() {
        return Err(DtErr::BadFormat);
    }
    if flen == 3 && fmask & DATE_M == m(YEAR) && (1..=366).contains(&val) {
        *tmask = m(DOY) | m(MONTH) | m(DAY);
        tm.yday = val;
        return Ok(());
    }
    match fmask & DATE_M {
        0 => {
            if flen >= 3 {
                *tmask = m(YEAR);
                tm.year = val;
            } else {
                *tmask = m(MONTH);
                tm.mon = val;
            }
        }
        x if x == m(YEAR) => {
            *tmask = m(MONTH);
            tm.mon = val;
        }
        x if x == m(MONTH) => {
            if have_text_month && flen >= 3 {
                *tmask = m(YEAR);
                tm.year = val;
            } else {
                *tmask = m(DAY);
                tm.mday = val;
            }
        }
        x if x == m(YEAR) | m(MONTH) => {
            if have_text_month && flen >= 3 && *is2digits {
                *tmask = m(DAY);
                tm.mday = tm.year;
                tm.year = val;
                *is2digits = false;
            } else {
                *tmask = m(DAY);
                tm.mday = val;
            }
        }
        x if x == m(DAY) => {
            *tmask = m(MONTH);
            tm.mon = val;
        }
        x if x == m(MONTH) | m(DAY) => {
            *tmask = m(YEAR);
            tm.year = val;
        }
        DATE_M => {
            decode_number_field(s, fmask, tmask, tm, is2digits)?;
            return Ok(());
        }
        _ => return Err(DtErr::BadFormat),
    }
    if *tmask == m(YEAR) {
        *is2digits = flen <= 2;
    }
    Ok(())
}

/// `DecodeDate`: a date with separators, numbers and month names.
fn decode_date(
    s: &str,
    mut fmask: u32,
    tmask: &mut u32,
    is2digits: &mut bool,
    tm: &mut Tm,
) -> DtResult<()> {
    *tmask = 0;
    let b = s.as_bytes();
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < b.len() && parts.len() < MAX_DATE_FIELDS {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return Err(DtErr::BadFormat);
        }
        let start = i;
        if b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
        }
        parts.push(&s[start..i]);
        // One non-alphanumeric character after the field is dropped.
        if i < b.len() {
            i += 1;
        }
    }
    let mut have_text_month = false;
    let mut done = vec![false; parts.len()];
    for (k, p) in parts.iter().enumerate() {
        if p.as_bytes()[0].is_ascii_alphabetic() {
            let dmask = match lookup(DATE_TOKENS, p) {
                Tok::Ignore => continue,
                Tok::Month(v) => {
                    tm.mon = i64::from(v);
                    have_text_month = true;
                    m(MONTH)
                }
                _ => return Err(DtErr::BadFormat),
            };
            if fmask & dmask != 0 {
                return Err(DtErr::BadFormat);
            }
            fmask |= dmask;
            *tmask |= dmask;
            done[k] = true;
        }
    }
    for (k, p) in parts.iter().enumerate() {
        if done[k] {
            continue;
        }
        let mut dmask = 0;
        decode_number(p, have_text_month, fmask, &mut dmask, tm, is2digits)?;
        if fmask & dmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= dmask;
        *tmask |= dmask;
    }
    if fmask & !(m(DOY) | m(TZ)) != DATE_M {
        return Err(DtErr::BadFormat);
    }
    Ok(())
}

/// `ValidateDate`: years, months and days in range; BC and day of year.
fn validate_date(
    fmask: u32,
    isjulian: bool,
    is2digits: bool,
    bc: bool,
    tm: &mut Tm,
) -> DtResult<()> {
    if fmask & m(YEAR) != 0 {
        if isjulian {
        } else if bc {
            if tm.year <= 0 {
                return Err(DtErr::FieldOverflow);
            }
            tm.year = -(tm.year - 1);
        } else if is2digits {
            if tm.year < 0 {
                return Err(DtErr::FieldOverflow);
            }
            if tm.year < 70 {
                tm.year += 2000;
            } else if tm.year < 100 {
                tm.year += 1900;
            }
        } else if tm.year <= 0 {
            return Err(DtErr::FieldOverflow);
        }
    }
    if fmask & m(DOY) != 0 {
        let (y, mo, d) = j2date(date2j(tm.year, 1, 1) + tm.yday - 1);
        tm.year = y;
        tm.mon = mo;
        tm.mday = d;
    }
    if fmask & m(MONTH) != 0 && !(1..=12).contains(&tm.mon) {
        return Err(DtErr::MdFieldOverflow);
    }
    if fmask & m(DAY) != 0 && !(1..=31).contains(&tm.mday) {
        return Err(DtErr::MdFieldOverflow);
    }
    if fmask & DATE_M == DATE_M {
        let idx = usize::try_from(tm.mon - 1).unwrap_or(0).min(11);
        if tm.mday > DAY_TAB[usize::from(is_leap(tm.year))][idx] {
            return Err(DtErr::FieldOverflow);
        }
    }
    Ok(())
}

/// `DecodeTimeCommon`: `hh:mm[:ss[.fff]]` (or `mm:ss.fff`). Returns hours,
/// minutes, seconds and microseconds; the caller checks the hours.
fn decode_time_common(s: &str, range: i64) -> DtResult<(i64, i64, i64, i64)> {
    let (mut hour, rest) = match strtol(s, false) {
        (Some(v), rest) => (v, rest),
        (None, _) => return Err(DtErr::FieldOverflow),
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return Err(DtErr::BadFormat);
    };
    let (mut min, rest) = strtoint(rest)?;
    let mut sec = 0;
    let mut fsec = 0;
    if rest.is_empty() {
        if range == interval_mask(&[MINUTE, SECOND]) {
            if i32::try_from(hour).is_err() {
                return Err(DtErr::FieldOverflow);
            }
            sec = min;
            min = hour;
            hour = 0;
        }
    } else if rest.starts_with('.') {
        fsec = parse_fractional_second(rest)?;
        if i32::try_from(hour).is_err() {
            return Err(DtErr::FieldOverflow);
        }
        sec = min;
        min = hour;
        hour = 0;
    } else if let Some(rest) = rest.strip_prefix(':') {
        let (s2, rest) = strtoint(rest)?;
        sec = s2;
        if rest.starts_with('.') {
            fsec = parse_fractional_second(rest)?;
        } else if !rest.is_empty() {
            return Err(DtErr::BadFormat);
        }
    } else {
        return Err(DtErr::BadFormat);
    }
    if hour < 0
        || !(0..=59).contains(&min)
        || !(0..=60).contains(&sec)
        || !(0..=1_000_000).contains(&fsec)
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok((hour, min, sec, fsec))
}

fn decode_time(s: &str, range: i64, tm: &mut Tm) -> DtResult<()> {
    let (h, mi, se, fs) = decode_time_common(s, range)?;
    if i32::try_from(h).is_err() {
        return Err(DtErr::FieldOverflow);
    }
    tm.hour = h;
    tm.min = mi;
    tm.sec = se;
    tm.fsec = fs;
    Ok(())
}

/// `time_overflows`.
fn time_overflows(hour: i64, min: i64, sec: i64, fsec: i64) -> bool {
    if !(0..=24).contains(&hour)
        || !(0..60).contains(&min)
        || !(0..=60).contains(&sec)
        || !(0..=1_000_000).contains(&fsec)
    {
        return true;
    }
    (((hour * 60 + min) * 60) + sec) * 1_000_000 + fsec > 86_400_000_000
}

/// `DecodeTimezone`: a numeric zone `+hh[:mm[:ss]]` or `+hhmm`.
fn decode_timezone(s: &str) -> DtResult<i64> {
    let neg = match s.as_bytes().first() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Err(DtErr::BadFormat),
    };
    fn tzdisp(r: DtResult<(i64, &str)>) -> DtResult<(i64, &str)> {
        r.map_err(|_| DtErr::TzDispOverflow)
    }
    let (mut hr, mut rest) = tzdisp(strtoint(&s[1..]))?;
    let mut min = 0;
    let mut sec = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let (mi, r) = tzdisp(strtoint(r))?;
        min = mi;
        rest = r;
        if let Some(r) = rest.strip_prefix(':') {
            let (se, r) = tzdisp(strtoint(r))?;
            sec = se;
            rest = r;
        }
    } else if rest.is_empty() && s.len() > 3 {
        min = hr % 100;
        hr /= 100;
    }
    if !(0..=15).contains(&hr) || !(0..60).contains(&min) || !(0..60).contains(&sec) {
        return Err(DtErr::TzDispOverflow);
    }
    if !rest.is_empty() {
        return Err(DtErr::BadFormat);
    }
    let tz = (hr * 60 + min) * 60 + sec;
    Ok(if neg { tz } else { -tz })
}

/// What `DecodeDateTime` / `DecodeTimeOnly` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DType {
    Date,
    Time,
    Epoch,
    Late,
    Early,
}

/// The zone a value names: a fixed offset (seconds west of Greenwich, as
/// PostgreSQL keeps `tz`) or one needing the tz database, taken as UTC.
struct Decoded {
    dtype: DType,
    tm: Tm,
    tz: i64,
    /// Only a time of day was given (`DecodeDateTime` returns 1).
    time_only: bool,
}

/// `DecodeDateTime`.
fn decode_date_time(fields: &mut [(String, FType)]) -> DtResult<Decoded> {
    let mut fmask: u32 = 0;
    let mut ptype: Option<Dtk> = None;
    let mut mer: Option<bool> = None;
    let mut have_text_month = false;
    let mut isjulian = false;
    let mut is2digits = false;
    let mut bc = false;
    let mut named_tz = false;
    let mut dtype = DType::Date;
    let mut tm = Tm::default();
    let mut tz = 0;
    for i in 0..fields.len() {
        let (field, ftype) = fields[i].clone();
        let mut tmask: u32 = 0;
        match ftype {
            FType::Date => {
                if ptype == Some(Dtk::Julian) {
                    let (jday, rest) = strtoint(&field)?;
                    if jday < 0 {
                        return Err(DtErr::FieldOverflow);
                    }
                    let (y, mo, d) = j2date(jday);
                    (tm.year, tm.mon, tm.mday) = (y, mo, d);
                    isjulian = true;
                    tz = decode_timezone(rest)?;
                    tmask = DATE_M | TIME_M | m(TZ);
                    ptype = None;
                } else if ptype.is_some() || fmask & (m(MONTH) | m(DAY)) == m(MONTH) | m(DAY) {
                    if field.as_bytes()[0].is_ascii_digit() || ptype.is_some() {
                        if ptype.is_some() {
                            if ptype != Some(Dtk::Time) {
                                return Err(DtErr::BadFormat);
                            }
                            ptype = None;
                        }
                        if fmask & TIME_M == TIME_M {
                            return Err(DtErr::BadFormat);
                        }
                        let Some(dash) = field.find('-') else {
                            return Err(DtErr::BadFormat);
                        };
                        tz = decode_timezone(&field[dash..])?;
                        decode_number_field(
                            &field[..dash],
                            fmask,
                            &mut tmask,
                            &mut tm,
                            &mut is2digits,
                        )?;
                        tmask |= m(TZ);
                    } else {
                        if !is_zone_name(&field) {
                            return Err(DtErr::BadTimezone(field));
                        }
                        named_tz = true;
                        tmask = m(TZ);
                    }
                } else {
                    decode_date(&field, fmask, &mut tmask, &mut is2digits, &mut tm)?;
                }
            }
            FType::Time => {
                if ptype.is_some() {
                    if ptype != Some(Dtk::Time) {
                        return Err(DtErr::BadFormat);
                    }
                    ptype = None;
                }
                decode_time(&field, INTERVAL_FULL_RANGE, &mut tm)?;
                tmask = TIME_M;
                if time_overflows(tm.hour, tm.min, tm.sec, tm.fsec) {
                    return Err(DtErr::FieldOverflow);
                }
            }
            FType::Tz => {
                tz = decode_timezone(&field)?;
                tmask = m(TZ);
            }
            FType::Number => {
                if let Some(p) = ptype {
                    let (value, rest) = strtoint(&field)?;
                    if !rest.is_empty() && !rest.starts_with('.') {
                        return Err(DtErr::BadFormat);
                    }
                    match p {
                        Dtk::Julian => {
                            if value < 0 {
                                return Err(DtErr::FieldOverflow);
                            }
                            tmask = DATE_M;
                            let (y, mo, d) = j2date(value);
                            (tm.year, tm.mon, tm.mday) = (y, mo, d);
                            isjulian = true;
                            if rest.starts_with('.') {
                                parse_fraction(rest)?;
                                tmask |= TIME_M;
                            }
                        }
                        Dtk::Time => {
                            decode_number_field(
                                &field,
                                fmask | DATE_M,
                                &mut tmask,
                                &mut tm,
                                &mut is2digits,
                            )?;
                            if tmask != TIME_M {
                                return Err(DtErr::BadFormat);
                            }
                        }
                        _ => return Err(DtErr::BadFormat),
                    }
                    ptype = None;
                    dtype = DType::Date;
                } else {
                    let flen = field.len();
                    let dot = field.find('.');
                    if dot.is_some() && fmask & DATE_M == 0 {
                        decode_date(&field, fmask, &mut tmask, &mut is2digits, &mut tm)?;
                    } else if let Some(d) = dot
                        && d > 2
                    {
                        decode_number_field(&field, fmask, &mut tmask, &mut tm, &mut is2digits)?;
                    } else if flen >= 6 && (fmask & DATE_M == 0 || fmask & TIME_M == 0) {
                        decode_number_field(&field, fmask, &mut tmask, &mut tm, &mut is2digits)?;
                    } else {
                        decode_number(
                            &field,
                            have_text_month,
                            fmask,
                            &mut tmask,
                            &mut tm,
                            &mut is2digits,
                        )?;
                    }
                }
            }
            FType::String | FType::Special => {
                let tok = date_token(&field);
                if tok == Tok::Ignore {
                    continue;
                }
                match tok {
                    Tok::Reserv(r) => match r {
                        Dtk::Now => {
                            tmask = DATE_M | TIME_M | m(TZ);
                            dtype = DType::Date;
                            tm = now_tm();
                        }
                        Dtk::Yesterday | Dtk::Today | Dtk::Tomorrow => {
                            tmask = DATE_M;
                            dtype = DType::Date;
                            let t = now_tm();
                            (tm.year, tm.mon, tm.mday) = (t.year, t.mon, t.mday);
                        }
                        Dtk::Zulu => {
                            tmask = TIME_M | m(TZ);
                            dtype = DType::Date;
                            (tm.hour, tm.min, tm.sec) = (0, 0, 0);
                            tz = 0;
                        }
                        // PostgreSQL 15 marks only the reserved-word bit:
                        // `infinity 2020` is taken.
                        Dtk::Epoch | Dtk::Late | Dtk::Early => {
                            tmask = m(RESERV);
                            dtype = match r {
                                Dtk::Epoch => DType::Epoch,
                                Dtk::Late => DType::Late,
                                _ => DType::Early,
                            };
                        }
                        _ => return Err(DtErr::BadFormat),
                    },
                    Tok::Month(v) => {
                        tmask = m(MONTH);
                        if fmask & m(MONTH) != 0
                            && !have_text_month
                            && fmask & m(DAY) == 0
                            && (1..=31).contains(&tm.mon)
                        {
                            tm.mday = tm.mon;
                            tmask = m(DAY);
                        }
                        have_text_month = true;
                        tm.mon = i64::from(v);
                    }
                    Tok::DtzMod => {
                        tmask = m(DTZMOD) | m(DTZ);
                        tz -= 3600;
                    }
                    Tok::Zone(dst) => {
                        tmask = if dst { m(DTZ) | m(TZ) } else { m(TZ) };
                    }
                    Tok::AmPm(pm) => {
                        tmask = m(AMPM);
                        mer = Some(pm);
                    }
                    Tok::AdBc(b) => {
                        tmask = m(ADBC);
                        bc = b;
                    }
                    Tok::Dow => tmask = m(DOW),
                    Tok::Units(u) => ptype = Some(u),
                    Tok::IsoTime => {
                        if fmask & DATE_M != DATE_M || !time_follows(fields, i) {
                            return Err(DtErr::BadFormat);
                        }
                        ptype = Some(Dtk::Time);
                    }
                    Tok::Unknown => {
                        if !is_zone_name(&field) {
                            return Err(DtErr::BadFormat);
                        }
                        named_tz = true;
                        tmask = m(TZ);
                    }
                    Tok::Ago | Tok::Ignore => return Err(DtErr::BadFormat),
                }
            }
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    let mut time_only = false;
    if dtype == DType::Date {
        validate_date(fmask, isjulian, is2digits, bc, &mut tm)?;
        if mer.is_some() && tm.hour > 12 {
            return Err(DtErr::FieldOverflow);
        }
        match mer {
            Some(false) if tm.hour == 12 => tm.hour = 0,
            Some(true) if tm.hour != 12 => tm.hour += 12,
            _ => {}
        }
        if fmask & DATE_M != DATE_M {
            if fmask & TIME_M == TIME_M {
                time_only = true;
            } else {
                return Err(DtErr::BadFormat);
            }
        }
        if named_tz && fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
        if fmask & m(TZ) == 0 && fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
    }
    Ok(Decoded {
        dtype,
        tm,
        tz,
        time_only,
    })
}

/// The ISO `T` must be followed by a time (`hhmmss`, `hh:mm:ss` or
/// `hhmmss-zz`).
fn time_follows(fields: &[(String, FType)], i: usize) -> bool {
    fields
        .get(i + 1)
        .is_some_and(|f| matches!(f.1, FType::Number | FType::Time | FType::Date))
}

/// "now" as a date: any valid day serves, only validity is checked.
fn now_tm() -> Tm {
    Tm {
        year: 2000,
        mon: 1,
        mday: 1,
        ..Tm::default()
    }
}

/// `DecodeTimeOnly` (time and timetz input).
fn decode_time_only(fields: &mut [(String, FType)]) -> DtResult<Decoded> {
    let nf = fields.len();
    let mut fmask: u32 = 0;
    let mut ptype: Option<Dtk> = None;
    let mut mer: Option<bool> = None;
    let mut isjulian = false;
    let mut is2digits = false;
    let mut bc = false;
    let mut named_tz: Option<String> = None;
    let mut tm = Tm::default();
    let mut tz = 0;
    let mut dtype = DType::Time;
    for i in 0..nf {
        let (field, ftype) = fields[i].clone();
        let mut tmask: u32 = 0;
        match ftype {
            FType::Date => {
                let last_is_date = fields.last().is_some_and(|f| f.1 == FType::Date);
                let second_is_time = fields.get(1).is_some_and(|f| f.1 == FType::Time);
                if i == 0 && nf >= 2 && (last_is_date || second_is_time) {
                    decode_date(&field, fmask, &mut tmask, &mut is2digits, &mut tm)?;
                } else if field.as_bytes()[0].is_ascii_digit() {
                    if fmask & TIME_M == TIME_M {
                        return Err(DtErr::BadFormat);
                    }
                    let Some(dash) = field.find('-') else {
                        return Err(DtErr::BadFormat);
                    };
                    tz = decode_timezone(&field[dash..])?;
                    let kind = decode_number_field(
                        &field[..dash],
                        fmask | DATE_M,
                        &mut tmask,
                        &mut tm,
                        &mut is2digits,
                    )?;
                    fields[i].1 = kind;
                    tmask |= m(TZ);
                } else {
                    if !is_zone_name(&field) {
                        return Err(DtErr::BadTimezone(field));
                    }
                    named_tz = Some(field.clone());
                    fields[i].1 = FType::Tz;
                    tmask = m(TZ);
                }
            }
            FType::Time => {
                if ptype.is_some() {
                    if ptype != Some(Dtk::Time) {
                        return Err(DtErr::BadFormat);
                    }
                    ptype = None;
                }
                decode_time(&field, INTERVAL_FULL_RANGE, &mut tm)?;
                tmask = TIME_M;
            }
            FType::Tz => {
                tz = decode_timezone(&field)?;
                tmask = m(TZ);
            }
            FType::Number => {
                if let Some(p) = ptype {
                    let (value, rest) = strtoint(&field)?;
                    if !rest.is_empty() && !rest.starts_with('.') {
                        return Err(DtErr::BadFormat);
                    }
                    match p {
                        Dtk::Julian => {
                            if value < 0 {
                                return Err(DtErr::FieldOverflow);
                            }
                            tmask = DATE_M;
                            let (y, mo, d) = j2date(value);
                            (tm.year, tm.mon, tm.mday) = (y, mo, d);
                            isjulian = true;
                            if rest.starts_with('.') {
                                parse_fraction(rest)?;
                                tmask |= TIME_M;
                            }
                        }
                        Dtk::Time => {
                            let kind = decode_number_field(
                                &field,
                                fmask | DATE_M,
                                &mut tmask,
                                &mut tm,
                                &mut is2digits,
                            )?;
                            fields[i].1 = kind;
                            if tmask != TIME_M {
                                return Err(DtErr::BadFormat);
                            }
                        }
                        _ => return Err(DtErr::BadFormat),
                    }
                    ptype = None;
                    dtype = DType::Date;
                } else {
                    let flen = field.len();
                    if let Some(dot) = field.find('.') {
                        let last_is_date = fields.last().is_some_and(|f| f.1 == FType::Date);
                        if i == 0 && nf >= 2 && last_is_date {
                            decode_date(&field, fmask, &mut tmask, &mut is2digits, &mut tm)?;
                        } else if dot > 2 {
                            let kind = decode_number_field(
                                &field,
                                fmask | DATE_M,
                                &mut tmask,
                                &mut tm,
                                &mut is2digits,
                            )?;
                            fields[i].1 = kind;
                        } else {
                            return Err(DtErr::BadFormat);
                        }
                    } else if flen > 4 {
                        let kind = decode_number_field(
                            &field,
                            fmask | DATE_M,
                            &mut tmask,
                            &mut tm,
                            &mut is2digits,
                        )?;
                        fields[i].1 = kind;
                    } else {
                        decode_number(
                            &field,
                            false,
                            fmask | DATE_M,
                            &mut tmask,
                            &mut tm,
                            &mut is2digits,
                        )?;
                    }
                }
            }
            FType::String | FType::Special => {
                let tok = date_token(&field);
                if tok == Tok::Ignore {
                    continue;
                }
                match tok {
                    Tok::Reserv(Dtk::Now) => {
                        tmask = TIME_M;
                        dtype = DType::Time;
                    }
                    Tok::Reserv(Dtk::Zulu) => {
                        tmask = TIME_M | m(TZ);
                        dtype = DType::Time;
                        (tm.hour, tm.min, tm.sec) = (0, 0, 0);
                    }
                    Tok::Reserv(_) => return Err(DtErr::BadFormat),
                    Tok::DtzMod => {
                        tmask = m(DTZMOD) | m(DTZ);
                        tz -= 3600;
                    }
                    Tok::Zone(dst) => {
                        tmask = if dst { m(DTZ) | m(TZ) } else { m(TZ) };
                        fields[i].1 = FType::Tz;
                    }
                    Tok::AmPm(pm) => {
                        tmask = m(AMPM);
                        mer = Some(pm);
                    }
                    Tok::AdBc(b) => {
                        tmask = m(ADBC);
                        bc = b;
                    }
                    Tok::Units(u) => ptype = Some(u),
                    Tok::IsoTime => {
                        if !time_follows(fields, i) {
                            return Err(DtErr::BadFormat);
                        }
                        ptype = Some(Dtk::Time);
                    }
                    Tok::Unknown => {
                        if !is_zone_name(&field) {
                            return Err(DtErr::BadFormat);
                        }
                        named_tz = Some(field.clone());
                        tmask = m(TZ);
                    }
                    // `tmask = DTK_M(type)`, then the type is refused.
                    Tok::Month(_) | Tok::Dow | Tok::Ago | Tok::Ignore => {
                        return Err(DtErr::BadFormat);
                    }
                }
            }
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    validate_date(fmask, isjulian, is2digits, bc, &mut tm)?;
    if mer.is_some() && tm.hour > 12 {
        return Err(DtErr::FieldOverflow);
    }
    match mer {
        Some(false) if tm.hour == 12 => tm.hour = 0,
        Some(true) if tm.hour != 12 => tm.hour += 12,
        _ => {}
    }
    if time_overflows(tm.hour, tm.min, tm.sec, tm.fsec) {
        return Err(DtErr::FieldOverflow);
    }
    if fmask & TIME_M != TIME_M {
        return Err(DtErr::BadFormat);
    }
    if let Some(zone) = &named_tz {
        if fmask & m(DTZMOD) != 0 {
            return Err(DtErr::BadFormat);
        }
        // A zone whose offset ever changed needs the date to know it.
        if !BUILTINS.is_fixed_offset_zone(zone) && fmask & DATE_M != DATE_M {
            return Err(DtErr::BadFormat);
        }
    }
    if fmask & m(TZ) == 0 && fmask & m(DTZMOD) != 0 {
        return Err(DtErr::BadFormat);
    }
    Ok(Decoded {
        dtype,
        tm,
        tz,
        time_only: false,
    })
}

/// `INTERVAL_FULL_RANGE` (no `YEAR TO MONTH`-style restriction).
const INTERVAL_FULL_RANGE: i64 = 0x7FFF;

fn interval_mask(fields: &[u32]) -> i64 {
    fields.iter().map(|f| 1i64 << f).sum()
}

/// `pg_itm_in`: an interval as it is read.
#[derive(Default)]
struct ItmIn {
    usec: i64,
    mday: i32,
    mon: i32,
    year: i32,
}

impl ItmIn {
    fn add_usec(&mut self, v: i64, scale: i64) -> bool {
        v.checked_mul(scale)
            .and_then(|p| self.usec.checked_add(p))
            .map(|s| self.usec = s)
            .is_some()
    }

    fn fract_usec(&mut self, frac: f64, scale: i64) -> bool {
        if frac == 0.0 {
            return true;
        }
        let f = frac * scale as f64;
        let mut usec = f as i64;
        let rest = f - usec as f64;
        if rest > 0.5 {
            usec += 1;
        } else if rest < -0.5 {
            usec -= 1;
        }
        self.add_usec(usec, 1)
    }

    fn fract_days(&mut self, frac: f64, scale: i32) -> bool {
        if frac == 0.0 {
            return true;
        }
        let f = frac * f64::from(scale);
        let extra = f as i32;
        match self.mday.checked_add(extra) {
            Some(d) => self.mday = d,
            None => return false,
        }
        self.fract_usec(f - f64::from(extra), 86_400_000_000)
    }

    fn fract_years(&mut self, frac: f64, scale: i32) -> bool {
        let extra = (frac * f64::from(scale) * 12.0).round() as i32;
        self.mon.checked_add(extra).map(|v| self.mon = v).is_some()
    }

    fn micro(&mut self, v: i64, f: f64, scale: i64) -> bool {
        self.add_usec(v, scale) && self.fract_usec(f, scale)
    }

    fn days(&mut self, v: i64, scale: i32) -> bool {
        i32::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(scale))
            .and_then(|d| self.mday.checked_add(d))
            .map(|d| self.mday = d)
            .is_some()
    }

    fn months(&mut self, v: i64) -> bool {
        i32::try_from(v)
            .ok()
            .and_then(|v| self.mon.checked_add(v))
            .map(|x| self.mon = x)
            .is_some()
    }

    fn years(&mut self, v: i64, scale: i32) -> bool {
        i32::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(scale))
            .and_then(|y| self.year.checked_add(y))
            .map(|y| self.year = y)
            .is_some()
    }
}

fn decode_time_for_interval(s: &str, range: i64, itm: &mut ItmIn) -> DtResult<()> {
    let (h, mi, se, fs) = decode_time_common(s, range)?;
    itm.usec = fs;
    if !itm.add_usec(h, 3_600_000_000)
        || !itm.add_usec(mi, 60_000_000)
        || !itm.add_usec(se, 1_000_000)
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok(())
}

/// `DecodeInterval`: fields read right to left, units before values.
fn decode_interval(fields: &[(String, FType)], range: i64) -> DtResult<ItmIn> {
    let mut itm = ItmIn::default();
    let mut fmask: u32 = 0;
    let mut ty: Option<Dtk> = None;
    let mut is_before = false;
    let nf = fields.len();
    let overflow = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(DtErr::FieldOverflow)
        }
    };
    for i in (0..nf).rev() {
        let (field, ftype) = (&fields[i].0, fields[i].1);
        let mut tmask: u32 = 0;
        let number = match ftype {
            FType::Time => {
                decode_time_for_interval(field, range, &mut itm)?;
                tmask = TIME_M;
                ty = Some(Dtk::Day);
                false
            }
            FType::Tz => {
                let signed_time = field[1..].contains(':') && {
                    let mut probe = ItmIn::default();
                    decode_time_for_interval(&field[1..], range, &mut probe).is_ok()
                };
                if signed_time {
                    decode_time_for_interval(&field[1..], range, &mut itm)?;
                    if field.starts_with('-') {
                        itm.usec = itm.usec.checked_neg().ok_or(DtErr::FieldOverflow)?;
                    }
                    tmask = TIME_M;
                    ty = Some(Dtk::Day);
                    false
                } else {
                    true
                }
            }
            FType::Date | FType::Number => true,
            // PostgreSQL 15 takes repeated units and `ago` anywhere.
            FType::String | FType::Special => {
                match lookup(DELTA_TOKENS, field) {
                    Tok::Ignore => continue,
                    Tok::Units(u) => ty = Some(u),
                    Tok::Ago => is_before = true,
                    _ => return Err(DtErr::BadFormat),
                }
                false
            }
        };
        if number {
            let t = ty.unwrap_or(match range {
                r if r == interval_mask(&[YEAR]) => Dtk::Year,
                r if r == interval_mask(&[MONTH]) || r == interval_mask(&[YEAR, MONTH]) => {
                    Dtk::Month
                }
                r if r == interval_mask(&[DAY]) => Dtk::Day,
                r if r == interval_mask(&[HOUR]) || r == interval_mask(&[DAY, HOUR]) => Dtk::Hour,
                r if r == interval_mask(&[MINUTE])
                    || r == interval_mask(&[HOUR, MINUTE])
                    || r == interval_mask(&[DAY, HOUR, MINUTE]) =>
                {
                    Dtk::Minute
                }
                _ => Dtk::Second,
            });
            let (mut val, rest) = match strtol(field, false) {
                (Some(v), rest) => (v, rest),
                (None, _) => return Err(DtErr::FieldOverflow),
            };
            let mut t = t;
            let fval;
            if let Some(r) = rest.strip_prefix('-') {
                let (v2, r2) = strtoint(r)?;
                if !(0..12).contains(&v2) {
                    return Err(DtErr::FieldOverflow);
                }
                if !r2.is_empty() {
                    return Err(DtErr::BadFormat);
                }
                t = Dtk::Month;
                let v2 = if field.starts_with('-') { -v2 } else { v2 };
                val = val
                    .checked_mul(12)
                    .and_then(|v| v.checked_add(v2))
                    .ok_or(DtErr::FieldOverflow)?;
                fval = 0.0;
            } else if rest.starts_with('.') {
                let f = parse_fraction(rest)?;
                fval = if field.starts_with('-') { -f } else { f };
            } else if rest.is_empty() {
                fval = 0.0;
            } else {
                return Err(DtErr::BadFormat);
            }
            match t {
                Dtk::Microsec => {
                    overflow(itm.micro(val, fval, 1))?;
                    tmask = m(MICROSECOND);
                }
                Dtk::Millisec => {
                    overflow(itm.micro(val, fval, 1000))?;
                    tmask = m(MILLISECOND);
                }
                Dtk::Second => {
                    overflow(itm.micro(val, fval, 1_000_000))?;
                    tmask = if fval == 0.0 { m(SECOND) } else { ALL_SECS_M };
                }
                Dtk::Minute => {
                    overflow(itm.micro(val, fval, 60_000_000))?;
                    tmask = m(MINUTE);
                }
                Dtk::Hour => {
                    overflow(itm.micro(val, fval, 3_600_000_000))?;
                    tmask = m(HOUR);
                    t = Dtk::Day;
                }
                Dtk::Day => {
                    overflow(itm.days(val, 1) && itm.fract_usec(fval, 86_400_000_000))?;
                    tmask = m(DAY);
                }
                Dtk::Week => {
                    overflow(itm.days(val, 7) && itm.fract_days(fval, 7))?;
                    tmask = m(WEEK);
                }
                Dtk::Month => {
                    overflow(itm.months(val) && itm.fract_days(fval, 30))?;
                    tmask = m(MONTH);
                }
                Dtk::Year => {
                    overflow(itm.years(val, 1) && itm.fract_years(fval, 1))?;
                    tmask = m(YEAR);
                }
                Dtk::Decade => {
                    overflow(itm.years(val, 10) && itm.fract_years(fval, 10))?;
                    tmask = m(DECADE);
                }
                Dtk::Century => {
                    overflow(itm.years(val, 100) && itm.fract_years(fval, 100))?;
                    tmask = m(CENTURY);
                }
                Dtk::Millennium => {
                    overflow(itm.years(val, 1000) && itm.fract_years(fval, 1000))?;
                    tmask = m(MILLENNIUM);
                }
                _ => return Err(DtErr::BadFormat),
            }
            ty = Some(t);
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    if fmask == 0 {
        return Err(DtErr::BadFormat);
    }
    if is_before
        && (itm.usec == i64::MIN
            || itm.mday == i32::MIN
            || itm.mon == i32::MIN
            || itm.year == i32::MIN)
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok(itm)
}

/// `ParseISO8601Number`.
fn iso_number(s: &str) -> DtResult<(i64, f64, &str)> {
    let b = s.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_digit() || *c == b'-' || *c == b'.')
    {
        return Err(DtErr::BadFormat);
    }
    // strtod: sign, digits, fraction, exponent.
    let mut i = 0;
    if matches!(b.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut any = i > int_start;
    if b.get(i) == Some(&b'.') {
        let f = i + 1;
        let mut j = f;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if any || j > f {
            any = true;
            i = j;
        }
    }
    if !any {
        return Err(DtErr::BadFormat);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let d = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > d {
            i = j;
        }
    }
    let val: f64 = s[..i].parse().map_err(|_| DtErr::BadFormat)?;
    if val.is_nan() || !(-1.0e15..=1.0e15).contains(&val) {
        return Err(DtErr::FieldOverflow);
    }
    let ipart = val.trunc() as i64;
    Ok((ipart, val - ipart as f64, &s[i..]))
}

fn iso_integer_width(field: &str) -> usize {
    field
        .trim_start_matches('-')
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count()
}

/// `DecodeISO8601Interval`: `P1Y2M3DT4H5M6S` and `P0001-02-03T04:05:06`.
fn decode_iso8601_interval(s: &str) -> DtResult<ItmIn> {
    let mut itm = ItmIn::default();
    if s.len() < 2 || !s.starts_with('P') {
        return Err(DtErr::BadFormat);
    }
    let overflow = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(DtErr::FieldOverflow)
        }
    };
    let mut datepart = true;
    let mut havefield = false;
    let mut str = &s[1..];
    while !str.is_empty() {
        if let Some(r) = str.strip_prefix('T') {
            datepart = false;
            havefield = false;
            str = r;
            continue;
        }
        let fieldstart = str;
        let (val, fval, rest) = iso_number(str)?;
        let unit = rest.as_bytes().first().copied().unwrap_or(0);
        str = if rest.is_empty() { rest } else { &rest[1..] };
        if datepart {
            match unit {
                b'Y' => overflow(itm.years(val, 1) && itm.fract_years(fval, 1))?,
                b'M' => overflow(itm.months(val) && itm.fract_days(fval, 30))?,
                b'W' => overflow(itm.days(val, 7) && itm.fract_days(fval, 7))?,
                b'D' => overflow(itm.days(val, 1) && itm.fract_usec(fval, 86_400_000_000))?,
                b'T' | 0 | b'-' => {
                    if unit != b'-' && iso_integer_width(fieldstart) == 8 && !havefield {
                        overflow(
                            itm.years(val / 10000, 1)
                                && itm.months((val / 100) % 100)
                                && itm.days(val % 100, 1)
                                && itm.fract_usec(fval, 86_400_000_000),
                        )?;
                        if unit == 0 {
                            return Ok(itm);
                        }
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    overflow(itm.years(val, 1) && itm.fract_years(fval, 1))?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    if unit == b'T' {
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    let (v, f, r) = iso_number(str)?;
                    overflow(itm.months(v) && itm.fract_days(f, 30))?;
                    str = r;
                    if str.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = str.strip_prefix('T') {
                        datepart = false;
                        havefield = false;
                        str = r;
                        continue;
                    }
                    let Some(r) = str.strip_prefix('-') else {
                        return Err(DtErr::BadFormat);
                    };
                    let (v, f, r) = iso_number(r)?;
                    overflow(itm.days(v, 1) && itm.fract_usec(f, 86_400_000_000))?;
                    str = r;
                    if str.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = str.strip_prefix('T') {
                        datepart = false;
                        havefield = false;
                        str = r;
                        continue;
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        } else {
            match unit {
                b'H' => overflow(itm.micro(val, fval, 3_600_000_000))?,
                b'M' => overflow(itm.micro(val, fval, 60_000_000))?,
                b'S' => overflow(itm.micro(val, fval, 1_000_000))?,
                0 | b':' => {
                    if unit == 0 && iso_integer_width(fieldstart) == 6 && !havefield {
                        overflow(
                            itm.micro(val / 10000, 0.0, 3_600_000_000)
                                && itm.micro((val / 100) % 100, 0.0, 60_000_000)
                                && itm.micro(val % 100, 0.0, 1_000_000)
                                && itm.fract_usec(fval, 1),
                        )?;
                        return Ok(itm);
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    overflow(itm.micro(val, fval, 3_600_000_000))?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    let (v, f, r) = iso_number(str)?;
                    overflow(itm.micro(v, f, 60_000_000))?;
                    if r.is_empty() {
                        return Ok(itm);
                    }
                    let Some(r) = r.strip_prefix(':') else {
                        return Err(DtErr::BadFormat);
                    };
                    let (v, f, r) = iso_number(r)?;
                    overflow(itm.micro(v, f, 1_000_000))?;
                    if r.is_empty() {
                        return Ok(itm);
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        }
        havefield = true;
    }
    Ok(itm)
}

/// The date/time types with input functions here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Date,
    Timestamp,
    TimestampTz,
    Time,
    TimeTz,
    Interval,
}

impl Kind {
    pub(crate) fn of(typname: &str) -> Option<Kind> {
        Some(match typname {
            "date" => Kind::Date,
            "timestamp" => Kind::Timestamp,
            "timestamptz" => Kind::TimestampTz,
            "time" => Kind::Time,
            "timetz" => Kind::TimeTz,
            "interval" => Kind::Interval,
            _ => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::Timestamp => "timestamp",
            Kind::TimestampTz => "timestamp with time zone",
            Kind::Time => "time",
            Kind::TimeTz => "time with time zone",
            Kind::Interval => "interval",
        }
    }
}

/// `DateTimeParseError`.
fn report(err: DtErr, text: &str, kind: Kind) -> PgError {
    match err {
        DtErr::FieldOverflow if kind == Kind::Interval => PgError::new(
            "22015",
            format!("interval field value out of range: \"{text}\""),
        ),
        DtErr::FieldOverflow => PgError::new(
            "22008",
            format!("date/time field value out of range: \"{text}\""),
        ),
        DtErr::MdFieldOverflow => PgError::new(
            "22008",
            format!("date/time field value out of range: \"{text}\""),
        )
        .hint("Perhaps you need a different \"datestyle\" setting."),
        DtErr::TzDispOverflow => PgError::new(
            "22009",
            format!("time zone displacement out of range: \"{text}\""),
        ),
        DtErr::BadTimezone(zone) => PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!("time zone \"{zone}\" not recognized"),
        ),
        DtErr::BadFormat => PgError::new(
            code::INVALID_DATETIME_FORMAT,
            format!("invalid input syntax for type {}: \"{text}\"", kind.label()),
        ),
    }
}

/// `IS_VALID_JULIAN`.
fn valid_julian(y: i64, mo: i64) -> bool {
    (y > -4713 || (y == -4713 && mo >= 11)) && (y < 5_874_898 || (y == 5_874_898 && mo < 6))
}

const POSTGRES_EPOCH_JDATE: i64 = 2_451_545;
const USECS_PER_DAY: i64 = 86_400_000_000;

/// `tm2timestamp` and `IS_VALID_TIMESTAMP`.
fn timestamp_in_range(tm: &Tm, tz: i64) -> bool {
    if !valid_julian(tm.year, tm.mon) {
        return false;
    }
    let date = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
    let time = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * 1_000_000 + tm.fsec;
    let Some(ts) = date
        .checked_mul(USECS_PER_DAY)
        .and_then(|d| d.checked_add(time))
        .and_then(|t| t.checked_add(tz * 1_000_000))
    else {
        return false;
    };
    (-211_813_488_000_000_000..9_223_371_331_200_000_000).contains(&ts)
}

/// Checks `text` as the input function of a date/time type would.
/// `interval_range` is the `INTERVAL YEAR TO MONTH`-style field mask of
/// the target type, which interval input obeys.
pub(crate) fn check(kind: Kind, text: &str, interval_range: Option<i64>) -> Result<(), PgError> {
    let fail = |e: DtErr| report(e, text, kind);
    if kind == Kind::Interval {
        let range = interval_range.unwrap_or(INTERVAL_FULL_RANGE);
        let parsed = parse_fields(text, 256).and_then(|f| decode_interval(&f, range));
        let itm = match parsed {
            Ok(itm) => itm,
            Err(DtErr::BadFormat) => decode_iso8601_interval(text).map_err(fail)?,
            Err(e) => return Err(fail(e)),
        };
        // `itmin2interval`: years and months make one 32-bit month count.
        let months = i64::from(itm.year) * 12 + i64::from(itm.mon);
        if i32::try_from(months).is_err() {
            return Err(PgError::new("22008", "interval out of range"));
        }
        return Ok(());
    }
    let mut fields = parse_fields(text, MAX_DATE_LEN + 1).map_err(fail)?;
    match kind {
        Kind::Time | Kind::TimeTz => {
            decode_time_only(&mut fields).map_err(fail)?;
            Ok(())
        }
        _ => {
            let d = decode_date_time(&mut fields).map_err(fail)?;
            if d.time_only {
                return Err(fail(DtErr::BadFormat));
            }
            match (kind, d.dtype) {
                (Kind::Date, DType::Date) => {
                    let range_err =
                        || PgError::new("22008", format!("date out of range: \"{text}\""));
                    if !valid_julian(d.tm.year, d.tm.mon) {
                        return Err(range_err());
                    }
                    let j = date2j(d.tm.year, d.tm.mon, d.tm.mday);
                    if !(0..2_147_483_494).contains(&j) {
                        return Err(range_err());
                    }
                    Ok(())
                }
                (Kind::Date, DType::Time) => Err(fail(DtErr::BadFormat)),
                (Kind::Date, _) => Ok(()),
                (_, DType::Date) => {
                    let tz = if kind == Kind::TimestampTz { d.tz } else { 0 };
                    if timestamp_in_range(&d.tm, tz) {
                        Ok(())
                    } else {
                        Err(PgError::new(
                            "22008",
                            format!("timestamp out of range: \"{text}\""),
                        ))
                    }
                }
                (_, DType::Time) => Err(fail(DtErr::BadFormat)),
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(kind: Kind, text: &str) -> String {
        match check(kind, text, None) {
            Ok(()) => "ok".into(),
            Err(e) => e.sqlstate.to_string(),
        }
    }

    #[test]
    fn dates_as_postgres_reads_them() {
        for ok in [
            "2023-02-28",
            "2024-02-29",
            "1999-01-08",
            "January 8, 1999",
            "1/8/1999",
            "19990108",
            "990108",
            "1999.008",
            "J2451187",
            "January 8, 99 BC",
            "epoch",
            "infinity",
            "-infinity",
            "today",
            "now",
            "yesterday",
            "  2020-01-01  ",
            "2020-01-01 12:00",
        ] {
            assert_eq!(state(Kind::Date, ok), "ok", "{ok}");
        }
        assert_eq!(state(Kind::Date, "2023-02-30"), "22008");
        assert_eq!(state(Kind::Date, "2023-13-01"), "22008");
        assert_eq!(state(Kind::Date, "yesterday-ish"), "22007");
        assert_eq!(state(Kind::Date, "12:00"), "22007");
        assert_eq!(state(Kind::Date, "not a date"), "22007");
        assert_eq!(state(Kind::Date, ""), "22007");
    }

    #[test]
    fn timestamps_as_postgres_reads_them() {
        for ok in [
            "2020-01-01 00:00:00",
            "2020-01-01T10:00:00Z",
            "2020-01-01 10:00:00+02",
            "2020-01-01 10:00:00.123456-07:30",
            "2020-01-01 10:00:00 UTC",
            "2020-01-01 10:00:00 America/New_York",
            "2020-01-01 10:00:00 PST",
            "Wed Jan 01 10:00:00 2020 PST",
            "2020-01-01 10:00 pm",
            "now",
            "epoch",
            "today allballs",
            "infinity 2020",
        ] {
            assert_eq!(state(Kind::TimestampTz, ok), "ok", "{ok}");
        }
        // A time of day alone is not a timestamp.
        assert_eq!(state(Kind::TimestampTz, "allballs"), "22007");
        assert_eq!(state(Kind::TimestampTz, "yesterday-ish"), "22007");
        assert_eq!(state(Kind::TimestampTz, "2020-01-01 25:00:00"), "22008");
        assert_eq!(state(Kind::TimestampTz, "2020-01-01 13:00 pm"), "22008");
        assert_eq!(
            state(Kind::TimestampTz, "2020-01-01 10:00 Mars/Base"),
            "22023"
        );
        assert_eq!(state(Kind::Timestamp, "2020-01-01 10:00 bogus"), "22007");
    }

    #[test]
    fn times_as_postgres_reads_them() {
        for ok in [
            "10:00",
            "10:00:00.5",
            "1000",
            "now",
            "allballs",
            "10:00 pm",
            "24:00",
        ] {
            assert_eq!(state(Kind::Time, ok), "ok", "{ok}");
        }
        assert_eq!(state(Kind::Time, "25:00"), "22008");
        assert_eq!(state(Kind::Time, "noon"), "22007");
        assert_eq!(state(Kind::TimeTz, "10:00+02"), "ok");
        // A zone whose offset changed needs a date to be placed.
        assert_eq!(state(Kind::TimeTz, "10:00 America/New_York"), "22007");
        assert_eq!(
            state(Kind::TimeTz, "2020-01-01 10:00 America/New_York"),
            "ok"
        );
    }

    #[test]
    fn intervals_as_postgres_reads_them() {
        for ok in [
            "1 day",
            "3 weeks",
            "1 year 2 months",
            "1-2",
            "10:00",
            "1 day 02:03:04",
            "@ 1 hour ago",
            "P1Y2M3DT4H5M6S",
            "PT1.5S",
            "P0001-02-03T04:05:06",
            "90",
            "2 hours 30 minutes",
            "-1 days +02:00",
        ] {
            assert_eq!(state(Kind::Interval, ok), "ok", "{ok}");
        }
        assert_eq!(state(Kind::Interval, "3 fortnights"), "22007");
        // PostgreSQL 15 takes a repeated unit.
        assert_eq!(state(Kind::Interval, "1 day day"), "ok");
        assert_eq!(state(Kind::Interval, "178956970 years 8 months"), "22008");
        assert_eq!(state(Kind::Interval, "day"), "22007");
        assert_eq!(state(Kind::Interval, ""), "22007");
    }
}
