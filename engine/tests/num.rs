//! `num::float_text` prints every float exactly as Rust's `{}` does (the page uses it instead of
//! core's float printing, and rabbitmqctl's values must not change): special values, integers,
//! decimals typed by people, and random bit patterns over the whole range. Runs natively and in
//! wasm32.
use warren_engine::num::{fixed, float_text, short};

fn same(f: f64) {
    assert_eq!(float_text(f), f.to_string(), "bits {:#018x}", f.to_bits());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn float_text_is_rusts_display() {
    for f in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.2 + 0.1,
        1.5,
        100.0,
        1e15,
        1e16,
        1e21,
        1e22,
        1.7976931348623157e308,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        1e-7,
        123456.789,
        2.0f64.powi(53),
        2.0f64.powi(53) + 2.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        same(f);
    }
    // decimals as people type them, and integers
    for i in -2000i64..2000 {
        same(i as f64);
        same(i as f64 / 100.0);
        same(i as f64 / 7.0);
        same(i as f64 * 1e13);
    }
    // random finite bit patterns (xorshift64*), every exponent; more natively than in wasm
    let n = if cfg!(target_arch = "wasm32") { 20_000 } else { 200_000 };
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut done = 0;
    while done < n {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let f = f64::from_bits(x.wrapping_mul(0x2545_f491_4f6c_dd1d));
        if f.is_finite() {
            same(f);
            done += 1;
        }
    }
    // where halfway values (ties between two shortest candidates) live: 2^40 to 2^60, where a
    // float's spacing is near 10^-17 of it
    for i in 0..n as u64 {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let exp = 1023 + 40 + (i % 21);
        same(f64::from_bits((exp << 52) | (r >> 12)));
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fixed_matches_rusts_precision_away_from_ties() {
    // `fixed` rounds half away from zero where `{:.N}` rounds the exact value: equal whenever
    // the value is not within a hair of a tie, which covers the page's times, rates and
    // coordinates
    let mut checked = 0;
    for i in -100_000i64..100_000 {
        let x = i as f64 / 997.0;
        for d in 0..4u32 {
            let scaled = x * 10f64.powi(d as i32);
            if (scaled.abs().fract() - 0.5).abs() < 1e-6 {
                continue;
            }
            assert_eq!(
                fixed(x, d),
                format!("{x:.prec$}", prec = d as usize),
                "{x} to {d} places"
            );
            checked += 1;
        }
    }
    assert!(checked > 790_000);
    assert_eq!(short(2.50, 2), "2.5");
    assert_eq!(short(1234.0, 2), "1234");
}
