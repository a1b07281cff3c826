//! Which RabbitMQ the engine is: 3.10 (3.10.8, Debian 12's) or 4.3 (4.3.6, Debian unstable's).
//! A rule whose behaviour differs between them asks [`Version`] in its own file; what differs,
//! and why, is in `docs/versions.md`.

use std::fmt;

/// A RabbitMQ version the engine follows, each checked against its real broker's traces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// RabbitMQ 3.10.8: what files and links made before versions existed were made for.
    #[default]
    V3_10,
    /// RabbitMQ 4.3.6.
    V4_3,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 2] = [Version::V3_10, Version::V4_3];

    /// As files, links and the command line write it: `3.10`, `4.3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V3_10 => "3.10",
            Version::V4_3 => "4.3",
        }
    }

    /// The release the engine was checked against (`rabbit_version` in exported definitions).
    pub fn release(self) -> &'static str {
        match self {
            Version::V3_10 => "3.10.8",
            Version::V4_3 => "4.3.6",
        }
    }

    /// `3.10` or `4.3` (a release of either, `3.10.8`, `4.3.6`, reads as it).
    pub fn parse(s: &str) -> Result<Version, String> {
        let t = s.trim();
        for v in Version::ALL {
            if t == v.as_str() || t.strip_prefix(v.as_str()).is_some_and(|r| r.starts_with('.')) {
                return Ok(v);
            }
        }
        Err(format!("no RabbitMQ {t:?} here: the versions are 3.10 and 4.3"))
    }

    /// 4.0 or later (Khepri metadata, deprecated features denied by default).
    pub fn four(self) -> bool {
        self >= Version::V4_3
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn versions_read_as_they_are_written() {
        assert_eq!(Version::parse("3.10"), Ok(Version::V3_10));
        assert_eq!(Version::parse("4.3"), Ok(Version::V4_3));
        assert_eq!(Version::parse("4.3.6"), Ok(Version::V4_3));
        assert_eq!(Version::parse(" 3.10.8 "), Ok(Version::V3_10));
        assert!(Version::parse("4.30").is_err());
        assert!(Version::parse("3.1").is_err());
        assert_eq!(
            Version::parse("3.8").unwrap_err(),
            "no RabbitMQ \"3.8\" here: the versions are 3.10 and 4.3"
        );
        assert_eq!(Version::default(), Version::V3_10);
        for v in Version::ALL {
            assert_eq!(Version::parse(&v.to_string()), Ok(v));
        }
    }
}
