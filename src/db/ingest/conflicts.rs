//! Maker country conflicts met during a run, kept so the summary can name them: which maker,
//! the country the row gave against the catalogue's, and the first lines where it happened.
//!
//! Bounded whatever the file's length: details for the first `MAKERS` (maker, country) pairs,
//! at most `LINES` line numbers each; past them only the number of further pairs grows, and
//! that with the makers of the catalogue, not with the rows.

use std::collections::HashSet;

/// One maker whose rows gave another country than the catalogue holds for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountryConflict {
    /// The maker's spelling on the first row that conflicted, as typed.
    pub spelling: String,
    /// The country that row gave.
    pub stated: String,
    /// The maker as the catalogue names it, and the country it keeps.
    pub maker: String,
    pub kept: String,
    /// How many rows gave `stated` for this maker.
    pub rows: u64,
    /// The first lines of the file where it happened (none for a finding not read from a file).
    pub lines: Vec<u64>,
}

/// The conflicts of one run: every row counted, the first few pairs in detail.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct CountryConflicts {
    /// Rows whose maker country differs from the catalogue's.
    pub rows: u64,
    /// The first (maker, country) pairs met, in the order met.
    pub shown: Vec<CountryConflict>,
    /// Further (maker, country) pairs, beyond those shown.
    pub more: u64,
    #[serde(skip)]
    pairs: HashSet<(i64, String)>,
    #[serde(skip)]
    ids: Vec<(i64, String)>,
}

impl CountryConflicts {
    /// Pairs kept in detail.
    pub const MAKERS: usize = 10;
    /// Line numbers kept for each pair.
    pub const LINES: usize = 3;

    /// Counts a conflicting row of maker `org` stating `stated`; `describe` gives (spelling,
    /// catalogue name, kept country) and is called only for a pair about to be shown.
    pub(super) fn add(
        &mut self,
        org: i64,
        stated: &str,
        line: Option<u64>,
        describe: impl FnOnce() -> anyhow::Result<(String, String, String)>,
    ) -> anyhow::Result<()> {
        self.rows += 1;
        if let Some(i) = self
            .ids
            .iter()
            .position(|(o, s)| *o == org && s.as_str() == stated)
        {
            let c = &mut self.shown[i];
            c.rows += 1;
            if c.lines.len() < Self::LINES {
                c.lines.extend(line);
            }
            return Ok(());
        }
        if !self.pairs.insert((org, stated.to_string())) {
            return Ok(()); // a pair already counted among the further ones
        }
        if self.shown.len() == Self::MAKERS {
            self.more += 1;
            return Ok(());
        }
        let (spelling, maker, kept) = describe()?;
        self.ids.push((org, stated.to_string()));
        self.shown.push(CountryConflict {
            spelling,
            stated: stated.to_string(),
            maker,
            kept,
            rows: 1,
            lines: line.into_iter().collect(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(org: i64) -> anyhow::Result<(String, String, String)> {
        Ok((format!("m{org}"), format!("M{org}"), "IE".into()))
    }

    #[test]
    fn details_stay_bounded_however_many_rows_conflict() {
        let mut c = CountryConflicts::default();
        for row in 0..10_000u64 {
            let org = (row % 50) as i64;
            c.add(org, "US", Some(row + 2), || named(org)).unwrap();
        }
        assert_eq!(c.rows, 10_000);
        assert_eq!(c.shown.len(), CountryConflicts::MAKERS);
        assert_eq!(c.more, 40);
        assert!(c
            .shown
            .iter()
            .all(|s| s.lines.len() == CountryConflicts::LINES));
        assert_eq!(c.shown[0].lines, [2, 52, 102]);
        assert_eq!(c.shown[0].rows, 200);
    }

    #[test]
    fn one_maker_stating_two_countries_is_two_pairs() {
        let mut c = CountryConflicts::default();
        c.add(1, "US", Some(5), || named(1)).unwrap();
        c.add(1, "DE", Some(6), || named(1)).unwrap();
        c.add(1, "US", None, || named(1)).unwrap();
        assert_eq!(c.shown.len(), 2);
        assert_eq!(
            (c.shown[0].rows, c.shown[0].lines.as_slice()),
            (2, &[5][..])
        );
    }
}
