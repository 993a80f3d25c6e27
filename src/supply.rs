//! The supply chain past the maker (docs/supply-chain.md), as pure types and rules: the roles an
//! organisation plays in a link, how a link is known, trace requests' statuses and due dates.
//! No SQL, no files: the store (src/db/trace.rs, src/db/route.rs) reads and writes them.

use jiff::civil::Date;
use jiff::ToSpan;

/// Days a trace request has before it is due, unless the request says otherwise (Conflict
/// Armament Research gives makers 28 days to answer).
pub const DEFAULT_TRACE_DAYS: i64 = 28;

/// The role an organisation plays in one link (never a property of the organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Manufacturer,
    Supplier,
    Distributor,
    Exporter,
    Importer,
    Producer,
    Involved,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Manufacturer,
        Role::Supplier,
        Role::Distributor,
        Role::Exporter,
        Role::Importer,
        Role::Producer,
        Role::Involved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Manufacturer => "manufacturer",
            Role::Supplier => "supplier",
            Role::Distributor => "distributor",
            Role::Exporter => "exporter",
            Role::Importer => "importer",
            Role::Producer => "producer",
            Role::Involved => "involved",
        }
    }
}

/// What a trace request's latest response said; `Open` while it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceStatus {
    Open,
    Answered,
    Declined,
    NoAnswer,
}

impl TraceStatus {
    /// The statuses a response can give (a request is open until it has one).
    pub const RESPONSES: [TraceStatus; 3] = [
        TraceStatus::Answered,
        TraceStatus::Declined,
        TraceStatus::NoAnswer,
    ];

    /// As stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            TraceStatus::Open => "open",
            TraceStatus::Answered => "answered",
            TraceStatus::Declined => "declined",
            TraceStatus::NoAnswer => "no_answer",
        }
    }
}

/// A day checked as `YYYY-MM-DD` (a trace request's dates are days, not months).
pub fn checked_day(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("'{}' is not a day (YYYY-MM-DD)", text.trim()))
}

/// The day a request sent on `sent` is due, `days` later.
pub fn due_on(sent: Date, days: i64) -> Result<Date, String> {
    if !(1..=3650).contains(&days) {
        return Err(format!("{days} days: give between 1 and 3650"));
    }
    sent.checked_add(days.days())
        .map_err(|_| format!("{sent} + {days} days is past the calendar"))
}

/// Days from `due` to `today`: positive when the request is overdue.
pub fn days_past(due: Date, today: Date) -> i64 {
    i64::from((today - due).get_days())
}

/// Today's date by the clock (`COMPTRACE_NOW` in tests).
pub fn today() -> Result<Date, String> {
    let now = crate::dates::now();
    checked_day(now.get(..10).unwrap_or(&now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_due_28_days_after_it_was_sent_across_months_and_leap_days() {
        let sent = checked_day("2024-02-10").unwrap();
        assert_eq!(
            due_on(sent, DEFAULT_TRACE_DAYS).unwrap().to_string(),
            "2024-03-09"
        );
        assert_eq!(
            due_on(checked_day("2023-02-10").unwrap(), 28)
                .unwrap()
                .to_string(),
            "2023-03-10"
        );
        assert!(due_on(sent, 0).is_err());
        assert!(checked_day("2024-02").is_err());
        assert!(checked_day("2024-02-30").is_err());
    }

    #[test]
    fn days_past_counts_from_the_due_day() {
        let due = checked_day("2026-01-29").unwrap();
        assert_eq!(days_past(due, checked_day("2026-01-29").unwrap()), 0);
        assert_eq!(days_past(due, checked_day("2026-02-03").unwrap()), 5);
        assert_eq!(days_past(due, checked_day("2026-01-01").unwrap()), -28);
    }
}
