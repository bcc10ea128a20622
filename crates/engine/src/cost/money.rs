//! Dollars and cents, computed exactly: prices become whole micro-dollars and each line of an
//! estimate is rounded to the cent once, half up, so a figure is the same on every machine
//! and golden tests can state it to the cent.

use serde::{Serialize, Serializer};

/// An amount in whole US cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub u64);

impl Money {
    /// The amount in cents.
    pub fn cents(self) -> u64 {
        self.0
    }

    /// `numerator / denominator` micro-dollars, rounded half up to the cent.
    pub(crate) fn from_micros(numerator: u128, denominator: u128) -> Money {
        let denominator = denominator.max(1) * 10_000;
        let cents = (numerator * 2 + denominator) / (denominator * 2);
        Money(u64::try_from(cents).unwrap_or(u64::MAX))
    }

    /// The sum of `amounts`.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
        Money(amounts.into_iter().map(|m| m.0).fold(0u64, u64::saturating_add))
    }
}

/// `$1,234.56`.
impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dollars = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "${grouped}.{:02}", self.0 % 100)
    }
}

/// As dollars in JSON (`51.2`): what a reader of the estimate expects.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0 as f64 / 100.0)
    }
}

/// A price as whole micro-dollars. Books are checked to hold finite prices from 0 to 10,000,
/// so the conversion neither overflows nor goes negative.
pub(crate) fn micros(price: f64) -> u128 {
    (price * 1_000_000.0).round().max(0.0) as u128
}

/// `$0.0416`: a unit price as the book states it, for the basis of a line.
pub(crate) fn rate(price: f64) -> String {
    let text = format!("{price:.6}");
    let trimmed = text.trim_end_matches('0');
    let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    format!("${whole}.{fraction:0<2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_to_the_cent_and_exact() {
        // 0.0225 × 730 + 0.008 × 730 = 22.265: a float would round it down.
        assert_eq!(Money::from_micros((micros(0.0225) + micros(0.008)) * 730, 1), Money(2227));
        assert_eq!(Money::from_micros(micros(0.0416) * 730, 1), Money(3037));
        assert_eq!(Money::from_micros(3, 1), Money(0));
    }

    #[test]
    fn money_and_rates_are_written_as_people_read_them() {
        assert_eq!(Money(5120).to_string(), "$51.20");
        assert_eq!(Money(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money(5).to_string(), "$0.05");
        assert_eq!(rate(0.0416), "$0.0416");
        assert_eq!(rate(0.1), "$0.10");
        assert_eq!(rate(0.004445), "$0.004445");
    }
}
