//! Floating-point numbers as text, without core's float printing (`{}` / `{:.N}` on `f32` and
//! `f64`). That printing (Grisu with a Dragon fallback, and their tables) is about 15 KB of the
//! page's wasm; serde_json's shortest-digits printer is in the page anyway, and the page only
//! shows a few kinds of numbers: times, rates, percentages, coordinates and field-table floats.

/// `f` exactly as Rust's `{}` prints it: the shortest digits that read back as `f`, in plain
/// decimal notation (never an exponent), `-0` for negative zero, `NaN`, `inf`, `-inf`.
/// rabbitmqctl's values in `warren ctl` and the console use it, so the two stay byte-identical.
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let Some(n) = serde_json::Number::from_f64(f) else {
        return "NaN".into();
    };
    // the same shortest digits, written as `1.5`, `100.0`, `1e21` or `1.5e-7`
    let (neg, mut digits, mut point) = decimal(&n.to_string());
    // When `f` lies exactly halfway between two shortest candidates, Rust's printer takes the
    // upper one and serde_json's may take the lower: `1394865425023536.25` is `…536.3` in Rust.
    if halfway_above(f.abs(), &digits, point) {
        point += round_up(&mut digits);
    }
    plain(neg, &digits, point)
}

/// The sign, significant digits (no leading or trailing zeros) and decimal point of a number
/// written as `-1.25`, `3.0`, `1e21` or `1.5e-7`: the value is `0.DIGITS × 10^point`.
fn decimal(s: &str) -> (bool, String, i32) {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut point = int.len() as i32 + exp;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    point -= lead as i32;
    digits.truncate(digits.trim_end_matches('0').len());
    (neg, digits, point)
}

/// Is `a` (positive) exactly `0.DIGITS5 × 10^point`, halfway between `DIGITS` and the next
/// number of as many digits?
fn halfway_above(a: f64, digits: &str, point: i32) -> bool {
    // a tie needs 16 or 17 shortest digits (below that the decimals are coarser than the
    // float's spacing); the halfway value has one more, so it is a fraction N / 10^r
    if digits.is_empty() || digits.len() > 17 {
        return false;
    }
    // 18 digits at most: below 2^63
    let Ok(n) = format!("{digits}5").parse::<u64>() else {
        return false;
    };
    let r = digits.len() as i32 + 1 - point;
    // 5^27 is the largest power of five below 2^63; a larger one cannot divide n
    if !(1..=27).contains(&r) {
        return false;
    }
    // a = n / (2^r 5^r): n must be a multiple of 5^r, and n / 5^r = a × 2^r exactly
    let five = 5u64.pow(r as u32);
    if n % five != 0 {
        return false;
    }
    let m = n / five;
    let g = m as f64;
    g as u64 == m && a * 2f64.powi(r) == g
}

/// Add one in the last place of `digits` (trailing zeros then dropped); 1 when that carried into
/// a new leading digit (`999` is then `1`, one place up).
fn round_up(digits: &mut String) -> i32 {
    let mut bytes = std::mem::take(digits).into_bytes();
    let carried = match bytes.iter().rposition(|&b| b != b'9') {
        Some(i) => {
            bytes[i] += 1;
            bytes.truncate(i + 1);
            0
        }
        None => {
            bytes = vec![b'1'];
            1
        }
    };
    *digits = String::from_utf8(bytes).expect("ASCII digits");
    carried
}

/// `0.DIGITS × 10^point` in plain decimal notation, as Rust's `{}` writes it: `-1.25`, `3`,
/// `1000000000000000000000`, `0.00000015`.
fn plain(neg: bool, digits: &str, point: i32) -> String {
    let mut out = String::with_capacity(digits.len() + 4);
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// `x` with `decimals` digits after the point (at most 6), rounded half away from zero: what
/// `{:.N}` shows for the page's times, rates and percentages (`{:.N}` rounds the exact binary
/// value half to even, so a value a hair from a tie can come out one unit apart).
pub fn fixed(x: f64, decimals: u32) -> String {
    const SCALE: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    let decimals = decimals.min(6);
    let scale = SCALE[decimals as usize];
    let n = (x * scale as f64).round().abs();
    if !n.is_finite() || n >= 9.0e15 {
        return float_text(x);
    }
    let n = n as u64;
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let (int, frac) = (n / scale, n % scale);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// `x` with at most `decimals` digits after the point, without trailing zeros (`12.5`, `40`,
/// `-3.25`): coordinates and scales in the page's SVG.
pub fn short(x: f64, decimals: u32) -> String {
    let mut s = fixed(x, decimals);
    if s.contains('.') {
        s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
    }
    if s == "-0" {
        s.remove(0);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(s: &str) -> String {
        let (neg, digits, point) = decimal(s);
        plain(neg, &digits, point)
    }

    #[test]
    fn plain_layouts() {
        assert_eq!(layout("1e21"), "1000000000000000000000");
        assert_eq!(layout("1.5e-7"), "0.00000015");
        assert_eq!(layout("100.0"), "100");
        assert_eq!(layout("-0.0"), "-0");
        assert_eq!(layout("0.001"), "0.001");
        assert_eq!(layout("-12.5"), "-12.5");
        assert_eq!(layout("1.234e2"), "123.4");
        assert_eq!(layout("1.234e1"), "12.34");
    }

    #[test]
    fn ties_round_up() {
        let mut d = String::from("1299");
        assert_eq!(round_up(&mut d), 0);
        assert_eq!(d, "13");
        let mut d = String::from("999");
        assert_eq!(round_up(&mut d), 1);
        assert_eq!(d, "1");
        assert_eq!(float_text(f64::from_bits(0x4313d27da8ac08c1)), "1394865425023536.3");
        assert!(!halfway_above(1.5, "15", 1));
    }

    #[test]
    fn fixed_and_short() {
        assert_eq!(fixed(2.44, 1), "2.4");
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(120.4, 0), "120");
        assert_eq!(fixed(1.005, 2), "1.00"); // 1.00499999999999989…
        assert_eq!(fixed(12.345, 2), "12.35"); // 12.3450000000000006…
        assert_eq!(fixed(-0.04, 1), "-0.0");
        assert_eq!(fixed(1234.5678, 2), "1234.57");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(short(12.5, 2), "12.5");
        assert_eq!(short(40.0, 2), "40");
        assert_eq!(short(-0.001, 2), "0");
        assert_eq!(short(-3.25, 2), "-3.25");
        assert_eq!(short(0.333333, 3), "0.333");
        assert_eq!(fixed(1e300, 2), float_text(1e300));
    }
}
