//! Machine-readable post times (`<time datetime>`, `data-time` epochs) to ISO 8601, with
//! the page's offset kept and the UTC instant beside it.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

/// A machine-readable time, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineTime {
    /// ISO 8601 as the page meant it: with its offset where it gave one
    /// (`2020-04-23T13:40:04+02:00`), else local (`2020-04-23T13:40:04`, `2020-04-23`).
    pub iso: String,
    /// The UTC instant (`2020-04-23T11:40:04Z`), where an offset or an epoch fixes it.
    pub utc: Option<String>,
}

/// Epochs before this (2001-09-09) are not forum post times: nine-digit attributes are
/// counters and ids more often than times.
const EPOCH_MIN_SECONDS: i64 = 1_000_000_000;

/// Reads an ISO 8601 value or epoch seconds or milliseconds; `None` for anything else.
pub fn parse_machine_time(value: &str) -> Option<MachineTime> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = v.parse().ok()?;
        let ts = if v.len() >= 13 {
            Timestamp::from_millisecond(n).ok()?
        } else {
            Timestamp::from_second(n).ok()?
        };
        if ts.as_second() < EPOCH_MIN_SECONDS {
            return None;
        }
        let utc = utc_string(ts);
        return Some(MachineTime {
            iso: utc.clone(),
            utc: Some(utc),
        });
    }
    let (civil, offset) = split_offset(v)?;
    let civil = civil.trim_end().replacen(' ', "T", 1);
    if civil.len() == 10 {
        let date: Date = civil.parse().ok()?;
        return Some(MachineTime {
            iso: date.to_string(),
            utc: None,
        });
    }
    let dt: DateTime = civil.parse().ok()?;
    let local = dt.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let Some(offset) = offset else {
        return Some(MachineTime {
            iso: local,
            utc: None,
        });
    };
    let ts = offset.to_timestamp(dt).ok()?;
    Some(MachineTime {
        iso: format!("{local}{}", offset_string(offset)),
        utc: Some(utc_string(ts)),
    })
}

fn utc_string(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `+02:00`, `-07:00`, `+00:00`.
fn offset_string(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
}

/// The civil part and the offset (`Z`, `+0700`, `-07:00`, `+07`) of an ISO value.
fn split_offset(v: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(civil) = v.strip_suffix(['Z', 'z']) {
        return Some((civil, Some(Offset::UTC)));
    }
    // The offset's sign stands after the date (whose own dashes are in its first 10).
    let Some(at) = v
        .char_indices()
        .skip(10)
        .find(|&(_, c)| c == '+' || c == '-')
        .map(|(i, _)| i)
    else {
        return Some((v, None));
    };
    let (civil, tail) = v.split_at(at);
    let sign: i32 = if tail.starts_with('-') { -1 } else { 1 };
    let digits: String = tail[1..].chars().filter(char::is_ascii_digit).collect();
    if tail[1..].chars().any(|c| !c.is_ascii_digit() && c != ':') {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((civil, Some(offset)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(v: &str) -> Option<(String, Option<String>)> {
        parse_machine_time(v).map(|m| (m.iso, m.utc))
    }

    #[test]
    fn offsets_are_kept_and_utc_given() {
        assert_eq!(
            read("2020-04-23T13:40:04+00:00"),
            Some((
                "2020-04-23T13:40:04+00:00".into(),
                Some("2020-04-23T13:40:04Z".into())
            ))
        );
        assert_eq!(
            read("2014-05-14T09:12:17-0700"),
            Some((
                "2014-05-14T09:12:17-07:00".into(),
                Some("2014-05-14T16:12:17Z".into())
            ))
        );
        assert_eq!(
            read("2011-02-12 01:01:43Z"),
            Some((
                "2011-02-12T01:01:43+00:00".into(),
                Some("2011-02-12T01:01:43Z".into())
            ))
        );
        assert_eq!(
            read("2024-04-17T10:58:44.717Z").map(|r| r.1),
            Some(Some("2024-04-17T10:58:44Z".into()))
        );
    }

    #[test]
    fn a_printed_iso_time_with_a_spaced_offset() {
        assert_eq!(
            read("2012-08-25 11:55:23 -0500").map(|r| r.1),
            Some(Some("2012-08-25T16:55:23Z".into()))
        );
    }

    #[test]
    fn local_times_and_dates_say_no_zone() {
        assert_eq!(
            read("2020-04-23T13:40"),
            Some(("2020-04-23T13:40:00".into(), None))
        );
        assert_eq!(read("2020-04-23"), Some(("2020-04-23".into(), None)));
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        assert_eq!(
            read("1348139760"),
            Some((
                "2012-09-20T11:16:00Z".into(),
                Some("2012-09-20T11:16:00Z".into())
            ))
        );
        assert_eq!(
            read("1713351524717").map(|r| r.0),
            Some("2024-04-17T10:58:44Z".into())
        );
        assert_eq!(read("123456789"), None, "a counter, not a time");
    }

    #[test]
    fn other_text_is_not_a_time() {
        for v in [
            "",
            "yesterday",
            "2020-13-01",
            "2020-04-23T25:00",
            "2020-04-23T10:00+99:00",
        ] {
            assert_eq!(read(v), None, "{v}");
        }
    }
}
