//! A node's name as the canvas writes it: fitted to its shape.

/// About how wide a character is, in ems, in the page's sans-serif.
fn char_em(c: char) -> f32 {
    match c {
        // CJK and other wide scripts
        c if c as u32 >= 0x2E80 => 1.0,
        'i' | 'j' | 'l' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' | ' '
        | '-' => 0.34,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.86,
        c if c.is_ascii_uppercase() || c == '#' || c == '*' || c == '_' => 0.66,
        _ => 0.56,
    }
}

/// A node's name as its label, fitted to `room` pixels: at the `base` font size when it fits;
/// smaller, down to 70 % of it; at that size cut with an ellipsis beyond (the whole name is
/// the node's title, shown on hover, and in its label for screen readers). Its text and size.
pub fn fit(name: &str, room: f32, base: f32) -> (String, f32) {
    let width: f32 = name.chars().map(char_em).sum();
    if width * base <= room {
        return (name.to_string(), base);
    }
    let least = base * 0.7;
    let size = room / width;
    if size >= least {
        return (name.to_string(), (size * 10.0).floor() / 10.0);
    }
    let mut used = char_em('…');
    let mut out = String::new();
    for c in name.chars() {
        if (used + char_em(c)) * least > room {
            break;
        }
        used += char_em(c);
        out.push(c);
    }
    out.push('…');
    (out, least)
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn a_name_that_fits_keeps_its_size() {
        assert_eq!(fit("task_queue", 146.0, 13.0), ("task_queue".to_string(), 13.0));
        assert_eq!(fit("P", 94.0, 16.0), ("P".to_string(), 16.0));
    }

    #[test]
    fn a_longer_name_shrinks_within_limits_then_ends_in_an_ellipsis() {
        // emit_log_topic in a producer at the projector's size: smaller, whole
        let (text, size) = fit("emit_log_topic", 94.0, 16.0);
        assert_eq!(text, "emit_log_topic");
        assert!((11.2..16.0).contains(&size), "{size}");
        // a very long one: cut, at 70 % of the size, and no wider than the room
        let long = "a_queue_with_a_really_long_name_for_tests";
        let (text, size) = fit(long, 146.0, 13.0);
        assert!(text.ends_with('…') && text.len() < long.len(), "{text}");
        assert!(long.starts_with(text.trim_end_matches('…')));
        assert_eq!(size, 13.0 * 0.7);
        // Chinese names are wide: cut too
        let (text, _) = fit("订单处理队列订单处理队列订单处理队列", 146.0, 13.0);
        assert!(text.ends_with('…'), "{text}");
    }
}
