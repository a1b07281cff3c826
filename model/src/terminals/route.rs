//! Which terminal a connection belongs to: terminal `k`'s (from 0) connections are named
//! `t<k+1>`, then `t<k+1>.2`, `t<k+1>.3`: what the trace and the canvas call them.

/// The name of terminal `k`'s connection number `n` (both from 0).
pub fn conn_name(k: usize, n: usize) -> String {
    if n == 0 {
        format!("t{}", k + 1)
    } else {
        format!("t{}.{}", k + 1, n + 1)
    }
}

/// The terminal (from 0) a connection name belongs to.
pub fn terminal_of(conn: &str) -> Option<usize> {
    let rest = conn.strip_prefix('t')?;
    let k = rest.split('.').next()?;
    k.parse::<usize>().ok()?.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_owners_agree() {
        for k in [0, 1, 9, 41] {
            for n in [0, 1, 5] {
                assert_eq!(terminal_of(&conn_name(k, n)), Some(k));
            }
        }
        assert_eq!(terminal_of("A"), None);
        assert_eq!(terminal_of("t0"), None);
        assert_eq!(terminal_of("tx"), None);
    }
}
