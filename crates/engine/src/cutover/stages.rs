//! The traffic stages of a cutover: shares of traffic for the new service, in order, ending
//! at 100 %.

use thiserror::Error;

/// Stages that cannot be moved through.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StagesError {
    /// A stage that is not a whole percentage from 1 to 100.
    #[error("stage {0:?} is not a percentage from 1 to 100")]
    NotAPercentage(String),
    /// Stages that do not rise.
    #[error("stages must rise: {0} % comes after {1} %")]
    NotRising(u8, u8),
    /// Stages that stop before all traffic has moved.
    #[error("the last stage must be 100 %, not {0} %")]
    NotComplete(u8),
}

/// The shares of traffic the new service gets, stage by stage: rising, ending at 100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stages(Vec<u8>);

impl Stages {
    /// 10 %, 50 %, 100 %: the standard ramp of the AWS guide.
    pub fn standard() -> Stages {
        Stages(vec![10, 50, 100])
    }

    /// Reads `10,50,100` (spaces and a trailing `%` allowed).
    pub fn parse(text: &str) -> Result<Stages, StagesError> {
        let mut stages = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let number = part.trim_end_matches('%').trim();
            let share: u8 = number.parse().map_err(|_| StagesError::NotAPercentage(part.to_string()))?;
            if share == 0 || share > 100 {
                return Err(StagesError::NotAPercentage(part.to_string()));
            }
            if let Some(&last) = stages.last()
                && share <= last
            {
                return Err(StagesError::NotRising(share, last));
            }
            stages.push(share);
        }
        match stages.last() {
            Some(100) => Ok(Stages(stages)),
            Some(&last) => Err(StagesError::NotComplete(last)),
            None => Err(StagesError::NotAPercentage(text.to_string())),
        }
    }

    /// Each stage's share for the new service, in order.
    pub fn shares(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rising_shares_ending_at_100_are_read() {
        assert_eq!(Stages::parse("10, 50%,100").unwrap().shares(), &[10, 50, 100]);
        assert_eq!(Stages::parse("100").unwrap().shares(), &[100]);
    }

    #[test]
    fn bad_stages_are_named() {
        assert_eq!(Stages::parse("10,5,100"), Err(StagesError::NotRising(5, 10)));
        assert_eq!(Stages::parse("10,50"), Err(StagesError::NotComplete(50)));
        assert_eq!(Stages::parse("0,100"), Err(StagesError::NotAPercentage("0".into())));
        assert_eq!(Stages::parse("ten,100"), Err(StagesError::NotAPercentage("ten".into())));
        assert_eq!(Stages::parse("300"), Err(StagesError::NotAPercentage("300".into())));
        assert!(Stages::parse("").is_err());
    }
}
